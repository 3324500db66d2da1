"""Split an undelimited text line into table labels, stray text and number runs.

Lines without cell separators come from pdftotext, copy-paste and archive crawlers. In the
worst case a whole table is one line whose labels and digits run together
("…申请数量640020470二、上年结转…"). The official labels are known (the layouts and the
aliases of rules/aliases.yaml), so they are found by their match keys wherever they stand,
as long as they stand on their own: at the line's ends, next to a space, a number or
another label. What lies between two labels is a run of numbers, stray text (a fragment of
a vertically set group label, a misprinted label, narrative), or both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from gkassist.importers.normalise import keyed, load_aliases, match_key
from gkassist.layouts import FORMAT_IDS, table_layout

PieceKind = Literal["label", "text", "values"]

_VALUE_CHARS = frozenset("0123456789０１２３４５６７８９.+-/－／．")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:万元|元)?")  # '3,001' is one number
_NA_WORDS = frozenset({"/", "／", "-", "－", "—", "——", "--", "\\"})
_DIGITS = re.compile(r"[\d.]+")
_ORDINAL_END = re.compile(r"\d[.．、]$")
_NUMBER_END = re.compile(r"[\d.]+$")
_LEFT_PUNCT = frozenset("。；;：:，,)）】」』”\"'")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$"
)
# A number written straight before one of these is part of a sentence ("2024年", "61条").
_NARRATIVE_UNITS = frozenset("年月日号条件个次项篇余多岁人家期批%％起宗份场名户")
_WORD = re.compile(r"\S+")
_UNIT_SUFFIX = re.compile(r"(?:万元|元)$")
_CACHED_LEN = 120


@dataclass(frozen=True)
class Piece:
    """A part of a line: a known label, other text, or a run of values (spaces kept).

    ``glued`` marks a value run that touches text or a label without a space, or holds a
    number with a leading zero: cells were run together and the run may hold several cells.
    """

    kind: PieceKind
    text: str
    glued: bool = False


def is_page_number(text: str) -> bool:
    """'-3-', '— 3 —', '第3页 共5页', '3/5': page furniture inside a converted document."""
    return len(text) <= 20 and bool(_PAGE_NUMBER.match(text))


# ---------------------------------------------------------------------------- label index


@dataclass(frozen=True)
class _Index:
    keys: frozenset[str]
    by_head: dict[str, tuple[str, ...]]  # first two key characters -> keys, longest first
    starts: re.Pattern[str]  # finds the next place where some label may start
    rows: frozenset[str]  # the keys of row labels (a row's own label and its aliases)

    def matches(self, key: str, at: int) -> list[str]:
        keys = self.by_head.get(key[at : at + 2], ())
        return [k for k in keys if key.startswith(k, at)]


@cache
def label_index() -> _Index:
    """Every label tables 二/三/四 print, in both formats, as match keys."""
    aliases = load_aliases()
    texts: set[str] = {"申请人情况", "法人或其他组织", "行政诉讼"}
    rows: set[str] = set()
    for fmt in FORMAT_IDS:
        for tid in ("s2", "s3", "s4"):
            layout = table_layout(fmt, tid)
            texts.add(layout.title)
            for block in layout.blocks:
                texts.update(x for x in (block.head, block.first_col) if x)
                for col in block.columns:
                    texts.update((col.label, *col.groups))
                    texts.update(a.label for a in aliases.column_aliases(tid, col.id))
                for row in block.rows:
                    texts.update((row.label, *row.groups))
                    texts.update(aliases.row_aliases(fmt, tid, row.id))
                    rows.update((row.label, *aliases.row_aliases(fmt, tid, row.id)))
    keys = {k for t in texts if len(k := match_key(t)) >= 2}
    heads: dict[str, list[str]] = {}
    for k in keys:
        heads.setdefault(k[:2], []).append(k)
    starts = re.compile("|".join(re.escape(h) for h in sorted(heads)))
    row_keys = frozenset(k for t in rows if (k := match_key(t)) in keys)
    return _Index(
        frozenset(keys), {h: tuple(sorted(ks, key=len, reverse=True)) for h, ks in heads.items()}, starts, row_keys
    )


# ---------------------------------------------------------------------------- scanning


def scan_line(text: str) -> tuple[Piece, ...]:
    """The pieces of one undelimited line, in order."""
    return _scan_cached(text) if len(text) <= _CACHED_LEN else _scan(text)


@lru_cache(maxsize=4096)
def _scan_cached(text: str) -> tuple[Piece, ...]:
    return _scan(text)


def _scan(text: str) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    last = 0
    for start, end in label_spans(text):
        pieces.extend(gap_pieces(text[last:start], after_label=last > 0, before_label=True))
        pieces.append(Piece("label", text[start:end]))
        last = end
    pieces.extend(gap_pieces(text[last:], after_label=last > 0, before_label=False))
    return tuple(pieces)


def label_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every official label standing on its own in ``text``."""
    key, pos = keyed(text)
    index = label_index()
    spans: list[tuple[int, int]] = []
    prev_end = -1
    i = 0
    while i < len(key):
        found = index.starts.search(key, i)  # skip, at C speed, to where a label may begin
        if found is None:
            break
        i = found.start()
        hit = _accepted(text, key, pos, i, index, prev_end)
        if hit is None:
            i += 1
            continue
        start, end = pos[i], pos[i + len(hit) - 1] + 1
        spans.append((start, end))
        prev_end = end
        i += len(hit)
    return spans


