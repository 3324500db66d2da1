"""Evaluates the arithmetic identities declared in rules/checks/*.yaml.

An identity is skipped where one of its cells is blank, "/" or unreadable: those cells are
reported by the cell rules, and a blank is never read as 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from gkassist.cells import Cell
from gkassist.checks.registry import make_finding
from gkassist.checks.spec import Identity, RuleSpec
from gkassist.findings import Finding, Location
from gkassist.layouts import TABLE_NUMERALS, TableLayout, table_layout
from gkassist.model import Report

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


def _parse_term(raw: str, layout: TableLayout, fixed: str, for_each: str) -> Term:
    sign = -1 if raw.startswith("-") else 1
    name = raw.lstrip("-")
    last = name.startswith("last:")
    name = name.removeprefix("last:")
    if name.isdigit():
        return Term(sign, False, (), "", name, int(name))
    if for_each == "column":
        row_name, col = name, fixed
    elif for_each == "row":
        row_name, col = fixed, name
    else:
        row_name, col = name.split(".", 1)
    if row_name.startswith("@"):
        tag = row_name[1:]
        rows = tuple(r.id for r in layout.rows() if tag in r.tags)
        label = _TAG_LABELS.get(tag, tag)
    else:
        rows = (row_name,)
        label = layout.row(row_name).label if for_each != "row" else layout.column(row_name, col).label
    if for_each == "none":
        label = f"{layout.row(row_name).label}·{layout.column(row_name, col).path}"
    if last:
        label = f"上年报告{label}"
    return Term(sign, last, rows, col, label)


_TAG_LABELS = {
    "outcome": "三、本年度办理结果（一）至（六）各项之和",
    "deny": "（三）不予公开各项之和",
    "unable": "（四）无法提供各项之和",
    "noproc": "（五）不予处理各项之和",
    "other": "（六）其他处理各项之和",
}


def _value(report: Report, table: str, term: Term) -> Number | None:
    source = report.last_year if term.last_year else report
    if not term.rows:
        return term.sign * term.const
    if source is None or table not in source.tables:
        return None
    total: Number = term.const
    for row in term.rows:
        cell = source.tables[table].get(row, term.col)
        if cell.value is None:
            return None
        total += cell.value
    return term.sign * total


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
    numeral = TABLE_NUMERALS[ident.table]
    if ident.for_each == "column":
        for col in layout.blocks[0].columns:
            yield col.id, Location(table=numeral, column=col.label, column_path=col.path)
    elif ident.for_each == "row":
        for block in layout.blocks:
            if ident.blocks and block.id not in ident.blocks:
                continue
            for row in block.rows:
                yield row.id, Location(table=numeral, row=row.label, row_path=row.path)
    else:
        row_id, col_id = ident.left[0].lstrip("-").removeprefix("last:").split(".", 1)
        row, col = layout.row(row_id), layout.column(row_id, col_id)
        yield "", Location(table=numeral, row=row.label, row_path=row.path, column=col.label, column_path=col.path)


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


def _total(terms: tuple[Term, ...], current: CellRows, last: CellRows | None) -> Number | None:
    """The sum of the terms, or None when a cell they read is blank, "/" or missing.

    The hot loop of every check: it reads the cell dicts directly instead of going through _value.
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
                return None
            part += value
        total += term.sign * part
    return total


def evaluate(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    ident = spec.identity
    assert ident is not None
    if not _applies(report, ident):
        return
    current = report.tables[ident.table].cells
    last_table = report.last_year.tables.get(ident.table) if report.last_year is not None else None
    last = last_table.cells if last_table is not None else None
    for inst in _compile(ident, report.tables[ident.table].layout):
        left = _total(inst.left, current, last)
        right = _total(inst.right, current, last) if left is not None else None
        if left is None or right is None or _holds(left, ident.op, right):
            continue
        yield make_finding(
            spec,
            inst.location,
            left_terms=_describe(inst.left, [_value(report, ident.table, t) for t in inst.left]),
            right_terms=_describe(inst.right, [_value(report, ident.table, t) for t in inst.right]),
            left=left,
            right=right,
            op=_OP_ZH[ident.op],
            diff=abs(left - right),
        )


def _describe(terms: tuple[Term, ...], values: list[Number | None]) -> str:
    parts = []
    for i, (term, value) in enumerate(zip(terms, values, strict=True)):
        shown = abs(value) if value is not None else value
        sign = "－" if term.sign < 0 else ("＋" if i else "")
        parts.append(f"{sign}{term.label}（{shown}）")
    return "".join(parts)
