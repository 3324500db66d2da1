"""The table reader: tokens of one table's part of the document -> the table's cells.

Rows are found by their labels, in the order the layout prints them: exactly, with a unit
appended, cut over several lines, without the ordinal, after a stray piece of text, or by
similarity when misprinted. The values after a row label are that row's cells:

- delimited cells ('|', tab, <td>) keep the places the delimiters give them;
- undelimited numbers are read in order; numbers run together ('640020470') are split by
  ``split.split_run``; where a row can be read several ways, the table's own identities
  decide (``solve``), and where they cannot, the row stays blank with a note.

A missing cell is always blank, never 0, and a cell that cannot be determined is never
guessed from its neighbours.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

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
from gkassist.importers.scan import label_index
from gkassist.importers.solve import Equation, agreed, solve, table_equations
from gkassist.importers.split import Number, Reading, RowEquation, cell_value, place_words, split_run
from gkassist.importers.tokens import Token, _parsed, structural_keys
from gkassist.layouts import FORMAT_IDS, Block, Column, FormatId, Row, TableId, TableLayout, table_layout
from gkassist.model import ExtraRow, Table

_UNIT_IN_HEADER = re.compile(r"(万元|元)")
MIN_PREFIX = 6  # a cut label must keep this many normalised characters to be recognised
SIMILAR = 0.8  # difflib ratio for a misprinted label
_DEBRIS = 4  # a stray piece of a group label has at most this many key characters
_LOOKAHEAD = 3  # a misprinted label is compared with this many rows still expected


@dataclass(frozen=True)
class RowSpec:
    index: int
    row: Row
    block: Block
    keys: tuple[str, ...]


@dataclass
class TableRead:
    """A table as read, what went wrong, and how many rows had at least one value."""

    table: Table
    diagnostics: list[Diagnostic]
    rows_with_values: int


@dataclass
class _Taken:
    """The value tokens a row label took, and whether delimiters fixed their places."""

    spec: RowSpec
    tokens: list[Token]
    delimited: bool
    label_line: int = -1


@dataclass
class _Notes:
    """Per-table findings, collected by kind so one message can list many rows."""

    no_values: list[tuple[int, str]] = field(default_factory=list)
    total_only: list[tuple[int, str]] = field(default_factory=list)
    short: list[tuple[int, str]] = field(default_factory=list)
    too_many: list[tuple[int, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    parents: dict[str, list[str]] = field(default_factory=dict)
    similar: list[tuple[str, str]] = field(default_factory=list)  # (printed, official)
    detached: list[str] = field(default_factory=list)
    decided: list[str] = field(default_factory=list)  # identities chose the reading
    undecided: list[str] = field(default_factory=list)  # full sentences, row left blank
    stray: list[str] = field(default_factory=list)  # numbers after the table's rows, without a label


# ---------------------------------------------------------------------------- labels


def row_specs(layout: TableLayout, format_id: FormatId, aliases: Aliases) -> list[RowSpec]:
    specs: list[RowSpec] = []
    for block in layout.blocks:
        for row in block.rows:
            labels = (row.label, *aliases.row_aliases(format_id, layout.id, row.id))
            specs.append(RowSpec(len(specs), row, block, tuple(match_key(x) for x in labels)))
    return specs


def row_name(layout: TableLayout, row: Row) -> str:
    """How a row is named in messages: with its block head (表二) or group labels (表三)."""
    block = layout.block_of(row.id)
    return f"{block.head}·{row.label}" if block.head else row.path


@dataclass(frozen=True)
class _Hit:
    spec: RowSpec
    tail: str = ""  # the part of the label still expected in the next tokens (a cut label)
    used: int = 1  # label tokens the label took (a label cut into pieces)
    printed: str = ""  # a misprinted label, quoted in a note


class _Matcher:
    """Matches label tokens to the rows still expected, in print order."""

    def __init__(self, specs: Sequence[RowSpec], column_keys: set[str], structural: frozenset[str]) -> None:
        self.specs = specs
        self.column_keys = column_keys
        self.structural = structural
        self.by_key: dict[str, list[int]] = {}
        self.by_bare: dict[str, list[int]] = {}
        for spec in specs:
            for k in spec.keys:
                self.by_key.setdefault(k, []).append(spec.index)
                self.by_bare.setdefault(strip_ordinal(k), []).append(spec.index)

    def exact(self, key: str, start: int) -> _Hit | None:
        """The label as printed, or followed by a unit ('行政规范性文件（件）')."""
        for k in (key, strip_parenthetical(key)) if key.endswith(")") else (key,):
            index = next((i for i in self.by_key.get(k, ()) if i >= start), None)
            if index is not None:
                spec = self.specs[index]
                # a short form that may go on ('（二）部分公开' + '（区分处理的…）')
                longer = max((x for x in spec.keys if x.startswith(k)), key=len)
                return _Hit(spec, longer[len(k) :] if k == key else "")
        return None

    def loose(self, tokens: Sequence[Token], i: int, start: int) -> _Hit | None:
        """A label cut, without its ordinal, broken into pieces, run into stray text or
        misprinted."""
        tok = tokens[i]
        rest = self.specs[start:]
        hit = self._one(tok.key, tok.text, rest, start)
        if hit is not None:
            return hit
        joined, text = tok.key, tok.text
        for used in range(2, 4):  # a label broken into short pieces: '2.重复' + '申请'
            nxt = i + used - 1
            if nxt >= len(tokens) or tokens[nxt].kind != "label" or len(joined) >= 12:
                break
            joined, text = joined + tokens[nxt].key, text + tokens[nxt].text
            found = self.exact(joined, start) or self._one(joined, text, rest, start)
            if found is not None:
                return _Hit(found.spec, found.tail, used, found.printed)
        return self._glued(tok, rest) or self._similar(tok, rest)

    def _one(self, key: str, text: str, rest: Sequence[RowSpec], start: int) -> _Hit | None:
        return self._prefix(key, text, rest) or self._unnumbered(key, start)

    def _prefix(self, key: str, text: str, rest: Sequence[RowSpec]) -> _Hit | None:
        """A label cut in two ('2.没有现成信息需要' + '另行制作'): unique prefix match."""
        if len(norm_label(text)) < MIN_PREFIX:
            return None
        hits = [(s, k) for s in rest for k in s.keys if k.startswith(key)]
        if len({s.index for s, _ in hits}) != 1:
            return None
        spec, full = hits[0]
        return _Hit(spec, full[len(key) :])

    def _unnumbered(self, key: str, start: int) -> _Hit | None:
        """A label printed without its ordinal ('属于国家秘密')."""
        bare = strip_ordinal(key)
        if len(bare) < 4 or bare in self.column_keys:
            return None
        hits = sorted({i for i in self.by_bare.get(bare, ()) if i >= start})
        return _Hit(self.specs[hits[0]]) if len(hits) == 1 else None

    def _glued(self, tok: Token, rest: Sequence[RowSpec]) -> _Hit | None:
        """Text that ends with a row label: a misprinted group label or a fragment run
        together with it ('（三）不子公开1.属于国家秘密')."""
        for spec in rest:
            for k in spec.keys:
                if len(k) >= 4 and tok.key.endswith(k) and len(tok.key) > len(k):
                    lead = tok.key[: -len(k)]
                    return _Hit(spec, printed="" if lead in self.structural else tok.text)
        return None

    def _similar(self, tok: Token, rest: Sequence[RowSpec]) -> _Hit | None:
        """A misprinted or abridged label ('2.其他法律法规禁止公开'): the most similar of the
        next rows still expected, when it is clearly the most similar."""
        if len(tok.key) < 4 or len(tok.key) > 80:
            return None
        scored = sorted(
            ((max(_ratio(tok.key, k) for k in s.keys), s.index, s) for s in rest[:_LOOKAHEAD]),
            key=lambda x: (-x[0], x[1]),
        )
        if not scored or scored[0][0] < SIMILAR:
            return None
        if len(scored) > 1 and scored[1][0] > scored[0][0] - 0.05:
            return None
        return _Hit(scored[0][2], printed=tok.text)


def _ratio(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


@cache
def _debris_keys(table_id: TableId) -> tuple[str, ...]:
    """Group labels and headers that a vertically set or wrapped label breaks into pieces."""
    return tuple(k for k in structural_keys(table_id) if len(k) >= 2)


def _is_debris(key: str, table_id: TableId, expected: Sequence[RowSpec]) -> bool:
    """A short stray piece of a group label ('本', '（四）无', '法提供', '他处理')."""
    if not key or len(key) > _DEBRIS or key in label_index().keys:
        return False
    if any(k.startswith(key) for s in expected for k in s.keys):
        return False
    return any(key in k for k in _debris_keys(table_id))


# ---------------------------------------------------------------------------- rows


class RowReader:
    """Reads the row tables (二, 三) from their tokens."""

    def __init__(self, layout: TableLayout, format_id: FormatId, tokens: Sequence[Token], cut_off: bool) -> None:
        self.aliases = load_aliases()
        self.layout = layout
        self.format_id = format_id
        self.tokens = tokens
        self.cut_off = cut_off
        self.table = Table(layout=format_id)
        self.specs = row_specs(layout, format_id, self.aliases)
        col_keys = {match_key(c.label) for b in layout.blocks for c in b.columns}
        self.structural = structural_keys(layout.id)
        self.matcher = _Matcher(self.specs, col_keys, self.structural)
        self.block: Block | None = None
        self.last_row: RowSpec | None = None
        self.matched: set[int] = set()
        self.filled: set[int] = set()
        self.notes = _Notes()
        self.tail = ""
        self.pos = 0
        self.awaiting: RowSpec | None = None  # matched, values not met yet
        self.pending: list[RowSpec] = []  # earlier rows matched without values
        self.taken: dict[int, _Taken] = {}

    def run(self) -> TableRead:
        for spec in self.specs:
            for col in spec.block.columns:
                self.table.set(spec.row.id, col.id, None)
        i = 0
        while i < len(self.tokens):
            tok = self.tokens[i]
            if tok.kind == "label":
                i = self._label(i)
                continue
            if tok.kind == "value" and self.matched:  # numbers no row label claims
                self.notes.stray.append(tok.text)
            i += 1
        self._close_awaiting()
        _Settler(self).run()
        return TableRead(self.table, _table_diagnostics(self), len(self.filled))

    # -- labels

    def _label(self, i: int) -> int:
        """Handle the label token at ``i``; returns the next token index."""
        tok = self.tokens[i]
        if self.tail and tok.key and self.tail.startswith(tok.key):
            self.tail = self.tail[len(tok.key) :]  # the rest of a label cut in pieces
            return self._values_for_awaiting(i)
        hit = self.matcher.exact(tok.key, self.pos)
        if hit is None:
            if self._block_head(tok) or self._header(tok) or tok.key in self.structural:
                self.tail = ""
                return i + 1
            if _is_debris(tok.key, self.layout.id, self.specs[self.pos :]):
                return i + 1
            hit = self.matcher.loose(self.tokens, i, self.pos)
        if hit is not None:
            self._start_row(hit)
            return self._values_for_awaiting(i + hit.used - 1)
        self.tail = ""
        values = self._values_after(i + 1, tok.line)
        if any(v.kind == "value" for v in values):
            self._unknown(tok, values)
        return i + 1 + len(values)

    def _start_row(self, hit: _Hit) -> None:
        self._close_awaiting()
        spec = hit.spec
        self.tail = hit.tail
        self.awaiting = spec
        self.matched.add(spec.index)
        self.block, self.last_row = spec.block, spec
        self.pos = spec.index + 1
        if hit.printed:
            self.notes.similar.append((hit.printed, row_name(self.layout, spec.row)))

    def _close_awaiting(self) -> None:
        if self.awaiting is not None:
            self.pending.append(self.awaiting)
            self.awaiting = None

    def _values_for_awaiting(self, last_label: int) -> int:
        """Give the values after a row's (last) label token to the row awaiting them."""
        nxt = last_label + 1
        if self.awaiting is None:
            return nxt
        values = self._values_after(nxt, self.tokens[last_label].line)
        if not values:
            return nxt
        spec = self.awaiting
        self.awaiting = None
        self._assign(spec, values, self.tokens[last_label].line)
        return nxt + len(values)

    def _values_after(self, start: int, label_line: int) -> list[Token]:
        """Value and blank tokens from ``start`` up to the next label. Delimited cells on the
        label's own line are that row's cells; the next line is another row."""
        out: list[Token] = []
        i = start
        while i < len(self.tokens) and self.tokens[i].kind != "label":
            out.append(self.tokens[i])
            i += 1
        if out and out[0].cell and out[0].line == label_line:
            out = [t for t in out if t.line == label_line]
        return out

    def _assign(self, spec: RowSpec, values: list[Token], label_line: int) -> None:
        """Values for a row; after a run of rows printed without values, a block of value
        lines, one per row, belongs to those rows in order."""
        lines = _by_line(values)
        width = len(spec.block.columns)
        rows = [*self.pending, spec]
        if len(self.pending) >= 1 and len(lines) == len(rows) and all(_fits(line, width) for line in lines):
            for row, line in zip(rows, lines, strict=True):
                self.taken[row.index] = _Taken(row, line, False)  # a line of its own: never beside the label
            self.notes.detached.extend(row_name(self.layout, r.row) for r in rows)
            self.pending = []
            return
        self.pending = []
        delimited = values[0].cell and values[0].line == label_line
        self.taken[spec.index] = _Taken(spec, values, delimited, label_line)

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
            found = _header_key(self.layout.id, block.id, tok.key)
            if found is None:
                continue
            col_id, unit = found
            if unit:
                self.table.column_units[col_id] = unit
            return True
        return False

    def _unknown(self, tok: Token, values: list[Token]) -> None:
        """Values after a label the format does not print: an agency's sub-row (表二) or noise."""
        parent = self.last_row
        if self.layout.id == "s2" and parent is not None:
            cols = parent.block.columns
            reading = _plain_reading(values, cols)
            cells = {c.id: _parsed(raw) for c, raw in zip(cols, reading, strict=False)} if reading else {}
            self.table.extra_rows.append(ExtraRow(parent=parent.row.id, label=tok.text, cells=cells))
            self.notes.parents.setdefault(parent.row.label, []).append(tok.text)
            self.pending = [p for p in self.pending if p.index != parent.index]
            return
        self.notes.unknown.append(tok.text)


