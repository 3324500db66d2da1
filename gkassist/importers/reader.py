"""The row tables' reader (二, 三): tokens of one table's part of the document -> cells.

Rows are found by their labels, in the order the layout prints them: exactly, with a unit
appended, cut over several lines, without the ordinal, after a stray piece of text, or by
similarity when misprinted. The values after a row label are that row's cells
(``settle`` turns them into cells; ``table4`` reads table 四). A missing cell is always
blank, never 0, and a cell that cannot be determined is never guessed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from gkassist.importers.normalise import (
    load_aliases,
    match_key,
    norm_label,
    strip_ordinal,
    strip_parenthetical,
)
from gkassist.importers.notes import table_diagnostics
from gkassist.importers.rows import RowSpec, RowTableState, TableRead, Taken, row_name, row_specs
from gkassist.importers.scan import label_index
from gkassist.importers.settle import Settler
from gkassist.importers.split import Reading, split_run
from gkassist.importers.table4 import S4Reader
from gkassist.importers.tokens import Token, parse_cell, structural_keys
from gkassist.layouts import FORMAT_IDS, Block, Column, FormatId, TableId, TableLayout, table_layout
from gkassist.model import ExtraRow, Table

_UNIT_IN_HEADER = re.compile(r"(万元|元)")
MIN_PREFIX = 6  # a cut label must keep this many normalised characters to be recognised
SIMILAR = 0.8  # difflib ratio for a misprinted label
_DEBRIS = 4  # a stray piece of a group label has at most this many key characters
_LOOKAHEAD = 3  # a misprinted label is compared with this many rows still expected


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


class RowReader(RowTableState):
    """Reads the row tables (二, 三) from their tokens: the table's state, and where the
    reading stands in the tokens."""

    def __init__(self, layout: TableLayout, format_id: FormatId, tokens: Sequence[Token], cut_off: bool) -> None:
        aliases = load_aliases()
        super().__init__(layout, format_id, row_specs(layout, format_id, aliases), Table(layout=format_id), cut_off)
        self.aliases = aliases
        self.tokens = tokens
        col_keys = {match_key(c.label) for b in layout.blocks for c in b.columns}
        self.structural = structural_keys(layout.id)
        self.matcher = _Matcher(self.specs, col_keys, self.structural)
        self.block: Block | None = None
        self.last_row: RowSpec | None = None
        self.tail = ""
        self.pos = 0
        self.awaiting: RowSpec | None = None  # matched, values not met yet

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
        Settler(self).run()
        return TableRead(self.table, table_diagnostics(self), len(self.filled))

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
                self.taken[row.index] = Taken(row, line, False)  # a line of its own: never beside the label
            self.notes.detached.extend(row_name(self.layout, r.row) for r in rows)
            self.pending = []
            return
        self.pending = []
        delimited = values[0].cell and values[0].line == label_line
        self.taken[spec.index] = Taken(spec, values, delimited, label_line)

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
            cells = {c.id: parse_cell(raw) for c, raw in zip(cols, reading, strict=False)} if reading else {}
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


def read_table(table_id: TableId, format_id: FormatId, tokens: Sequence[Token], *, cut_off: bool) -> TableRead:
    """Fill one table of the given format from the tokens of its part of the document.

    ``cut_off`` says the document ends inside this table, so rows after the last one read
    are reported as one interruption instead of one by one.
    """
    layout = table_layout(format_id, table_id)
    if table_id == "s4":
        return S4Reader(layout, format_id, tokens, cut_off).run()
    return RowReader(layout, format_id, tokens, cut_off).run()


__all__ = ["RowReader", "RowSpec", "S4Reader", "TableRead", "read_table", "row_name", "row_specs"]
