"""按明细填写合计: write each printed total of a table from its parts, on request only.

A total is written only when every part is a number: a blank, "/" or unreadable part is
reported, never counted as 0, and a total whose parts are all blank stays as it is.
"""

from __future__ import annotations

from gkassist.cells import sum_numbers
from gkassist.layouts import TableId
from gkassist.model import Report
from gkassist.names import TABLE_NUMERALS


def fill_totals(report: Report, table_id: TableId) -> list[str]:
    """Row totals (（七）总计 = the outcome rows) first, then column totals (总计 = the columns
    under the same header). Returns a Chinese line per changed or skipped total."""
    layout = report.layout_of(table_id)
    notes: list[str] = []
    for block in layout.blocks:
        for total_row in block.rows:
            if total_row.total_of is None:
                continue
            parts = [r.id for r in layout.tagged(total_row.total_of)]  # （七）总计 = the @outcome rows
            for col in block.columns:
                notes += _write_total(report, table_id, total_row.id, col.id, [(r, col.id) for r in parts],
                                      f"“{total_row.label}”行“{col.path}”列")
        for col in block.columns:
            if col.role != "total":
                continue
            parts = [c.id for c in block.columns if c.role != "total" and c.groups[: len(col.groups)] == col.groups]
            for row in block.rows:
                notes += _write_total(report, table_id, row.id, col.id, [(row.id, p) for p in parts],
                                      f"“{row.path}”行“{col.path}”列")
    return notes


def _write_total(report: Report, table_id: TableId, row_id: str, col_id: str, parts: list[tuple[str, str]], where: str) -> list[str]:
    if not parts:
        return []
    table = report.table(table_id)
    if all(table.get(r, c).state == "blank" for r, c in parts):
        return []
    value = sum_numbers(table.get(r, c).value for r, c in parts)
    if value is None:
        return [f"表{TABLE_NUMERALS[table_id]}{where}：明细中有空白、“/”或无法识别的内容，未计算合计，请先补全明细。"]
    old = table.get(row_id, col_id)
    if old.value == value and old.is_number:
        return []
    table.set(row_id, col_id, str(value))
    return [f"表{TABLE_NUMERALS[table_id]}{where}：由“{old.display()}”改为{value}。"]
