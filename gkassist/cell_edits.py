"""Cell edits from the data-entry grid: a delta of edited cells applied to a report, and
空白处填0 (every blank official cell of a table set to 0, on request only).

A cell is named by its address (``Location.address``: s3.new.natural). Values are stored as
typed: a blank stays blank, "/" and unreadable text are kept (the checks report them), and a
total the clerk typed is never recomputed.
"""

from __future__ import annotations

from collections.abc import Mapping

from gkassist.layouts import TableId, columns_of_rows
from gkassist.model import Report

CellId = tuple[str, str]  # (row id, column id) of an official cell
MAX_EDITS = 1_000  # per delta: a table has at most ~200 cells; anything beyond is not from our grid


def cell_address(table_id: TableId, row_id: str, col_id: str) -> str:
    """The address of an official cell, as ``Location.address`` writes it (s3.new.natural)."""
    return f"{table_id}.{row_id}.{col_id}"


def _cell_of(report: Report, table_id: TableId, address: str) -> CellId | None:
    """The (row, column) an address names in the table's layout; None for anything else
    (another table, an agency sub-row, an id the layout does not have)."""
    parts = address.split(".")
    if len(parts) != 3 or parts[0] != table_id:
        return None
    _, row_id, col_id = parts
    columns = columns_of_rows(report.table(table_id).layout, table_id).get(row_id)
    return (row_id, col_id) if columns is not None and col_id in columns else None


def apply_cell_edits(report: Report, table_id: TableId, edits: Mapping[str, object]) -> list[CellId]:
    """Write each edited cell (address → text as typed; None is blank) into the table.

    Unknown addresses are ignored (the browser only sends cells it drew from the layout), as
    are values that are not text. Returns the cells whose text changed: applying the same
    delta again changes nothing, so a delta sent twice is harmless.
    """
    table = report.table(table_id)
    changed: list[CellId] = []
    for address, value in list(edits.items())[:MAX_EDITS]:
        cell = _cell_of(report, table_id, str(address))
        if cell is None or not (value is None or isinstance(value, str | int)):
            continue
        raw = "" if value is None else str(value)
        if table.get(*cell).raw != raw.strip():
            table.set(*cell, raw)
            changed.append(cell)
    return changed


def blank_cells(report: Report, table_id: TableId) -> list[CellId]:
    """The official cells of the table that are blank, in table order. An official row whose
    figures an agency split into sub-rows is blank on purpose and not counted."""
    table = report.table(table_id)
    split = {(e.parent, c) for e in table.extra_rows for c in e.cells}
    layout = report.layout_of(table_id)
    return [
        (row.id, col.id)
        for block in layout.blocks for row in block.rows for col in block.columns
        if table.get(row.id, col.id).state == "blank" and (row.id, col.id) not in split
    ]


def fill_blanks_with_zero(report: Report, table_id: TableId) -> list[CellId]:
    """空白处填0: set every blank official cell of the table to 0 and return them. Cells holding
    anything (a number, "/", text) are left as they are; nothing is summed or recomputed."""
    filled = blank_cells(report, table_id)
    table = report.table(table_id)
    for row_id, col_id in filled:
        table.set(row_id, col_id, "0")
    return filled