@cache
def _headers(table_id: TableId, block_id: str, format_id: FormatId) -> dict[str, tuple[str, str]]:
    """Header keys of a block's columns -> (column id, unit printed in the header or '')."""
    aliases = load_aliases()
    block = next(b for b in table_layout(format_id, table_id).blocks if b.id == block_id)
    out: dict[str, tuple[str, str]] = {}
    for col in block.columns:
        out.setdefault(match_key(col.label), (col.id, col.unit or ""))
        for alias in aliases.column_aliases(table_id, col.id):
            out[match_key(alias.label)] = (col.id, alias.unit or "")
    return out


@lru_cache(maxsize=4096)
def _header_key(table_id: TableId, block_id: str, key: str) -> tuple[str, str] | None:
    """A header of the block in either format; a header printing a unit in brackets after
    the label ('本年收费金额（万元）') counts too."""
    for fmt in FORMAT_IDS:
        layout = table_layout(fmt, table_id)
        if not any(b.id == block_id for b in layout.blocks):
            continue
        headers = _headers(table_id, block_id, fmt)
        if key in headers:
            return headers[key]
        for col in next(b for b in layout.blocks if b.id == block_id).columns:
            base = strip_parenthetical(match_key(col.label))
            if len(base) >= 4 and key.startswith(base) and key[len(base) :].startswith("("):
                unit = _UNIT_IN_HEADER.search(key[len(base) :])
                return col.id, unit.group(1) if unit else ""
    return None


