"""Cell-level rules: each cell holds a readable value of the right kind (A4, B4, C1, D1),
blank and "/" cells are reported (G1, G2), and 2019 procurement amounts state a unit (D5)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from gkassist.cells import Cell
from gkassist.checks.registry import compose_finding, implements, make_finding, shared
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
    return Location(format=layout.format, table=layout.id, row=row.id, column=col.id)


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
                loc = Location(format=layout.format, table=layout.id, row=extra.parent, sub_row=extra.label, column=col_id)
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
    """One finding per table that lists its blank cells (a blank table opens with one
    warning, not 170); the cells ride along for screens that list them."""
    for table_id in TABLE_IDS:
        if table_id not in report.tables or report.tables[table_id].is_empty():
            continue  # a missing table is reported once by F1, not cell by cell
        table = report.tables[table_id]
        # an official row whose figures were split into agency sub-rows is blank on purpose
        split = {(e.parent, c) for e in table.extra_rows for c in e.cells}
        blank = [
            (layout, row, col) for layout, row, col, cell in _cells(report, table_id)
            if cell.state == "blank" and (row.id, col.id) not in split
        ]
        if not blank:
            continue
        layout = blank[0][0]
        listing = blank_listing(layout, [(row, col) for _, row, col in blank])
        cells = tuple(_location(*entry) for entry in blank)
        yield compose_finding(spec, Location(table=layout.id), {"count": len(blank), "listing": listing}, cells=cells)


G1_ROWS_LISTED = 6  # the message names this many rows; 数据填报 shows the count per table
G1_COLUMNS_LISTED = 4  # per row; a table of one row (表四) lists up to twice as many


def blank_listing(layout: TableLayout, cells: list[tuple[Row, Column]]) -> str:
    """Blank cells by row, compactly: “一、本年新收…”行的商业企业、科研机构；“1.属于国家秘密”整行……"""
    by_row: dict[str, tuple[Row, list[Column]]] = {}
    for row, col in cells:
        by_row.setdefault(row.id, (row, []))[1].append(col)
    labels = [r.label for r in layout.rows()]
    parts = []
    for row, cols in list(by_row.values())[:G1_ROWS_LISTED]:
        name = row.label if labels.count(row.label) == 1 else row.path
        block = layout.block_of(row.id)
        if len(cols) == len(block.columns) and len(cols) > 1:
            parts.append(f"“{name}”整行")
            continue
        col_labels = [c.label for c in block.columns]
        shown = [c.label if col_labels.count(c.label) == 1 else c.path for c in cols]
        limit = G1_COLUMNS_LISTED * (2 if len(block.rows) == 1 else 1)
        listed = "、".join(shown[:limit]) + (f"等{len(shown)}列" if len(shown) > limit else "")
        parts.append(listed if len(block.rows) == 1 else f"“{name}”行的{listed}")
    rest = f"……（共{len(by_row)}行有空白单元格）" if len(by_row) > G1_ROWS_LISTED else ""
    return "；".join(parts) + rest


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
