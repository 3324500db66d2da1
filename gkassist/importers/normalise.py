"""Label normalisation, the import alias tables (rules/aliases.yaml) and byte decoding.

Published reports write the same label many ways: full- or half-width brackets, curly or
straight quotes, stray spaces inside a label ("三安全一稳 定"). Every comparison the
importers make goes through ``match_key`` so these differences never matter.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import cache, lru_cache
from itertools import compress
from typing import Literal

from pydantic import Field, model_validator

from gkassist.importers.result import Diagnostic
from gkassist.layouts import FORMAT_IDS, FormatId, TableId, table_layout
from gkassist.paths import rules_dir
from gkassist.strict import Strict
from gkassist.yamlio import load_model

SectionKey = Literal["s1", "s2", "s3", "s4", "s5", "s6"]
SECTION_KEYS: tuple[SectionKey, ...] = ("s1", "s2", "s3", "s4", "s5", "s6")

_DOUBLE_QUOTES = "“”„‟«»「」『』＂〝〞"
_SINGLE_QUOTES = "‘’‚‛"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Separators that reports use interchangeably (一、 / 一, / 1. / 1、): dropped from match keys.
_SEPARATORS = "、,.:;·。"


class _CharTable(dict[int, str | None]):
    """str.translate table filled on demand: one cached NFKC mapping per code point."""

    def __init__(self, drop_separators: bool) -> None:
        super().__init__()
        self._drop_separators = drop_separators

    def __missing__(self, code: int) -> str | None:
        out = _char_key(chr(code), self._drop_separators)
        self[code] = out
        return out


def _char_key(ch: str, drop_separators: bool) -> str | None:
    if ch in _INVISIBLE or ch.isspace():
        return None
    if ch in _DOUBLE_QUOTES:
        return '"'
    if ch in _SINGLE_QUOTES:
        return "'"
    out = unicodedata.normalize("NFKC", ch)
    out = "".join(c for c in out if not c.isspace())
    if drop_separators:
        out = "".join(c for c in out if c not in _SEPARATORS)
    return out or None


_LABEL_TABLE = _CharTable(drop_separators=False)
_KEY_TABLE = _CharTable(drop_separators=True)


def norm_label(text: str) -> str:
    """NFKC, straight quotes, no whitespace: '第二十条第（一）项 ' -> '第二十条第(一)项'."""
    return text.translate(_LABEL_TABLE)


def match_key(text: str) -> str:
    """norm_label without list separators, so '一、总体情况' and '一,总体情况' compare equal."""
    return _short_key(text) if len(text) <= _CACHED_KEY else text.translate(_KEY_TABLE)


_CACHED_KEY = 80  # labels and table cells repeat in every report: their keys are cached


@lru_cache(maxsize=16384)
def _short_key(text: str) -> str:
    return text.translate(_KEY_TABLE)


def keyed(text: str) -> tuple[str, list[int]]:
    """match_key(text) plus, for each key character, its index in ``text``."""
    widths = {ch: len(_KEY_TABLE[ord(ch)] or "") for ch in set(text)}
    if max(widths.values(), default=0) <= 1:  # every character kept as one or dropped: C-speed path
        return text.translate(_KEY_TABLE), list(compress(range(len(text)), map(widths.__getitem__, text)))
    chars: list[str] = []
    positions: list[int] = []
    for index, ch in enumerate(text):
        out = _KEY_TABLE[ord(ch)]
        if out:
            chars.append(out)
            positions.extend([index] * len(out))
    return "".join(chars), positions


def strip_parenthetical(key: str) -> str:
    """'本年收费金额(单位:万元)' -> '本年收费金额' (on a match key)."""
    return re.sub(r"\([^()]*\)$", "", key)


_ORDINAL = re.compile(r"^(?:\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+(?=[^一二三四五六七八九十])|\d+(?=\D))")


def strip_ordinal(key: str) -> str:
    """'(七)总计' -> '总计', '1属于国家秘密' -> '属于国家秘密' (on a match key)."""
    return _ORDINAL.sub("", key, count=1)


# ---------------------------------------------------------------------------- aliases


class ColumnAlias(Strict):
    label: str
    unit: str | None = None


class Aliases(Strict):
    """rules/aliases.yaml: label variants accepted on import."""

    sections: dict[SectionKey, tuple[str, ...]]
    rows: dict[FormatId, dict[TableId, dict[str, tuple[str, ...]]]]
    columns: dict[TableId, dict[str, tuple[ColumnAlias, ...]]]
    format_markers: dict[TableId, dict[FormatId, tuple[str, ...]]]
    portal_noise: tuple[str, ...]
    page_chrome: tuple[str, ...] = ()
    section_markers: dict[SectionKey, tuple[str, ...]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ids_exist(self) -> Aliases:
        missing = [s for s in SECTION_KEYS if not self.sections.get(s)]
        if missing:
            raise ValueError(f"aliases.yaml: no titles for sections {missing}")
        for fmt, tables in self.rows.items():
            for table_id, rows in tables.items():
                known = {r.id for r in table_layout(fmt, table_id).rows()}
                unknown = set(rows) - known
                if unknown:
                    raise ValueError(f"aliases.yaml: unknown rows {sorted(unknown)} in {fmt}/{table_id}")
        for table_id, cols in self.columns.items():
            known = {c.id for f in FORMAT_IDS for b in table_layout(f, table_id).blocks for c in b.columns}
            unknown = set(cols) - known
            if unknown:
                raise ValueError(f"aliases.yaml: unknown columns {sorted(unknown)} in {table_id}")
        return self

    def row_aliases(self, format_id: FormatId, table_id: TableId, row_id: str) -> tuple[str, ...]:
        return self.rows.get(format_id, {}).get(table_id, {}).get(row_id, ())

    def column_aliases(self, table_id: TableId, col_id: str) -> tuple[ColumnAlias, ...]:
        return self.columns.get(table_id, {}).get(col_id, ())


@cache
def load_aliases() -> Aliases:
    return load_model(rules_dir() / "aliases.yaml", Aliases)


@cache
def section_title_keys() -> tuple[tuple[SectionKey, str], ...]:
    """(section, title key) pairs, longest first so the most specific title wins."""
    pairs = [(s, match_key(t)) for s, titles in load_aliases().sections.items() for t in titles]
    return tuple(sorted(pairs, key=lambda p: -len(p[1])))


# ---------------------------------------------------------------------------- decoding

_CODEC_NAMES = {
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5",
}


def codec_for(declared: str | None) -> str | None:
    """A declared charset we trust for Chinese pages; single-byte charsets are ignored."""
    if not declared:
        return None
    return _CODEC_NAMES.get(declared.strip().strip("\"'").lower())


def _decode_with_tail(data: bytes, codec: str) -> tuple[str, bool] | None:
    """Strict decoding that forgives one incomplete character at the very end (a cut file)."""
    try:
        return data.decode(codec), False
    except UnicodeDecodeError as err:
        cut_at = err.start if err.end >= len(data) and err.start >= len(data) - 4 else -1
    if cut_at < 0:
        return None
    try:
        return data[:cut_at].decode(codec), True
    except UnicodeDecodeError:
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, list[Diagnostic]]:
    """Decode UTF-8 / GBK / GB18030 text; never raises.

    Order: a BOM, the declared charset, UTF-8, GB18030. When nothing decodes cleanly, the
    reading with the fewest undecodable bytes is kept and a diagnostic says so.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        declared = "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), []
    first = codec_for(declared)
    order = list(dict.fromkeys(c for c in (first, "utf-8", "gb18030") if c))
    for codec in order:
        decoded = _decode_with_tail(data, codec)
        if decoded is not None:
            return decoded[0], _decode_notes(declared, first, codec, decoded[1])
    return _decode_lossy(data)