def _by_line(values: Sequence[Token]) -> list[list[Token]]:
    lines: list[list[Token]] = []
    for tok in values:
        if lines and lines[-1][-1].line == tok.line:
            lines[-1].append(tok)
        else:
            lines.append([tok])
    return lines


def _fits(line: Sequence[Token], width: int) -> bool:
    """A line of values that is one whole row: exactly the row's cells, or one run of them."""
    return len(line) == width or (len(line) == 1 and line[0].glued)


def _plain_reading(values: Sequence[Token], cols: Sequence[Column]) -> Reading | None:
    """The cells of an extra row: one token per cell, or a run with only one reading."""
    if any(t.glued for t in values):
        readings = split_run(" ".join(t.text for t in values), [c.kind for c in cols])
        return readings[0] if readings and len(readings) == 1 else None
    return tuple(t.text if t.kind == "value" else None for t in values[: len(cols)])


# ---------------------------------------------------------------------------- cells


class _Settler:
    """Turns the value tokens each row took into cells: direct where the tokens are the
    cells, else every reading the row allows, narrowed by the identities."""

    def __init__(self, reader: RowReader) -> None:
        self.r = reader
        self.equations = table_equations(reader.format_id, reader.layout.id) if reader.layout.id == "s3" else ()
        self.known: dict[tuple[str, str], Number | None] = {}
        self.options: dict[str, list[Reading]] = {}
        self.columns: dict[str, list[str]] = {}
        self.printed: dict[str, str] = {}
        self.specs: dict[str, RowSpec] = {}
        self.constrained: set[str] = set()  # rows that had other readings before the identities

    def run(self) -> None:
        r = self.r
        for spec in r.pending:
            r.notes.no_values.append((spec.index, row_name(r.layout, spec.row)))
        for index in sorted(r.taken):
            self._row(r.taken[index])
        if self.options:
            self._solve()

    def _row_equations(self, spec: RowSpec) -> list[RowEquation]:
        return list(_row_equations(self.r.format_id, self.r.layout.id, spec.row.id))

    def _row(self, taken: _Taken) -> None:
        spec, toks = taken.spec, taken.tokens
        cols = spec.block.columns
        width = len(cols)
        name = row_name(self.r.layout, spec.row)
        values = [t for t in toks if t.kind == "value"]
        if values:
            self.r.filled.add(spec.index)
        glued = any(t.glued for t in values)
        if taken.delimited or (not glued and len(toks) >= width):
            self._direct(spec, toks, name)
            return
        words = [t.text for t in values]
        eqs = self._row_equations(spec)
        kinds = [c.kind for c in cols]
        run = run_text(values)
        alone = len(words) == 1 and values[0].line != taken.label_line  # on a line of its own
        if not glued and alone and len(words[0]) < width:
            self._lone(spec, toks, name)  # one number, not several run together
            return
        splits = split_run(run, kinds, eqs)
        if splits is None:
            self._undecided(spec, name, run, "可能的读法过多")
            return
        placed = [] if glued else place_words(words, width, eqs)
        readings = list(dict.fromkeys([*splits, *placed]))
        if not readings and not glued and alone:
            self._lone(spec, toks, name)
        elif not readings:
            self._undecided(spec, name, run, f"无法按{width}个单元格读出符合勾稽关系的数值")
        elif len(readings) == 1:
            self._settle(spec, readings[0])
            if _more_than_one(run, kinds, glued, words, width):
                self.r.notes.decided.append(_decided_text(name, run, readings[0]))
        else:
            self._defer(spec, name, run, readings)

    def _direct(self, spec: RowSpec, toks: list[Token], name: str) -> None:
        """Tokens that are the cells themselves, left to right."""
        cols = spec.block.columns
        for col, tok in zip(cols, toks, strict=False):
            self.r.table.set(spec.row.id, col.id, _cell(tok))
            self.known[(spec.row.id, col.id)] = _known(_cell(tok))
        for col in cols[len(toks) :]:
            self.known[(spec.row.id, col.id)] = None
        if len(toks) < len(cols):
            missing = _quote_list(c.label for c in cols[len(toks) :])
            text = f"“{name}”行只读到{len(toks)}个数（应有{len(cols)}个），已从左往右填入，{missing}留空"
            self.r.notes.short.append((spec.index, text))
            for col in cols:  # a row filled from the left is no evidence for the identities
                self.known[(spec.row.id, col.id)] = None
        elif len(toks) > len(cols) and any(t.kind == "value" for t in toks[len(cols) :]):
            self.r.notes.too_many.append((spec.index, name))

    def _lone(self, spec: RowSpec, toks: list[Token], name: str) -> None:
        """One number for a row of several columns: the 总计 column when the row has one
        (reports that leave zeros blank print only the total)."""
        totals = [c for c in spec.block.columns if c.role == "total"]
        if len(totals) == 1 and len(spec.block.columns) > 1:
            self.r.table.set(spec.row.id, totals[0].id, _cell(toks[0]))
            self.r.notes.total_only.append((spec.index, name))
            return
        self._direct(spec, toks, name)

    def _settle(self, spec: RowSpec, reading: Reading) -> None:
        for col, raw in zip(spec.block.columns, reading, strict=True):
            self.r.table.set(spec.row.id, col.id, _parsed(raw))
            self.known[(spec.row.id, col.id)] = cell_value(raw)

    def _defer(self, spec: RowSpec, name: str, run: str, readings: list[Reading]) -> None:
        row_id = spec.row.id
        self.options[row_id] = readings
        self.columns[row_id] = [c.id for c in spec.block.columns]
        self.printed[row_id] = run
        self.specs[row_id] = spec

    def _undecided(self, spec: RowSpec, name: str, run: str, why: str) -> None:
        self.r.notes.undecided.append(f"“{name}”行原文数字为“{run.strip()}”，{why}，该行单元格留空")
        for col in spec.block.columns:
            self.known[(spec.row.id, col.id)] = None

    def _solve(self) -> None:
        known = dict(self.known)
        for spec in self.r.specs:  # rows not read are unknown: an equation touching them is not used
            for column in spec.block.columns:
                known.setdefault((spec.row.id, column.id), None)
        for row_id in self.options:
            for col_id in self.columns[row_id]:
                known.pop((row_id, col_id), None)
        result = solve(self.equations, known, self.options, self.columns)
        for row_id, readings in self.options.items():
            spec = self.specs[row_id]
            name = row_name(self.r.layout, spec.row)
            run = self.printed[row_id]
            picked = result.settled.get(row_id)
            if picked is not None:
                self._settle(spec, picked)
                self.r.notes.decided.append(_decided_text(name, run, picked))
                continue
            outcome = result.outcome.get(row_id, "open")
            self._partial(spec, name, run, sorted(result.picks.get(row_id, readings), key=_sort_key), outcome)

    def _partial(self, spec: RowSpec, name: str, run: str, readings: list[Reading], outcome: str) -> None:
        """A row read several ways: the cells every reading agrees on are filled, the others
        stay blank, and the note quotes the printed digits."""
        cols = spec.block.columns
        sure = agreed(readings) if readings and outcome == "open" else [(False, None)] * len(cols)
        for col, (certain, raw) in zip(cols, sure, strict=True):
            if certain:
                self.r.table.set(spec.row.id, col.id, _parsed(raw))
                self.known[(spec.row.id, col.id)] = cell_value(raw)
        shown = "或".join("、".join(c or "空白" for c in r) for r in readings[:2])
        why = {
            "open": f"有多种读法都说得通（如{shown}）",
            "conflict": "没有一种读法符合表格的勾稽关系（原表可能有误）",
            "too_many": "可能的读法过多",
        }.get(outcome, "有多种读法")
        open_cols = [c.label for c, (certain, _) in zip(cols, sure, strict=True) if not certain]
        if len(open_cols) == len(cols):
            self._undecided(spec, name, run, why)
            return
        self.r.notes.undecided.append(
            f"“{name}”行原文数字为“{run.strip()}”，{why}，已填入各种读法一致的单元格，{_quote_list(open_cols)}列无法确定，留空"
        )


