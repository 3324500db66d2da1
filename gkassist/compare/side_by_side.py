"""Which cells of the printed tables changed between last year and this year, by address.

The reviewer's view draws last year's and this year's table side by side, each as printed
(its own layout: a 2019-format table 二 beside a 2021-format one), and marks the same cells on
both sides. A cell changed when its number differs, or, when one side is not a number, when
its text differs (a blank beside a 0 is a change: a blank is not a 0). Rows that exist in one
year's layout only are marked as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gkassist.cell_edits import cell_address
from gkassist.compare.tables import CellChange, TableComparison
from gkassist.layouts import TableId

CellMark = Literal["changed", "biggest"]


def is_changed(change: CellChange) -> bool:
    if change.delta is not None:
        return change.delta != 0
    return change.last.raw.strip() != change.this.raw.strip()


@dataclass(frozen=True)
class TableDiff:
    table: TableId
    changed: dict[str, CellChange]  # cell address (s3.new.natural) → the change, for changed cells only
    only_this: frozenset[str]  # row ids in this year's layout only
    only_last: frozenset[str]  # row ids in last year's layout only

    def mark(self, address: str) -> CellMark | None:
        """How a cell is marked on both sides: one of the biggest moves, changed, or not at all."""
        change = self.changed.get(address)
        if change is None:
            return None
        return "biggest" if change.highlight else "changed"

    def tip(self, address: str) -> str:
        """The cell's change in words, for its tooltip: 上年 3，本年 5，变化 +2（+67%）."""
        change = self.changed.get(address)
        if change is None:
            return ""
        last, this = change.last.raw or "空白", change.this.raw or "空白"
        moved = change.change_zh()
        return f"上年 {last}，本年 {this}" + (f"，变化 {moved}" if moved and moved != "不可比" else "")

    @property
    def count(self) -> int:
        return len(self.changed)


def table_diff(table: TableComparison) -> TableDiff:
    """The changed cells of one table (rows present in both years) and the rows of one year only."""
    changed: dict[str, CellChange] = {}
    only_this: set[str] = set()
    only_last: set[str] = set()
    for row in table.rows:
        if row.presence == "this":
            only_this.add(row.row_id)
            continue
        if row.presence == "last":
            only_last.add(row.row_id)
            continue
        for c in row.cells:
            if is_changed(c):
                changed[cell_address(table.table, c.row_id, c.col_id)] = c
    return TableDiff(table.table, changed, frozenset(only_this), frozenset(only_last))


def table_diffs(tables: list[TableComparison]) -> dict[TableId, TableDiff]:
    return {t.table: table_diff(t) for t in tables}
