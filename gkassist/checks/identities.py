"""Evaluates the arithmetic identities declared in rules/checks/*.yaml.

A reader of the published table reads a blank (or "/") cell as nothing, so the arithmetic
reads blank and "/" cells as 0; the report itself is never changed. An identity that holds
that way is fine. One that fails is an error either way (a number is missing or a sum is
off), and its message names the blank cells as one possible cause. A cell that cannot be
read as a number makes the identity unevaluable: the cell rules report it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from gkassist.cells import Cell
from gkassist.checks.registry import compose_finding
from gkassist.checks.spec import ForEach, Identity, RuleSpec, parse_term, term_rows
from gkassist.findings import Finding, Location
from gkassist.layouts import TableLayout, table_layout
from gkassist.model import Report, Table

Number = int | Decimal
CellRows = dict[str, dict[str, Cell]]  # Table.cells: row id → column id → cell


@dataclass(frozen=True)
class Term:
    sign: int
    last_year: bool
    rows: tuple[str, ...]  # several rows when the term is a @tag; none for a constant
    col: str
    label: str
    const: int = 0
    cell_labels: tuple[str, ...] = ()  # one per row: how a blank cell of the term is named


def _parse_term(raw: str, layout: TableLayout, fixed: str, for_each: ForEach) -> Term:
    """A term resolved in one layout, with the names its message uses; KeyError for an id the
    layout does not have (rulebook.py reports that when the rule file is loaded)."""
    ref = parse_term(raw, for_each, fixed)
    if not ref.row:
        return Term(ref.sign, False, (), "", str(ref.const), ref.const)
    rows, col = term_rows(layout, ref), ref.column
    if ref.row.startswith("@"):
        label = layout.tags[ref.row[1:]]
    else:
        label = layout.row(ref.row).label if for_each != "row" else layout.column(ref.row, col).label
    if for_each == "none":
        label = f"{layout.row(ref.row).label}·{layout.column(ref.row, col).path}"
    cell_labels = tuple(_cell_label(layout, row, col, for_each) for row in rows) if len(rows) > 1 else (label,)
    if ref.last_year:
        label = f"上年报告{label}"
        cell_labels = tuple(f"上年报告{c}" for c in cell_labels)
    return Term(ref.sign, ref.last_year, rows, col, label, cell_labels=cell_labels)


def _cell_label(layout: TableLayout, row: str, col: str, for_each: str) -> str:
    """A cell of a @tag term, named as the message's place (a column or a row) leaves it open."""
    if for_each == "column":
        return layout.row(row).label
    if for_each == "row":
        return layout.column(row, col).label
    return f"{layout.row(row).label}·{layout.column(row, col).path}"


def _holds(left: Number, op: str, right: Number) -> bool:
    if op == "==":
        return left == right
    if op == "<=":
        return left <= right
    return left >= right


_OP_ZH = {"==": "应等于", "<=": "应不大于", ">=": "应不小于"}


def _applies(report: Report, ident: Identity) -> bool:
    table = report.tables.get(ident.table)
    if table is None or (ident.layout and table.layout != ident.layout):
        return False
    if ident.min_year and report.meta.year < ident.min_year:
        return False
    if ident.uses_last_year:
        last = report.last_year
        if last is None or ident.table not in last.tables:
            return False
        if ident.layout and last.tables[ident.table].layout != ident.layout:
            return False
    return True


def _iterations(layout: TableLayout, ident: Identity) -> Iterator[tuple[str, Location]]:
    """Each evaluation of the identity with the place its finding points at: the column, the
    row, or (for_each none) the cell of its first term."""
    fmt, table = layout.format, layout.id
    for fixed in ident.instances(layout):
        if ident.for_each == "column":
            yield fixed, Location(format=fmt, table=table, column=fixed)
        elif ident.for_each == "row":
            yield fixed, Location(format=fmt, table=table, row=fixed)
        else:
            first = parse_term(ident.left[0], "none", fixed)
            yield fixed, Location(format=fmt, table=table, row=first.row, column=first.column)


@dataclass(frozen=True)
class _Instance:
    """One evaluation of an identity (one column, one row, or the single cell set)."""

    location: Location
    left: tuple[Term, ...]
    right: tuple[Term, ...]


@cache
def _compile(ident: Identity, layout_id: str) -> tuple[_Instance, ...]:
    """Parse the identity's terms once per layout; evaluation then only reads cells."""
    layout = table_layout(layout_id, ident.table)
    return tuple(
        _Instance(
            location,
            tuple(_parse_term(t, layout, fixed, ident.for_each) for t in ident.left),
            tuple(_parse_term(t, layout, fixed, ident.for_each) for t in ident.right),
        )
        for fixed, location in _iterations(layout, ident)
    )


# A blank cell read as 0: (term, row id, the cell or None when the table has no entry for it).
Blank = tuple[Term, str, Cell | None]
Split = frozenset[tuple[str, str]]
_NO_SPLIT: Split = frozenset()