@lru_cache(maxsize=512)
def _row_equations(format_id: FormatId, table_id: TableId, row_id: str) -> tuple[RowEquation, ...]:
    """The identities that lie within one row (总计 = the applicant columns), by column index."""
    if table_id != "s3":
        return ()
    cols = [c.id for c in table_layout(format_id, table_id).block_of(row_id).columns]
    eqs = (eq.row_equation(row_id, cols) for eq in table_equations(format_id, table_id))
    return tuple(eq for eq in eqs if eq is not None)


def run_text(values: Sequence[Token]) -> str:
    """The numbers of a row as printed, spacing kept; runs from different lines are apart."""
    runs = [t.run for t in values if t.run]
    return " ".join(runs) if runs else " ".join(t.text for t in values if t.kind == "value")


def _sort_key(reading: Reading) -> list[str]:
    return [c or "" for c in reading]


def _more_than_one(run: str, kinds: Sequence[str], glued: bool, words: Sequence[str], width: int) -> bool:
    """Whether the row could be read more than one way before the identities were applied."""
    loose = split_run(run, kinds, enough=1)
    count = len(loose) if loose is not None else 2
    if not glued:
        count += len(place_words(words, width))
    return count > 1


def _decided_text(name: str, run: str, reading: Reading) -> str:
    cells = "、".join(c if c is not None else "空白" for c in reading)
    return f"“{name}”行（原文“{run.strip()}”）读作{cells}"


