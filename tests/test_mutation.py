"""Mutation test: any single cell of tables 三 and 四 changed by ±1 yields a finding at that cell's row or column."""

from __future__ import annotations

import pytest

from gkassist.checks import check_report
from gkassist.examples import load_example
from gkassist.layouts import table_layout

BASE = load_example("example-2021")
CELLS = [
    (tid, row.id, col.id, delta)
    for tid in ("s3", "s4")
    for block in table_layout("gk2021", tid).blocks
    for row in block.rows
    for col in block.columns
    for delta in (1, -1)
]


def test_base_has_nonzero_cells() -> None:
    assert BASE.table("s3").get("new", "total").value and BASE.table("s4").get("cases", "review_total").value


@pytest.mark.parametrize(("tid", "row_id", "col_id", "delta"), CELLS)
def test_single_cell_change_is_located(tid: str, row_id: str, col_id: str, delta: int) -> None:
    report = BASE.model_copy(deep=True)
    cell = report.table(tid).get(row_id, col_id)  # type: ignore[arg-type]
    assert cell.value is not None
    report.table(tid).set(row_id, col_id, str(cell.value + delta))  # type: ignore[arg-type]
    layout = table_layout("gk2021", tid)
    row, col = layout.row(row_id), layout.column(row_id, col_id)
    hits = [
        f
        for f in check_report(report)
        if f.severity == "error"
        and f.location.table == tid
        and (f.location.row == row_id or f.location.column == col_id)
    ]
    assert hits, f"no finding at {row.path} / {col.path}"
