"""What the 数据填报 page does with its grid, without Streamlit widgets: apply a delta from the
browser once per sequence number, and 空白处填0 with the note it records."""

from __future__ import annotations

from typing import Any

from gkassist.cell_edits import CellId, apply_cell_edits, fill_blanks_with_zero
from gkassist.layouts import TableId
from gkassist.model import Report


def ack_key(sheet_key: str) -> str:
    """Where a sheet's last applied edit number is kept in the session."""
    return f"ack_{sheet_key}"


def apply_edit(report: Report, table_id: TableId, edit: dict[str, Any], acked: int) -> tuple[list[CellId], int]:
    """Apply a delta ({"seq", "cells"}): the cells that changed and the number to acknowledge
    (the highest seen). The browser re-sends edits until acknowledged, so a delta may repeat
    earlier cells: setting a cell to the text it has changes nothing."""
    changed = apply_cell_edits(report, table_id, edit["cells"])
    return changed, max(acked, int(edit["seq"]))


def fill_zero(report: Report, table_id: TableId) -> tuple[int, str]:
    """空白处填0 on one table: the number of cells filled and the note saved with the version
    (and shown to the clerk), "" when no cell was blank."""
    filled = fill_blanks_with_zero(report, table_id)
    if not filled:
        return 0, ""
    name = f"表{report.layout_of(table_id).numeral}"
    return len(filled), f"空白处填0：{name}的{len(filled)}个空白单元格已填为0"