def _known(cell: Cell) -> Number | None:
    if cell.state == "blank" or cell.state == "na":
        return 0
    return cell.value


def _cell(tok: Token) -> Cell:
    return _parsed(tok.text if tok.kind == "value" else None)


def _quote_list(names: Iterable[str]) -> str:
    return "、".join(f"“{n}”" for n in names)


def _warn(message: str, where: str) -> Diagnostic:
    return Diagnostic(level="warning", message=message, where=where)


def _info(message: str, where: str) -> Diagnostic:
    return Diagnostic(level="info", message=message, where=where)


# ---------------------------------------------------------------------------- messages


def _table_diagnostics(r: RowReader) -> list[Diagnostic]:
    where = f"表{r.layout.numeral}"
    last = max(r.filled, default=-1)
    cut = r.cut_off and last < len(r.specs) - 1
    keep = (lambda i: i <= last) if cut else (lambda i: True)  # rows after a cut are covered by it
    out: list[Diagnostic] = []
    if cut:
        out.append(_warn(_cut_message(r, last), where))
    elif last < 0 and r.matched and not r.notes.undecided:
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
    out.extend(_warn(f"{where}{text}。请对照原文填写。", where) for text in r.notes.undecided)
    if r.notes.stray:
        shown = "、".join(r.notes.stray[:10]) + ("等" if len(r.notes.stray) > 10 else "")
        msg = f"{where}中有数值前面没有栏目名称，无法确定属于哪一行，未导入：{shown}。请对照原文核对。"
        out.append(_warn(msg, where))
    if r.notes.decided:
        msg = (
            f"{where}以下各行的数字在原文中连写或缺列，可有多种读法，已按表格的勾稽关系（各行总计等于各列之和、"
            f"各列收支平衡）确定唯一读法：{'；'.join(r.notes.decided)}。请对照原文核对。"
        )
        out.append(_info(msg, where))
    for printed, official in r.notes.similar:
        msg = (
            f"{where}中的栏目“{printed}”与规定栏目不完全一致，已按相近的规定栏目“{official}”导入。请核对原文栏目名称。"
        )
        out.append(_info(msg, where))
    if r.notes.detached:
        msg = f"{where}中以下各行的数值与栏目名称分开排列，已按先后顺序对应：{_quote_list(r.notes.detached)}。请对照原文核对。"
        out.append(_info(msg, where))
    for parent, subs in r.notes.parents.items():
        msg = (
            f"{where}“{parent}”下列有分项{_quote_list(subs)}，已作为附加行导入。"
            f"规定格式中没有这些分项，请确认其数值已计入“{parent}”行。"
        )
        out.append(Diagnostic(level="info", message=msg, where=f"{where}·{parent}"))
    return out


