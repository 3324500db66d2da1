"""Document lines -> a token stream (label / value / blank), and the table reader.

Text and HTML importers both produce ``Line`` objects; from there on they share this
module. The reader walks the tokens of one table's part of the document, matches row
labels in the order the layout prints them, and takes the value tokens that follow a
row label as that row's cells. A missing cell is always blank, never 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Literal

from gkassist.cells import Cell
from gkassist.importers.normalise import (
    Aliases,
    load_aliases,
    match_key,
    norm_label,
    strip_ordinal,
    strip_parenthetical,
)
from gkassist.importers.result import Diagnostic
from gkassist.layouts import FORMAT_IDS, Block, FormatId, Row, TableId, TableLayout, table_layout
from gkassist.model import ExtraRow, Table

TokenKind = Literal["label", "value", "blank"]
_MD_RULE = re.compile(r"^:?-{3,}:?$")
_UNIT_IN_HEADER = re.compile(r"(万元|元)")
_VALUE_WORDS = frozenset({"无"})
_CACHED_LEN = 64  # texts up to this length have their cell parse cached
MIN_PREFIX = 6  # a cut label must keep this many normalised characters to be recognised


@dataclass(frozen=True)
class Line:
    """One line of the document; ``cells`` is set for an HTML table row (one per <td>/<th>)."""

    text: str
    cells: tuple[str, ...] | None = None


def line_text(line: Line) -> str:
    """The line's text as prose: a table row's filled cells joined by spaces."""
    if line.cells is not None:
        return " ".join(c.strip() for c in line.cells if c.strip())
    return line.text.strip()


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str
    line: int
    key: str


def is_value_text(text: str) -> bool:
    """A number (with sign or unit), a not-applicable mark, or a word used as a cell value."""
    text = text.strip()
    if not text:
        return False
    return _is_short_value(text) if len(text) <= _CACHED_LEN else _is_value(text)


@lru_cache(maxsize=8192)
def _is_short_value(text: str) -> bool:  # tables repeat "0", "/" and their labels in every report
    return _is_value(text)


def _is_value(text: str) -> bool:
    return _parsed(text).state in ("number", "na") or norm_label(text) in _VALUE_WORDS


def _parsed(text: str | None) -> Cell:
    """Cell.parse; short texts cached (a Cell is immutable, so one instance can sit in many tables)."""
    return _parsed_short(text) if text is None or len(text) <= _CACHED_LEN else Cell.parse(text)


@lru_cache(maxsize=8192)
def _parsed_short(text: str | None) -> Cell:
    return Cell.parse(text)


def make_token(text: str, line: int) -> Token:
    text = text.strip()
    if not text:
        return Token("blank", "", line, "")
    kind: TokenKind = "value" if is_value_text(text) else "label"
    return Token(kind, text, line, match_key(text) if kind == "label" else "")


def split_text_line(text: str) -> list[str]:
    """Cell pieces of a plain-text line: '|' or tab separated, or 'label 0 0 0'."""
    if "|" in text:
        pieces = [p.strip() for p in text.split("|")]
        if all(_MD_RULE.match(p) for p in pieces if p):
            return []  # markdown table rule |---|---|
        return pieces
    if "\t" in text:
        return [p.strip() for p in text.split("\t")]
    parts = text.split()
    if len(parts) >= 2 and all(is_value_text(p) for p in parts[1:]):
        return parts
    return [text.strip()]


def line_tokens(line: Line, index: int) -> list[Token]:
    """Tokens of one line. In text, only empty pieces *between* two filled ones are blanks;
    leading and trailing empty pieces are padding. In HTML every empty cell is a blank."""
    if line.cells is not None:
        return [make_token(c, index) for c in line.cells]
    pieces = split_text_line(line.text)
    filled = [i for i, p in enumerate(pieces) if p]
    if not filled:
        return []
    return [make_token(p, index) for p in pieces[filled[0] : filled[-1] + 1]]


def tokenize(lines: Sequence[Line], start: int = 0, end: int | None = None) -> list[Token]:
    stop = len(lines) if end is None else end
    return [t for i in range(start, stop) for t in line_tokens(lines[i], i)]


# ---------------------------------------------------------------------------- format


def detect_format(table_id: TableId, tokens: Sequence[Token]) -> FormatId | None:
    """The format whose own labels appear in this table; None when the labels do not tell."""
    aliases = load_aliases()
    joined = "".join(t.key for t in tokens if t.kind == "label")
    markers = aliases.format_markers.get(table_id, {})
    scores = {f: sum(1 for m in markers.get(f, ()) if match_key(m) in joined) for f in FORMAT_IDS}
    if table_id == "s3" and not scores["gk2021"] and _has_2019_other_row(tokens):
        return "gk2019"
    best = max(scores.values())
    winners = [f for f, s in scores.items() if s == best]
    return winners[0] if best and len(winners) == 1 else None


def _has_2019_other_row(tokens: Sequence[Token]) -> bool:
    """In 2019 "（六）其他处理" is a data row: values follow it directly."""
    key = match_key("（六）其他处理")
    return any(tok.key == key and tokens[i + 1].kind == "value" for i, tok in enumerate(tokens[:-1]))


# ---------------------------------------------------------------------------- reader


@dataclass(frozen=True)
class _RowSpec:
    index: int
    row: Row
    block: Block
    keys: tuple[str, ...]


@dataclass
class _Notes:
    """Per-table findings as (row index, text), collected by kind so one message lists many rows."""

    no_values: list[tuple[int, str]] = field(default_factory=list)
    total_only: list[tuple[int, str]] = field(default_factory=list)
    short: list[tuple[int, str]] = field(default_factory=list)
    too_many: list[tuple[int, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    parents: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class TableRead:
    """A table as read, what went wrong, and how many rows had at least one value."""

    table: Table
    diagnostics: list[Diagnostic]
    rows_with_values: int


class _Matcher:
    """Matches a label token to the next expected row, in print order."""

    def __init__(self, specs: Sequence[_RowSpec], column_keys: set[str]) -> None:
        self.specs = specs
        self.column_keys = column_keys

    def match(self, tok: Token, start: int) -> tuple[_RowSpec, str] | None:
        """The row and the part of its label still expected in the next token (if cut)."""
        rest = self.specs[start:]
        for spec in rest:
            if tok.key in spec.keys:
                return spec, ""
        for spec in rest:  # label followed by a unit: 行政规范性文件(件)
            if any(tok.key.startswith(k + "(") for k in spec.keys):
                return spec, ""
        return self._prefix(tok, rest) or self._unnumbered(tok, rest)

    def _prefix(self, tok: Token, rest: Sequence[_RowSpec]) -> tuple[_RowSpec, str] | None:
        """A label cut in two ('2.没有现成信息需要' + '另行制作'): unique prefix match."""
        if len(norm_label(tok.text)) < MIN_PREFIX:
            return None
        hits = [(s, k) for s in rest for k in s.keys if k.startswith(tok.key)]
        if len({s.index for s, _ in hits}) != 1:
            return None
        spec, key = hits[0]
        return spec, key[len(tok.key) :]

    def _unnumbered(self, tok: Token, rest: Sequence[_RowSpec]) -> tuple[_RowSpec, str] | None:
        """A label printed without its ordinal ('属于国家秘密')."""
        bare = strip_ordinal(tok.key)
        if len(bare) < 4 or bare in self.column_keys:
            return None
        hits = [s for s in rest if any(strip_ordinal(k) == bare for k in s.keys)]
        return (hits[0], "") if len(hits) == 1 else None


def _row_specs(layout: TableLayout, format_id: FormatId, aliases: Aliases) -> list[_RowSpec]:
    specs: list[_RowSpec] = []
    for block in layout.blocks:
        for row in block.rows:
            labels = (row.label, *aliases.row_aliases(format_id, layout.id, row.id))
            specs.append(_RowSpec(len(specs), row, block, tuple(match_key(x) for x in labels)))
    return specs


@cache
def _structural_keys(table_id: TableId) -> frozenset[str]:
    """Labels of both formats that carry no data: headings, headers, group labels."""
    keys: set[str] = {match_key("申请人情况"), match_key("法人或其他组织")}
    for fmt in FORMAT_IDS:
        layout = table_layout(fmt, table_id)
        keys.add(match_key(layout.title))
        for block in layout.blocks:
            keys.update(match_key(x) for x in (block.head, block.first_col) if x)
            for col in block.columns:
                keys.update(match_key(x) for x in (col.label, *col.groups))
            for row in block.rows:
                keys.update(match_key(g) for g in row.groups)
    keys.discard("")
    return frozenset(keys)


@cache
def anchor_keys(table_id: TableId) -> frozenset[str]:
    """Labels that only this table prints: finding one means the table is there."""
    keys: set[str] = set()
    for fmt in FORMAT_IDS:
        layout = table_layout(fmt, table_id)
        if table_id == "s4":
            keys.update(match_key(g) for c in layout.blocks[0].columns for g in c.groups[1:])
            continue
        for block in layout.blocks:
            keys.update(match_key(x) for x in (block.head, block.first_col) if len(x) >= 8)
            keys.update(match_key(r.label) for r in block.rows if len(match_key(r.label)) >= 6)
    return frozenset(keys)


def row_name(layout: TableLayout, row: Row) -> str:
    """How a row is named in messages: with its block head (表二) or group labels (表三)."""
    block = layout.block_of(row.id)
    return f"{block.head}·{row.label}" if block.head else row.path


class _Reader:
    """Reads the row tables (二, 三) from their tokens."""

    def __init__(self, layout: TableLayout, format_id: FormatId, tokens: Sequence[Token], cut_off: bool) -> None:
        self.aliases = load_aliases()
        self.layout = layout
        self.tokens = tokens
        self.cut_off = cut_off
        self.table = Table(layout=format_id)
        self.specs = _row_specs(layout, format_id, self.aliases)
        col_keys = {match_key(c.label) for b in layout.blocks for c in b.columns}
        self.matcher = _Matcher(self.specs, col_keys)
        self.structural = _structural_keys(layout.id)
        self.block: Block | None = None
        self.last_row: _RowSpec | None = None
        self.matched: set[int] = set()
        self.filled: set[int] = set()
        self.notes = _Notes()
        self.tail = ""

    def run(self) -> TableRead:
        for spec in self.specs:
            for col in spec.block.columns:
                self.table.set(spec.row.id, col.id, None)
        i, pos = 0, 0
        while i < len(self.tokens):
            if self.tokens[i].kind != "label":
                i += 1
                continue
            i, pos = self._label(self.tokens[i], i, pos)
        return TableRead(self.table, _table_diagnostics(self), len(self.filled))

    def _label(self, tok: Token, i: int, pos: int) -> tuple[int, int]:
        """Handle one label token; returns the next token index and row position."""
        if self.tail and self.tail.startswith(tok.key):
            self.tail = self.tail[len(tok.key) :]  # the rest of a label cut in two
            return i + 1, pos
        self.tail = ""
        hit = self.matcher.match(tok, pos)
        if hit is not None:
            spec, self.tail = hit
            values = take_values(self.tokens, i + 1, len(spec.block.columns))
            self._fill(spec, values, i + 1 + len(values))
            self.matched.add(spec.index)
            self.block, self.last_row = spec.block, spec
            return i + 1 + len(values), spec.index + 1
        if self._block_head(tok) or self._header(tok) or tok.key in self.structural:
            return i + 1, pos
        values = take_values(self.tokens, i + 1, self._width())
        if any(v.kind == "value" for v in values):
            self._unknown(tok, values)
        return i + 1 + len(values), pos

    def _width(self) -> int:
        block = self.block or self.layout.blocks[0]
        return len(block.columns)

    def _block_head(self, tok: Token) -> bool:
        for block in self.layout.blocks:
            if block.head and match_key(block.head) == tok.key:
                self.block, self.last_row = block, None
                return True
        return False

    def _header(self, tok: Token) -> bool:
        """A column header; a unit printed in it goes to column_units."""
        blocks = [self.block] if self.block else list(self.layout.blocks)
        for block in blocks:
            for col in block.columns:
                unit = self._header_unit(tok.key, col.id, col.label, col.unit)
                if unit is None:
                    continue
                if unit:
                    self.table.column_units[col.id] = unit
                return True
        return False

    def _header_unit(self, key: str, col_id: str, label: str, layout_unit: str | None) -> str | None:
        """'' for a plain header, the unit for a header that prints one, None for no match."""
        for alias in self.aliases.column_aliases(self.layout.id, col_id):
            if match_key(alias.label) == key:
                return alias.unit or ""
        if key == match_key(label):
            return layout_unit or ""
        base = strip_parenthetical(match_key(label))
        if len(base) >= 4 and key.startswith(base) and key[len(base) :].startswith("("):
            found = _UNIT_IN_HEADER.search(key[len(base) :])
            return found.group(1) if found else ""
        return None

    def _fill(self, spec: _RowSpec, values: list[Token], after: int) -> None:
        cols = spec.block.columns
        name = row_name(self.layout, spec.row)
        if any(v.kind == "value" for v in values):
            self.filled.add(spec.index)
        if not values:
            self.notes.no_values.append((spec.index, name))
            return
        totals = [c for c in cols if c.role == "total"]
        if len(values) == 1 and len(cols) > 1 and len(totals) == 1:
            self.table.set(spec.row.id, totals[0].id, _cell(values[0]))
            self.notes.total_only.append((spec.index, name))
            return
        for col, tok in zip(cols, values, strict=False):
            self.table.set(spec.row.id, col.id, _cell(tok))
        if len(values) < len(cols):
            missing = _quote_list(c.label for c in cols[len(values) :])
            text = f"“{name}”行只读到{len(values)}个数（应有{len(cols)}个），已从左往右填入，{missing}留空"
            self.notes.short.append((spec.index, text))
        elif after < len(self.tokens) and self.tokens[after].kind == "value":
            self.notes.too_many.append((spec.index, name))

    def _unknown(self, tok: Token, values: list[Token]) -> None:
        """Values after a label the format does not print: an agency's sub-row (表二) or noise."""
        parent = self.last_row
        if self.layout.id == "s2" and parent is not None:
            cells = {c.id: _cell(v) for c, v in zip(parent.block.columns, values, strict=False)}
            self.table.extra_rows.append(ExtraRow(parent=parent.row.id, label=tok.text, cells=cells))
            self.notes.parents.setdefault(parent.row.label, []).append(tok.text)
            self.notes.no_values = [n for n in self.notes.no_values if n[0] != parent.index]
            return
        self.notes.unknown.append(tok.text)