def _decode_notes(declared: str | None, first: str | None, used: str, cut: bool) -> list[Diagnostic]:
    notes: list[Diagnostic] = []
    if first and used != first:
        notes.append(
            Diagnostic(
                level="info",
                message=(
                    f"网页声明的编码为 {declared}，但按该编码无法正确解码，已改按 {used.upper()} 读取。"
                    "请抽查导入的文字有无乱码。"
                ),
                where="全文",
            )
        )
    if cut:
        notes.append(
            Diagnostic(
                level="warning",
                message="文件末尾有一个不完整的字符（文件可能被截断），已忽略该字符。请确认文件是否完整。",
                where="全文末尾",
            )
        )
    return notes


def _decode_lossy(data: bytes) -> tuple[str, list[Diagnostic]]:
    readings = [(data.decode(c, errors="replace"), c) for c in ("utf-8", "gb18030")]
    text, codec = min(readings, key=lambda r: r[0].count("\ufffd"))
    bad = text.count("\ufffd")
    note = Diagnostic(
        level="warning",
        message=(
            f"文件中有 {bad} 处字节无法按 UTF-8 或 GBK/GB18030 编码识别，已替换为“\ufffd”"
            f"（按 {codec.upper()} 读取）。这些位置的文字可能缺失，请核对原文，"
            "或从原网页重新另存为 UTF-8 文本后再导入。"
        ),
        where="全文",
    )
    return text, [note]