def _cut_message(r: RowReader, last: int) -> str:
    where = f"表{r.layout.numeral}"
    if last < 0:
        return f"{where}在读到任何数值之前中断，单元格全部留空。原文可能不完整，请对照原文补填。"
    name = r.specs[last].row.label
    return f"{where}在“{name}”行之后中断，之后的单元格未读到。原文可能不完整，请对照原文补填。"


# ---------------------------------------------------------------------------- table 四


def _s4_equations(format_id: FormatId, cols: Sequence[str], row_id: str) -> list[RowEquation]:
    eqs = (eq.row_equation(row_id, cols) for eq in table_equations(format_id, "s4"))
    return [eq for eq in eqs if eq is not None]


@dataclass
class _Group:
    """A run of value tokens and the labels printed before it."""

    labels: list[Token]
    values: list[Token]


def _groups(tokens: Sequence[Token]) -> list[_Group]:
    out: list[_Group] = []
    labels: list[Token] = []
    values: list[Token] = []
    for tok in [*tokens, Token("label", "", -1, "")]:
        if tok.kind == "label":
            if any(v.kind == "value" for v in values):
                first = next(v for v in values if v.kind == "value")
                values = [v for v in values if v.kind == "value" or v.line == first.line]  # header blanks are not cells
                out.append(_Group(labels, values))
                labels = []
            values = []
            labels.append(tok)
        else:
            values.append(tok)
    return out