def _total(
    terms: tuple[Term, ...], current: CellRows, last: CellRows | None, blanks: list[Blank], split: Split, last_split: Split
) -> Number | None:
    """The sum of the terms with blank and "/" cells read as 0 (each one appended to ``blanks``);
    None when a cell cannot be read as a number, or is an official cell left blank because
    its figures were split into agency sub-rows.

    The hot loop of every check: it reads the cell dicts directly.
    """
    total: Number = 0
    for term in terms:
        if not term.rows:
            total += term.sign * term.const
            continue
        cells = last if term.last_year else current
        if cells is None:
            return None
        col = term.col
        part: Number = term.const
        for row in term.rows:
            row_cells = cells.get(row)
            cell = row_cells.get(col) if row_cells is not None else None
            value = cell.value if cell is not None else None
            if value is None:
                if cell is not None and cell.state == "invalid":
                    return None
                if (row, col) in (last_split if term.last_year else split):
                    return None
                blanks.append((term, row, cell))
                continue
            part += value
        total += term.sign * part
    return total


def _split_cells(table: Table | None) -> Split:
    """Official cells whose figures an agency split into sub-rows (rare; blank on purpose)."""
    if table is None or not table.extra_rows:
        return _NO_SPLIT
    return frozenset((e.parent, c) for e in table.extra_rows for c in e.cells)


def evaluate(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    ident = spec.identity
    assert ident is not None
    if not _applies(report, ident):
        return
    table = report.tables[ident.table]
    current = table.cells
    last_table = report.last_year.tables.get(ident.table) if report.last_year is not None else None
    last = last_table.cells if last_table is not None else None
    split, last_split = _split_cells(table), _split_cells(last_table)
    blanks: list[Blank] = []
    for inst in _compile(ident, table.layout):
        blanks.clear()
        left = _total(inst.left, current, last, blanks, split, last_split)
        if left is None:
            continue
        right = _total(inst.right, current, last, blanks, split, last_split)
        if right is None or _holds(left, ident.op, right):
            continue
        values: dict[str, object] = {
            "left_terms": _describe(inst.left, current, last),
            "right_terms": _describe(inst.right, current, last),
            "left": left,
            "right": right,
            "op": _OP_ZH[ident.op],
            "diff": abs(left - right),
        }
        if blanks:
            values["blank_cells"] = "、".join(_blank_names(blanks))
        yield compose_finding(spec, inst.location, values, note=_blank_note(blanks) if blanks else "")


def _blank_names(blanks: list[Blank]) -> list[str]:
    return [f"“{term.cell_labels[term.rows.index(row)]}”" for term, row, _ in blanks]


def _blank_note(blanks: list[Blank]) -> str:
    """The sentence that names the blank cells the failing identity read as 0."""
    empty = [name for name, (_, _, cell) in zip(_blank_names(blanks), blanks, strict=True) if cell is None or cell.state == "blank"]
    marked = [
        f"{name}填写为“{cell.raw}”"
        for name, (_, _, cell) in zip(_blank_names(blanks), blanks, strict=True)
        if cell is not None and cell.state == "na"
    ]
    parts = ([f"{''.join(empty)}为空白"] if empty else []) + marked
    both, these = ("均", "这些单元格") if len(blanks) > 1 else ("", "该单元格")
    return (
        f"其中{'，'.join(parts)}，核对时{both}按0计算（表中仍保持原样）；"
        f"如{these}本应有数字，请补填，否则请核对其他数字。"
    )


def _describe(terms: tuple[Term, ...], current: CellRows, last: CellRows | None) -> str:
    parts = []
    for i, term in enumerate(terms):
        sign = "－" if term.sign < 0 else ("＋" if i else "")
        parts.append(f"{sign}{term.label}（{_shown(term, current, last)}）")
    return "".join(parts)


def _shown(term: Term, current: CellRows, last: CellRows | None) -> str:
    """A term's value as the message shows it: the number (blank cells as 0), or 空白 / the
    "/" as written when every cell of the term is blank or "/"."""
    if not term.rows:
        return str(term.const)
    cells = last if term.last_year else current
    read = [(cells or {}).get(row, {}).get(term.col) for row in term.rows]
    numbers = [c.value for c in read if c is not None and c.value is not None]
    if numbers:
        return str(abs(sum(numbers, term.const)))
    marks = {c.raw for c in read if c is not None and c.state == "na"}
    if not marks:
        return "空白"
    if len(read) == 1:
        return f"“{marks.pop()}”"
    return "空白或“/”" if len(marks) < len(read) else "“/”"


def identity_cells(ident: Identity, layout_id: str, address: str) -> tuple[tuple[str, str], ...]:
    """The cells of this year's table that take part in the identity's evaluation at
    ``address`` (the Location.address of its finding, e.g. s3.*.natural): the total and its
    parts, for a column as for a row. Last year's cells are not on this year's grid and are left
    out; () when no evaluation has that address."""
    for inst in _compile(ident, layout_id):
        if inst.location.address == address:
            return tuple(
                (row, term.col) for term in (*inst.left, *inst.right) if not term.last_year for row in term.rows
            )
    return ()
