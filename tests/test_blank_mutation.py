"""Blank-cell mutation test: on a report that leaves its zeros blank (as many published
reports do), any single cell of tables 三 and 四 changed by +1 (a blank becomes 1) yields an
error at that cell's row or column; without a change the identities all hold."""

from __future__ import annotations

import pytest

from gkassist.checks import check_report
from gkassist.checks.rulebook import load_specs
from gkassist.examples import load_example
from gkassist.layouts import table_layout
from gkassist.model import Report

IDENTITY_CODES = frozenset(code for code, spec in load_specs().items() if spec.identity is not None)


def zeros_left_blank() -> Report:
    report = load_example("example-2021")
    for tid in ("s3", "s4"):
        table = report.table(tid)
        for row, cols in table.cells.items():
            for col, cell in cols.items():
                if cell.value == 0:
                    table.set(row, col, "")
    return report


BASE = zeros_left_blank()
CELLS = [
    (tid, row.id, col.id)
    for tid in ("s3", "s4")
    for block in table_layout("gk2021", tid).blocks
    for row in block.rows
    for col in block.columns
]


def test_base_leaves_zeros_blank_and_keeps_its_numbers() -> None:
    blanks = [(t, r, c) for t, r, c in CELLS if BASE.table(t).get(r, c).state == "blank"]  # type: ignore[arg-type]
    numbers = [(t, r, c) for t, r, c in CELLS if BASE.table(t).get(r, c).is_number]  # type: ignore[arg-type]
    assert len(blanks) > 100 and len(numbers) > 30 and len(blanks) + len(numbers) == len(CELLS)


def test_blank_zeros_raise_no_identity_error() -> None:
    findings = check_report(BASE)
    assert not [f.message for f in findings if f.code in IDENTITY_CODES]
    assert not [f.message for f in findings if f.severity == "error"]
    g1 = [f for f in findings if f.code == "G1"]
    assert [f.location.table for f in g1] == ["s3", "s4"]  # one warning per table, not one per cell
    assert sum(len(f.cells) for f in g1) == sum(1 for t, r, c in CELLS if BASE.table(t).get(r, c).state == "blank")  # type: ignore[arg-type]


def test_checking_leaves_the_blanks_blank() -> None:
    report = BASE.model_copy(deep=True)
    check_report(report)
    assert report.model_dump() == BASE.model_dump()


@pytest.mark.parametrize(("tid", "row_id", "col_id"), CELLS)
def test_plus_one_on_any_cell_is_located(tid: str, row_id: str, col_id: str) -> None:
    report = BASE.model_copy(deep=True)
    table = report.table(tid)  # type: ignore[arg-type]
    cell = table.get(row_id, col_id)
    table.set(row_id, col_id, str((cell.value or 0) + 1))  # a blank becomes 1
    layout = table_layout("gk2021", tid)
    row, col = layout.row(row_id), layout.column(row_id, col_id)
    hits = [
        f
        for f in check_report(report)
        if f.severity == "error"
        and f.location.table == tid
        and (f.location.row == row_id or f.location.column == col_id)
    ]
    assert hits, f"no error at {row.path} / {col.path} (was {cell.display()})"
