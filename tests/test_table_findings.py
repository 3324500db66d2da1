"""The 数据填报 page checks only its table's rules; it must find exactly what the full check
finds in that table, for any single-cell change."""

from __future__ import annotations

import pytest

from gkassist.checks import check_report
from gkassist.examples import SEED_TEXT, load_example
from gkassist.importers import import_file
from gkassist.layouts import TableId
from gkassist.model import Report
from gkassist.ui import findings_view

TABLES: tuple[TableId, ...] = ("s2", "s3", "s4")


def _reports() -> list[Report]:
    seed = import_file(SEED_TEXT).report
    assert seed is not None
    return [load_example("example-2021"), seed]


def _mutations(report: Report) -> list[Report]:
    """The report, and copies with one cell changed in each table (+1, blank, "/", text)."""
    out = [report]
    for table_id in TABLES:
        table = report.tables.get(table_id)
        if table is None:
            continue
        cells = [(r, c) for r, cols in table.cells.items() for c in cols]
        for i, raw in enumerate(("+1", "", "/", "abc")):
            if not cells:
                break
            row, col = cells[(i * 7) % len(cells)]
            copy = report.model_copy(deep=True)
            old = copy.table(table_id).get(row, col)
            new = str((old.value or 0) + 1) if raw == "+1" and old.value is not None else raw
            copy.table(table_id).set(row, col, new)
            out.append(copy)
    return out


@pytest.mark.parametrize("report", [m for r in _reports() for m in _mutations(r)])
def test_table_findings_equal_the_full_check_in_that_table(report: Report) -> None:
    full = check_report(report)
    for table_id in TABLES:
        assert findings_view.table_findings(report, table_id) == findings_view.findings_for_table(full, table_id)