def _table_diagnostics(r: _Reader) -> list[Diagnostic]:
    where = f"表{r.layout.numeral}"
    last = max(r.filled, default=-1)
    cut = r.cut_off and last < len(r.specs) - 1
    keep = (lambda i: i <= last) if cut else (lambda i: True)  # rows after a cut are covered by it
    out: list[Diagnostic] = []
    if cut:
        out.append(_warn(_cut_message(r, last), where))
    elif last < 0 and r.matched:
        msg = f"{where}只有栏目名称，没有读到任何数值（原网页可能丢失了表格中的数字），单元格全部留空。请对照原文补填。"
        return [_warn(msg, where)]
    missing = [row_name(r.layout, s.row) for s in r.specs if s.index not in r.matched and keep(s.index)]
    groups: list[tuple[str, list[str]]] = [
        (f"{where}未找到以下各行，单元格留空：", missing),
        (f"{where}以下各行没有读到数值，单元格留空：", [n for i, n in r.notes.no_values if keep(i)]),
        (f"{where}以下各行只有一个数，已填入“总计”列，其余各列留空：", [n for i, n in r.notes.total_only]),
        (f"{where}以下各行的数值多于栏目数，多出的数值未导入：", [n for i, n in r.notes.too_many]),
        (f"{where}中以下标签不是规定的栏目，其后的数值未导入：", r.notes.unknown),
    ]
    for head, names in groups:
        if names:
            out.append(_warn(head + _quote_list(names) + "。请对照原文核对。", where))
    out.extend(_warn(f"{where}{text}。请对照原文核对。", where) for i, text in r.notes.short if keep(i))
    for parent, subs in r.notes.parents.items():
        msg = (
            f"{where}“{parent}”下列有分项{_quote_list(subs)}，已作为附加行导入。"
            f"规定格式中没有这些分项，请确认其数值已计入“{parent}”行。"
        )
        out.append(Diagnostic(level="info", message=msg, where=f"{where}·{parent}"))
    return out


