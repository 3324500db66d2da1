"""Cell-level rules: each cell holds a readable value of the right kind (A4, B4, C1, D1),
blank and "/" cells are reported (G1, G2), and 2019 procurement amounts state a unit (D5)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from gkassist.cells import Cell
from gkassist.checks.registry import implements, make_finding, shared
from gkassist.checks.spec import RuleSpec
from gkassist.findings import Finding, Location
from gkassist.layouts import Column, Row, TableLayout
from gkassist.model import TABLE_IDS, Report

CellEntry = tuple[TableLayout, Row, Column, Cell]


def _cells(report: Report, table_id: str) -> list[CellEntry]:
    """Every official cell of a table with its layout; listed once per check run for all cell rules."""
    return shared(f"cells:{id(report)}:{table_id}", lambda: _list_cells(report, table_id))


def _list_cells(report: Report, table_id: str) -> list[CellEntry]:
    table = report.tables.get(table_id)  # type: ignore[call-overload]
    if table is None:
        return []
    layout = report.layout_of(table_id)  # type: ignore[arg-type]
    return [
        (layout, row, col, table.get(row.id, col.id))
        for block in layout.blocks
        for row in block.rows
        for col in block.columns
    ]


def _location(layout: TableLayout, row: Row, col: Column) -> Location:
    return Location(table=layout.numeral, row=row.label, row_path=row.path, column=col.label, column_path=col.path)


def cell_problem(cell: Cell, col: Column) -> str | None:
    """Why a cell's value does not fit its column, in Chinese; None when it fits."""
    if cell.state == "invalid":
        return cell.reason or f"“{cell.raw}”不是数字"
    if cell.value is None:
        return None
    if col.kind == "money":
        return "金额不能为负数" if cell.value < 0 else None
    if isinstance(cell.value, Decimal):
        return f"“{cell.raw}”带有小数，此处应填整数"
    if col.kind == "count" and cell.value < 0:
        return f"“{cell.raw}”为负数，件数不能小于0"
    return None


def _value_rule(report: Report, spec: RuleSpec, table_id: str, layout_id: str | None = None) -> Iterator[Finding]:
    table = report.tables.get(table_id)  # type: ignore[call-overload]
    if table is None or (layout_id and table.layout != layout_id):
        return
    for layout, row, col, cell in _cells(report, table_id):
        problem = cell_problem(cell, col)
        if problem:
            yield make_finding(spec, _location(layout, row, col), raw=cell.raw, problem=problem)
    for extra in table.extra_rows:
        for col_id, cell in extra.cells.items():
            col = layout.column(extra.parent, col_id)
            problem = cell_problem(cell, col)
            if problem:
                loc = Location(table=layout.numeral, row=extra.label, row_path=f"{layout.row(extra.parent).label}·{extra.label}", column=col.label, column_path=col.path)
                yield make_finding(spec, loc, raw=cell.raw, problem=problem)


@implements("A4")
def a4_application_cells(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    return _value_rule(report, spec, "s3")


@implements("B4")
def b4_review_cells(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    return _value_rule(report, spec, "s4")


@implements("C1")
def c1_active_2021_cells(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    return _value_rule(report, spec, "s2", "gk2021")


@implements("D1")
def d1_active_2019_cells(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    return _value_rule(report, spec, "s2", "gk2019")


@implements("G1")
def g1_blank_cells(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    for table_id in TABLE_IDS:
        if table_id not in report.tables or report.tables[table_id].is_empty():
            continue  # a missing table is reported once by F1, not cell by cell
        table = report.tables[table_id]
        # an official row whose figures were split into agency sub-rows is blank on purpose
        split = {(e.parent, c) for e in table.extra_rows for c in e.cells}
        for layout, row, col, cell in _cells(report, table_id):
            if cell.state == "blank" and (row.id, col.id) not in split:
                yield make_finding(spec, _location(layout, row, col))


@implements("G2")
def g2_not_applicable_cells(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    for table_id in TABLE_IDS:
        for layout, row, col, cell in _cells(report, table_id):
            if cell.state == "na":
                yield make_finding(spec, _location(layout, row, col), raw=cell.raw)


@implements("D5")
def d5_procurement_unit(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    table = report.tables.get("s2")
    if table is None or table.layout != "gk2019":
        return
    for layout, row, col, cell in _cells(report, "s2"):
        if col.id != "proc_amount" or cell.value is None:
            continue
        if cell.unit:
            yield make_finding(spec, _location(layout, row, col), problem=f"单元格“{cell.raw}”中写有单位“{cell.unit}”")
        elif cell.value != 0 and "proc_amount" not in table.column_units:
            yield make_finding(spec, _location(layout, row, col), problem=f"采购总金额“{cell.raw}”未注明单位")
