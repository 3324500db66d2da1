"""The 数据填报 grids: a table block as an editor frame (row labels, one column per cell column,
a marker column with the findings on each row) and the frame's edits back into the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gkassist.findings import SEVERITY_ORDER, SEVERITY_ZH, Finding
from gkassist.last_year.carry_over import carried_in_prefilled
from gkassist.layouts import Block, TableId
from gkassist.model import Report

ROW_LABEL_COLUMN = "项目"


@dataclass(frozen=True)
class GridSpec:
    """One editable grid: a block of a table, with row ids and column ids in display order."""

    table_id: TableId
    block: Block
    row_ids: tuple[str, ...]
    col_ids: tuple[str, ...]
    col_names: tuple[str, ...]  # unique frame column names (header path, exact labels)
    row_names: tuple[str, ...]


GRID_ROW_LABEL_WIDTH = 360  # px; fixed widths keep the grid readable and its geometry predictable
GRID_CELL_WIDTH = 100
GRID_MARKER_WIDTH = 160


def _short_names(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    """For each header path the shortest ending that is unique in the block (结果维持 → 行政复议·结果维持)."""
    names = []
    for path in paths:
        for n in range(1, len(path) + 1):
            tail = path[-n:]
            if sum(1 for other in paths if other[-n:] == tail) == 1 or n == len(path):
                names.append("·".join(tail))
                break
    return tuple(names)


def grid_specs(report: Report, table_id: TableId) -> list[GridSpec]:
    layout = report.layout_of(table_id)
    specs = []
    for block in layout.blocks:
        specs.append(
            GridSpec(
                table_id=table_id,
                block=block,
                row_ids=tuple(r.id for r in block.rows),
                col_ids=tuple(c.id for c in block.columns),
                col_names=_short_names([(*c.groups, c.label) for c in block.columns]),
                row_names=tuple(r.path for r in block.rows),
            )
        )
    return specs


def grid_records(report: Report, spec: GridSpec) -> dict[str, list[str]]:
    """Column-oriented data for the editor: the raw text of every cell, exactly as typed."""
    table = report.table(spec.table_id)
    data: dict[str, list[str]] = {ROW_LABEL_COLUMN: list(spec.row_names)}
    for col_id, name in zip(spec.col_ids, spec.col_names, strict=True):
        data[name] = [table.get(row_id, col_id).raw for row_id in spec.row_ids]
    return data


MARKER_COLUMN = "校验"  # a read-only last column: the findings on each row, right beside its cells
PREFILLED_MARK = "按上年报告预填"


def row_markers(findings: list[Finding], spec: GridSpec, prefilled: frozenset[str] = frozenset()) -> list[str]:
    """For each row of the grid, the findings located on it (错误A3、A1；警告G1), and whether the
    row was pre-filled from last year's report (row ids in ``prefilled``); "" for neither."""
    index = {row_id: i for i, row_id in enumerate(spec.row_ids)}
    per_row: list[dict[str, list[str]]] = [{} for _ in spec.row_ids]
    for f in findings:
        for place in (f.location, *f.cells):  # a table-wide finding (G1) marks the rows of its cells
            on_grid = place.table == spec.table_id and place.row is not None and place.sub_row is None
            i = index.get(place.row or "") if on_grid else None
            if i is not None:
                codes = per_row[i].setdefault(f.severity, [])
                if f.code not in codes:
                    codes.append(f.code)
    marks = []
    for row_id, row in zip(spec.row_ids, per_row, strict=True):
        parts = [f"{SEVERITY_ZH[sev]}{'、'.join(row[sev])}" for sev in SEVERITY_ORDER if sev in row]
        if row_id in prefilled:
            parts.append(PREFILLED_MARK)
        marks.append("；".join(parts))
    return marks


def prefilled_rows(report: Report, table_id: TableId) -> frozenset[str]:
    """Rows whose figures still are the ones pre-filled from last year's report."""
    return frozenset({"carried_in"}) if table_id == "s3" and carried_in_prefilled(report) else frozenset()


def grid_frame(report: Report, spec: GridSpec) -> Any:
    """grid_records and an empty marker column as a pandas DataFrame: st.data_editor takes a
    frame as it is (a dict of lists would be converted to a frame and back on every rerun)."""
    import pandas as pd  # type: ignore[import-untyped]

    data = grid_records(report, spec)
    data[MARKER_COLUMN] = [""] * len(spec.row_ids)
    return pd.DataFrame(data, dtype="string")


def set_markers(frame: Any, markers: list[str]) -> Any:
    """Write this run's row markers into the grid frame (the cell values stay as they were)."""
    import pandas as pd

    frame[MARKER_COLUMN] = pd.array(markers, dtype="string")
    return frame


def apply_grid_edits(report: Report, spec: GridSpec, edited_rows: dict[Any, dict[str, Any]]) -> list[tuple[str, str]]:
    """Apply st.data_editor's ``edited_rows`` (row position -> {column name: value}) to the report.

    Values are stored as typed (invalid text is kept and reported by the checks). Returns
    the (row id, column id) pairs whose raw text changed. Applying the same edits twice is
    a no-op, so the callback may see cumulative edit state.
    """
    by_name = dict(zip(spec.col_names, spec.col_ids, strict=True))
    table = report.table(spec.table_id)
    changed: list[tuple[str, str]] = []
    for pos, cols in edited_rows.items():
        index = int(pos)
        if not 0 <= index < len(spec.row_ids):
            continue
        row_id = spec.row_ids[index]
        for name, value in cols.items():
            col_id = by_name.get(name)
            if col_id is None:
                continue
            raw = "" if value is None else str(value)
            if table.get(row_id, col_id).raw != raw.strip():
                table.set(row_id, col_id, raw)
                changed.append((row_id, col_id))
    return changed