def _cut_message(r: _Reader, last: int) -> str:
    where = f"表{r.layout.numeral}"
    if last < 0:
        return f"{where}在读到任何数值之前中断，单元格全部留空。原文可能不完整，请对照原文补填。"
    name = r.specs[last].row.label
    return f"{where}在“{name}”行之后中断，之后的单元格未读到。原文可能不完整，请对照原文补填。"


def _warn(message: str, where: str) -> Diagnostic:
    return Diagnostic(level="warning", message=message, where=where)


def take_values(tokens: Sequence[Token], start: int, limit: int) -> list[Token]:
    """Value and blank tokens from ``start``, at most ``limit``; a label ends the run."""
    out: list[Token] = []
    i = start
    while i < len(tokens) and len(out) < limit and tokens[i].kind != "label":
        out.append(tokens[i])
        i += 1
    return out


def _cell(tok: Token) -> Cell:
    return _parsed(tok.text if tok.kind == "value" else None)


def _quote_list(names: Iterable[str]) -> str:
    return "、".join(f"“{n}”" for n in names)


# ---------------------------------------------------------------------------- table 四


def _read_s4(layout: TableLayout, format_id: FormatId, tokens: Sequence[Token], cut_off: bool) -> TableRead:
    """Table 四 has one data row of 15 cells and no printed row label: take the first run of
    values after the header labels."""
    table = Table(layout=format_id)
    block, row = layout.blocks[0], layout.blocks[0].rows[0]
    for col in block.columns:
        table.set(row.id, col.id, None)
    start = next((i for i, t in enumerate(tokens) if t.kind == "value"), None)
    if start is None:
        msg = "表四没有读到任何数值" + ("（原文在此中断）" if cut_off else "") + "，单元格全部留空。请对照原文补填。"
        return TableRead(table, [_warn(msg, "表四")], 0)
    while start > 0 and tokens[start - 1].kind == "blank" and tokens[start - 1].line == tokens[start].line:
        start -= 1  # an empty first cell of the data row is an explicit blank
    values = take_values(tokens, start, len(block.columns))
    for col, tok in zip(block.columns, values, strict=False):
        table.set(row.id, col.id, _cell(tok))
    diags: list[Diagnostic] = []
    if len(values) < len(block.columns):
        missing = _quote_list(c.path for c in block.columns[len(values) :])
        reason = "原文在此中断" if cut_off else "已从左往右填入"
        msg = f"表四只读到{len(values)}个数（应有{len(block.columns)}个），{reason}，{missing}留空。请对照原文核对。"
        diags.append(_warn(msg, "表四"))
    return TableRead(table, diags, 1)


def read_table(table_id: TableId, format_id: FormatId, tokens: Sequence[Token], *, cut_off: bool) -> TableRead:
    """Fill one table of the given format from the tokens of its part of the document.

    ``cut_off`` says the document ends inside this table, so rows after the last one read
    are reported as one interruption instead of one by one.
    """
    layout = table_layout(format_id, table_id)
    if table_id == "s4":
        return _read_s4(layout, format_id, tokens, cut_off)
    return _Reader(layout, format_id, tokens, cut_off).run()