class S4Reader:
    """Table 四: one row of 15 cells. Printed as one row under a three-level header, as three
    small tables (行政复议 / 未经复议直接起诉 / 复议后起诉, five cells each), or transposed
    (results as rows, three cells each)."""

    def __init__(self, layout: TableLayout, format_id: FormatId, tokens: Sequence[Token], cut_off: bool) -> None:
        self.layout = layout
        self.format_id = format_id
        self.tokens = tokens
        self.cut_off = cut_off
        self.table = Table(layout=format_id)
        self.block = layout.blocks[0]
        self.row = self.block.rows[0]
        self.cols = list(self.block.columns)
        self.diags: list[Diagnostic] = []
        self.heads = {match_key(c.groups[-1]): c.groups[-1] for c in self.cols}
        self.results = {match_key(c.label) for c in self.cols}

    def run(self) -> TableRead:
        for col in self.cols:
            self.table.set(self.row.id, col.id, None)
        groups = _groups(self.tokens)
        if not groups:
            cut = "（原文在此中断）" if self.cut_off else ""
            return TableRead(
                self.table, [_warn(f"表四没有读到任何数值{cut}，单元格全部留空。请对照原文补填。", "表四")], 0
            )
        blocks = self._labelled(groups, self.heads) and self._by_blocks(groups)
        if not blocks and not (self._labelled(groups, self.results) and self._transposed(groups)):
            self._whole_row(groups[0].values)
        return TableRead(self.table, self.diags, 1)

    @staticmethod
    def _labelled(groups: list[_Group], keys: Iterable[str]) -> bool:
        """Several runs of numbers, each after one of these labels: a table in pieces."""
        wanted = set(keys)
        return len(groups) >= 2 and all(any(t.key in wanted for t in g.labels) for g in groups[:2])

    def _whole_row(self, values: list[Token]) -> None:
        """The first run of numbers is the row: as many numbers as cells (or delimited
        cells) fill it in order; numbers run together are split by the identities."""
        delimited = all(v.cell for v in values)
        if len(values) >= len(self.cols) and (delimited or not any(v.glued for v in values)):
            self._fill(self.cols, values[: len(self.cols)])
        elif not delimited:
            self._split(self.cols, run_text(values), "")
        else:  # fewer delimited cells than the table has: as many as there are, from the left
            self._fill(self.cols, values)
            missing = _quote_list(c.path for c in self.cols[len(values) :])
            reason = "原文在此中断" if self.cut_off else "已从左往右填入"
            msg = f"表四只读到{len(values)}个数（应有{len(self.cols)}个），{reason}，{missing}留空。请对照原文核对。"
            self.diags.append(_warn(msg, "表四"))

    def _fill(self, cols: Sequence[Column], values: Sequence[Token]) -> None:
        for col, tok in zip(cols, values, strict=False):
            self.table.set(self.row.id, col.id, _cell(tok))

    def _split(self, cols: Sequence[Column], run: str, name: str) -> None:
        """Read a run of numbers into ``cols`` with the 总计 = sum of the results identities;
        cells that the readings disagree on stay blank."""
        where = f"表四{name}"
        ids = [c.id for c in cols]
        eqs = _s4_equations(self.format_id, ids, self.row.id)
        kinds = [c.kind for c in cols]
        readings = split_run(run, kinds, eqs)
        if readings is not None and len(readings) == 1:
            for col, raw in zip(cols, readings[0], strict=True):
                self.table.set(self.row.id, col.id, _parsed(raw))
            if _more_than_one(run, kinds, True, [], len(cols)):
                cells = "、".join(c if c is not None else "空白" for c in readings[0])
                msg = (
                    f"{where}的数字在原文中连写为“{run.strip()}”，可有多种读法，"
                    f"已按“总计等于各结果之和”确定唯一读法：{cells}。请对照原文核对。"
                )
                self.diags.append(_info(msg, "表四"))
            return
        printed = run.strip()
        if not readings:
            why = (
                "可能的读法过多" if readings is None else f"无法按{len(cols)}个单元格读出符合“总计等于各结果之和”的数值"
            )
            msg = f"{where}的数字原文为“{printed}”，{why}，单元格留空。请对照原文填写。"
            self.diags.append(_warn(msg, "表四"))
            return
        sure = agreed(readings)
        for col, (certain, raw) in zip(cols, sure, strict=True):
            if certain:
                self.table.set(self.row.id, col.id, _parsed(raw))
        unsure = _quote_list(c.path for c, (certain, _) in zip(cols, sure, strict=True) if not certain)
        msg = (
            f"{where}的数字原文为“{printed}”，有多种读法都符合“总计等于各结果之和”，"
            f"已填入各种读法一致的单元格，{unsure}无法确定，留空。请对照原文填写。"
        )
        self.diags.append(_warn(msg, "表四"))

    def _by_blocks(self, groups: list[_Group]) -> bool:
        """Three small tables: a block label, then five cells."""
        done: set[str] = set()
        current = ""
        for group in groups:
            for tok in group.labels:
                if tok.key in self.heads:
                    current = tok.key
            if not current or current in done:
                continue
            cols = [c for c in self.cols if match_key(c.groups[-1]) == current]
            values = group.values
            if len(values) == len(cols) and (all(v.cell for v in values) or not any(v.glued for v in values)):
                self._fill(cols, values)
            else:
                self._split(cols, run_text(values), f"“{self.heads[current]}”")
            done.add(current)
        missing = [h for k, h in self.heads.items() if k not in done]
        if done and missing:
            msg = f"表四分块印刷，未读到{_quote_list(missing)}的数值，相应单元格留空。请对照原文补填。"
            self.diags.append(_warn(msg, "表四"))
        return bool(done)

    def _transposed(self, groups: list[_Group]) -> bool:
        """Results as rows (结果维持 … 总计), the three blocks as columns, in header order."""
        order = list(dict.fromkeys(t.key for t in self.tokens if t.kind == "label" and t.key in self.heads))
        if sorted(order) != sorted(self.heads):
            return False
        done = 0
        for group in groups:
            label = next((t.key for t in reversed(group.labels) if t.key in self.results), None)
            if label is None or len(group.values) != len(order) or any(v.glued for v in group.values):
                continue
            for head, tok in zip(order, group.values, strict=True):
                col = next(c for c in self.cols if match_key(c.label) == label and match_key(c.groups[-1]) == head)
                self.table.set(self.row.id, col.id, _cell(tok))
            done += 1
        if done:
            msg = "表四按行列互换的形式印刷（各结果为行、复议和诉讼为列），已按栏目对应导入。请对照原文核对。"
            self.diags.append(_info(msg, "表四"))
        return done > 0


def read_table(table_id: TableId, format_id: FormatId, tokens: Sequence[Token], *, cut_off: bool) -> TableRead:
    """Fill one table of the given format from the tokens of its part of the document.

    ``cut_off`` says the document ends inside this table, so rows after the last one read
    are reported as one interruption instead of one by one.
    """
    layout = table_layout(format_id, table_id)
    if table_id == "s4":
        return S4Reader(layout, format_id, tokens, cut_off).run()
    return RowReader(layout, format_id, tokens, cut_off).run()


__all__ = ["Equation", "RowReader", "RowSpec", "S4Reader", "TableRead", "read_table", "row_name", "row_specs"]
