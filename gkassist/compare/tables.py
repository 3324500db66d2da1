"""Table comparison: every cell this year beside last year, the change, and the biggest moves.

Rows are matched by id across the two layouts, so a format change (2020 → 2021) shows the
rows of table 二 that exist in one year only (presence "this"/"last"); table 三 and 四 have the
same ids in both formats. Columns of a row are this year's block columns, then any column
only last year's block has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from gkassist.cells import BLANK, Cell
from gkassist.last_year.config import compare_config
from gkassist.layouts import Block, Column, TableId, TableLayout, table_layout
from gkassist.model import TABLE_IDS, Report
from gkassist.names import TABLE_NUMERALS

Presence = Literal["both", "this", "last"]
PRESENCE_ZH: dict[str, str] = {"both": "", "this": "仅本年", "last": "仅上年"}


@dataclass
class CellChange:
    table: TableId
    row_id: str
    row: str  # row path as printed
    col_id: str
    column: str  # column path as printed
    last: Cell
    this: Cell
    delta: int | Decimal | None  # this − last, when both are numbers
    highlight: bool = False

    @property
    def size(self) -> Decimal:
        """How much the cell moved (absolute change; 0 when not comparable)."""
        return abs(Decimal(self.delta)) if self.delta is not None else Decimal(0)

    @property
    def relative(self) -> float | None:
        if self.delta is None or self.last.value in (None, 0):
            return None
        assert self.last.value is not None
        return float(self.delta) / float(self.last.value)

    def change_zh(self) -> str:
        if self.delta is None:
            return "" if self.last.raw == self.this.raw else "不可比"
        if self.delta == 0:
            return "0"
        rel = self.relative
        text = f"{self.delta:+}"
        return f"{text}（{rel * 100:+.0f}%）" if rel is not None else text


@dataclass
class RowComparison:
    row_id: str
    label: str
    presence: Presence
    cells: list[CellChange] = field(default_factory=list)


@dataclass
class TableComparison:
    table: TableId
    title: str
    this_layout: str | None
    last_layout: str | None
    rows: list[RowComparison] = field(default_factory=list)

    @property
    def numeral(self) -> str:
        return TABLE_NUMERALS[self.table]

    def changes(self) -> list[CellChange]:
        return [c for r in self.rows for c in r.cells]


def _layout(report: Report, table: TableId) -> TableLayout | None:
    if table not in report.tables:
        return None
    return table_layout(report.tables[table].layout, table)


def _columns(this_block: Block | None, last_block: Block | None) -> list[Column]:
    cols = list(this_block.columns) if this_block else []
    ids = {c.id for c in cols}
    if last_block:
        cols += [c for c in last_block.columns if c.id not in ids]
    return cols


def compare_table(last: Report, this: Report, table: TableId) -> TableComparison:
    this_l, last_l = _layout(this, table), _layout(last, table)
    main = this_l or last_l or table_layout(this.meta.format, table)
    result = TableComparison(
        table=table,
        title=main.title,
        this_layout=this.tables[table].layout if this_l else None,
        last_layout=last.tables[table].layout if last_l else None,
    )
    order: list[str] = [r.id for r in this_l.rows()] if this_l else []
    if last_l:
        order += [r.id for r in last_l.rows() if r.id not in order]
    this_ids = {r.id for r in this_l.rows()} if this_l else set()
    last_ids = {r.id for r in last_l.rows()} if last_l else set()
    for row_id in order:
        in_this, in_last = row_id in this_ids, row_id in last_ids
        presence: Presence = "both" if in_this and in_last else ("this" if in_this else "last")
        source = this_l if in_this else last_l
        assert source is not None
        row = source.row(row_id)
        this_block = this_l.block_of(row_id) if this_l and in_this else None
        last_block = last_l.block_of(row_id) if last_l and in_last else None
        rc = RowComparison(row_id, row.path, presence)
        for col in _columns(this_block, last_block):
            a = last.tables[table].get(row_id, col.id) if in_last else BLANK
            b = this.tables[table].get(row_id, col.id) if in_this else BLANK
            delta = b.value - a.value if a.value is not None and b.value is not None else None
            rc.cells.append(CellChange(table, row_id, row.path, col.id, col.path, a, b, delta))
        result.rows.append(rc)
    return result


def compare_tables(last: Report, this: Report) -> list[TableComparison]:
    tables = [compare_table(last, this, t) for t in TABLE_IDS]
    top = compare_config().tables.highlight_top
    moved = [c for t in tables for c in t.changes() if c.delta]
    moved.sort(key=lambda c: (c.size, abs(c.relative or 0)), reverse=True)
    for c in moved[:top]:
        c.highlight = True
    return tables


def most_moved(tables: list[TableComparison]) -> list[CellChange]:
    moved = [c for t in tables for c in t.changes() if c.highlight]
    return sorted(moved, key=lambda c: c.size, reverse=True)