def _accepted(text: str, key: str, pos: list[int], i: int, index: _Index, prev_end: int) -> str | None:
    for hit in index.matches(key, i):
        start, end = pos[i], pos[i + len(hit) - 1] + 1
        if not _right_ok(text, end, key, i + len(hit), index):
            continue
        if _left_ok(text, start, prev_end) or (hit in index.rows and _values_follow(text, end)):
            return hit
    return None


def _values_follow(text: str, end: int) -> bool:
    """A row label printed straight after text it does not belong to ('…本年废纸件数现行有效件数规章000',
    a misprinted header run into the row) stands on its own when its cells follow it."""
    return end < len(text) and text[end].isdigit()


def _left_ok(text: str, start: int, prev_end: int) -> bool:
    if start == 0 or start == prev_end:
        return True
    before = text[start - 1]
    return before.isspace() or before in _VALUE_CHARS or before in _LEFT_PUNCT


def _right_ok(text: str, end: int, key: str, key_end: int, index: _Index) -> bool:
    if end >= len(text):
        return True
    after = text[end]
    if after.isspace():
        return True
    if after.isdigit():  # "行政处罚2113件" is a sentence, "行政处罚1282行政强制" a table
        m = _DIGITS.match(text, end)
        stop = m.end() if m else end
        return stop >= len(text) or text[stop] not in _NARRATIVE_UNITS
    if after in _VALUE_CHARS:
        return True
    return bool(index.matches(key, key_end))


# ---------------------------------------------------------------------------- gaps


def gap_pieces(gap: str, *, after_label: bool = False, before_label: bool = False) -> list[Piece]:
    """Text between two labels: value runs and stray text, in order. A value run at either
    end of the gap keeps the spaces around it (a blank first or last cell shows as a space).

    A run is ``glued`` when it touches a label or text without a space, or holds a number
    with a leading zero ('02'): such a run was written from several cells run together.
    """
    parts: list[tuple[PieceKind, int, int]] = []
    for m in _WORD.finditer(gap):
        for kind, s, e in _split_word(m.group(), m.start()):
            # values run on over any spaces; text only over one (wider gaps part columns)
            if parts and parts[-1][0] == kind and (kind == "values" or s - parts[-1][2] <= 1):
                parts[-1] = (kind, parts[-1][1], e)
            else:
                parts.append((kind, s, e))
    out: list[Piece] = []
    for n, (kind, s, e) in enumerate(parts):
        if kind != "values":
            out.append(Piece(kind, gap[s:e]))
            continue
        left = (s > 0 and not gap[s - 1].isspace()) or (s == 0 and after_label)
        right = (e < len(gap) and not gap[e].isspace()) or (e == len(gap) and before_label)
        s = 0 if n == 0 else s
        e = len(gap) if n == len(parts) - 1 else e
        glued = left or right or _has_leading_zero(gap[s:e])
        out.append(Piece("values", gap[s:e], glued=glued))
    return out


def _split_word(word: str, at: int) -> list[tuple[PieceKind, int, int]]:
    """'18651.064104' -> values; '2024年' -> text; '00000002.其他法律法规禁止公开0000000' ->
    values '0000000', text '2.其他法律法规禁止公开', values '0000000'."""
    if is_value_word(word):
        return [("values", at, at + len(word))]
    first = next((i for i, ch in enumerate(word) if ch not in _VALUE_CHARS), None)
    if first is None:  # only signs, dots and slashes ("---", "..."): no number in it, so text
        return [("text", at, at + len(word))]
    last = max(i for i, ch in enumerate(word) if ch not in _VALUE_CHARS) + 1
    first = _text_start(word, first)
    out: list[tuple[PieceKind, int, int]] = []
    if first > 0 and is_value_word(word[:first]):
        out.append(("values", at, at + first))
    else:
        first = 0
    if last < len(word) and not is_value_word(word[last:]):
        last = len(word)
    out.append(("text", at + first, at + last))
    if last < len(word):
        out.append(("values", at + last, at + len(word)))
    return out


def _text_start(word: str, first: int) -> int:
    """Digits written straight before text: an ordinal ('2.其他…', '1、申请人…') or a sentence
    number ('2024年') belongs to the text; other digits stay values."""
    head = word[:first]
    m = _ORDINAL_END.search(head)
    if m:
        return m.start()
    if word[first] in "、，," and head[-1:].isdigit():
        return first - 1
    if word[first] in _NARRATIVE_UNITS:
        m = _NUMBER_END.search(head)
        if m:
            return m.start()
    return first


def is_value_word(word: str) -> bool:
    """A number (digits, sign, decimal point, unit) or several run together, or a "/" mark."""
    if word in _NA_WORDS or _THOUSANDS.fullmatch(word):
        return True
    body = _UNIT_SUFFIX.sub("", word)
    return bool(body) and all(ch in _VALUE_CHARS for ch in body) and any(ch.isdigit() for ch in body)


def _has_leading_zero(run: str) -> bool:
    return any(len(w) > 1 and w[0] == "0" and w[1].isdigit() for w in run.split())
