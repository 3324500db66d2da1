"""The 数据填报 sheet: a table laid out as printed, as data for the grid component
(gkassist/ui/components/sheet.js).

Everything printed comes from the layout in rules/layouts (TableLayout): the column groups
become merged header cells (申请人情况 › 法人或其他组织 › 商业企业), the row groups become labels
down the side shown once with a row span (三、本年度办理结果 › （三）不予公开 › 1.属于国家秘密).
Cells are named by their address (Location.address, s3.new.natural); findings are mapped to
cells by their ids (gkassist.checks.involved), never by their text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from gkassist.cell_edits import blank_cells, cell_address
from gkassist.checks.involved import finding_cells
from gkassist.findings import SEVERITY_ORDER, SEVERITY_ZH, Finding, render_finding
from gkassist.last_year.carry_over import carried_in_prefilled
from gkassist.layouts import Block, Column, Row, TableId, table_layout
from gkassist.model import Report

BLANK_CELLS_RULE = "G1"  # its one finding per table is shown as the blank-cell line, not in the list
MARKER_HEADER = "校验"
PREFILLED_MARK = "按上年报告预填"

Json = dict[str, Any]


def _header_rows(block: Block) -> list[list[Json]]:
    """The column headers as printed: one header row per group level, a group spanning the
    columns under it, a column's own label spanning the levels below its groups."""
    depth = max(len(c.groups) for c in block.columns) + 1
    rows: list[list[Json]] = [[] for _ in range(depth)]
    rows[0].append({"text": block.first_col, "colspan": _label_depth(block), "rowspan": depth, "role": "corner"})
    for level in range(depth):
        i = 0
        while i < len(block.columns):
            col = block.columns[i]
            if len(col.groups) > level:
                prefix = col.groups[: level + 1]
                span = 1
                while i + span < len(block.columns) and block.columns[i + span].groups[: level + 1] == prefix:
                    span += 1
                rows[level].append({"text": prefix[-1], "colspan": span, "rowspan": 1, "role": "group"})
                i += span
                continue
            if len(col.groups) == level:
                rows[level].append(_column_head(col, depth - level))
            i += 1
    rows[0].append({"text": MARKER_HEADER, "colspan": 1, "rowspan": depth, "role": "marker"})
    return rows


def _column_head(col: Column, rowspan: int) -> Json:
    return {"text": col.label, "colspan": 1, "rowspan": rowspan, "role": "column", "col": col.id,
            "total": col.role == "total", "title": col.path}


def _label_depth(block: Block) -> int:
    return max(len(r.groups) for r in block.rows) + 1


def _side_labels(block: Block, index: int) -> list[Json]:
    """The label cells that start at row ``index``: each group label once, spanning its rows,
    then the row's own label spanning the levels it has no group for."""
    rows, row = block.rows, block.rows[index]
    depth = _label_depth(block)
    cells: list[Json] = []
    for level, name in enumerate(row.groups):
        prefix = row.groups[: level + 1]
        if index > 0 and rows[index - 1].groups[: level + 1] == prefix:
            continue  # shown on an earlier row, spanning this one
        span = 1
        while index + span < len(rows) and rows[index + span].groups[: level + 1] == prefix:
            span += 1
        cells.append({"text": name, "rowspan": span, "colspan": 1, "role": "group", "level": level})
    cells.append({"text": row.label, "rowspan": 1, "colspan": depth - len(row.groups), "role": "row",
                  "level": len(row.groups), "title": row.path})
    return cells


def _body_row(table_id: TableId, block: Block, index: int) -> Json:
    row: Row = block.rows[index]
    return {
        "id": row.id,
        "labels": _side_labels(block, index),
        "cells": [{"address": cell_address(table_id, row.id, c.id), "total": c.role == "total" or row.total_of is not None}
                  for c in block.columns],
    }


@cache
def sheet_structure(format_id: str, table_id: TableId) -> Json:
    """The printed shape of one table: its blocks, each with header rows, body rows and the
    width class of its label columns. Cached: it depends on the layout only."""
    layout = table_layout(format_id, table_id)
    blocks = []
    for block in layout.blocks:
        longest = max(len(r.label) for r in block.rows)
        blocks.append({
            "id": block.id,
            "head": block.head,
            "labelDepth": _label_depth(block),
            "labelChars": longest,
            "columns": [c.id for c in block.columns],
            "header": _header_rows(block),
            "rows": [_body_row(table_id, block, i) for i in range(len(block.rows))],
        })
    return {"id": f"{format_id}/{table_id}", "table": table_id, "blocks": blocks}


@dataclass(frozen=True)
class Marks:
    """Which cells are marked, with which findings, and each row's marker (错误A3；警告F2)."""

    cells: dict[str, Json]  # address → {"severity", "tip"}
    rows: dict[str, str]  # row id → marker text
    listed: list[Json]  # the findings under the table, each with the addresses of its cells


def mark_findings(table_id: TableId, findings: Sequence[Finding], prefilled: frozenset[str] = frozenset()) -> Marks:
    """Map findings to the cells they are about (by ids): a cell shows the worst severity of its
    findings and all their texts as its tip; the blank-cell finding is left to the blank line."""
    cells: dict[str, Json] = {}
    codes: dict[str, dict[str, list[str]]] = {}
    listed: list[Json] = []
    for f in sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.code)):
        if f.code == BLANK_CELLS_RULE:
            continue
        text = render_finding(f)
        targets = [cell_address(table_id, r, c) for r, c in finding_cells(f)]
        listed.append({"severity": f.severity, "text": text, "cells": targets})
        for address in targets:
            mark = cells.setdefault(address, {"severity": f.severity, "tip": []})
            if SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[mark["severity"]]:
                mark["severity"] = f.severity
            mark["tip"].append(text)
            row_codes = codes.setdefault(address.split(".")[1], {}).setdefault(f.severity, [])
            if f.code not in row_codes:
                row_codes.append(f.code)
    rows = {
        row: "；".join(f"{SEVERITY_ZH[s]}{'、'.join(by_sev[s])}" for s in SEVERITY_ORDER if s in by_sev)
        for row, by_sev in codes.items()
    }
    for row in prefilled:
        rows[row] = "；".join(p for p in (rows.get(row, ""), PREFILLED_MARK) if p)
    for mark in cells.values():
        mark["tip"] = "\n".join(mark["tip"])
    return Marks(cells, rows, listed)


def sheet_values(report: Report, table_id: TableId) -> dict[str, str]:
    """The raw text of every official cell that holds something (a missing address is blank)."""
    table = report.table(table_id)
    return {
        cell_address(table_id, row, col): cell.raw
        for row, cols in table.cells.items() for col, cell in cols.items() if cell.raw
    }


def sheet_data(report: Report, table_id: TableId, marks: Marks, ack: int) -> Json:
    """Everything the component draws for one table: the printed shape, the cell texts, the
    marks, the findings list, and ``ack``, the last edit the server has applied."""
    return {
        "structure": sheet_structure(report.table(table_id).layout, table_id),
        "values": sheet_values(report, table_id),
        "marks": marks.cells,
        "rowMarks": marks.rows,
        "findings": marks.listed,
        "ack": ack,
    }


def blank_line(report: Report, table_id: TableId) -> tuple[str, int]:
    """“表三有168个空白单元格” (and the count), or "" when none is blank."""
    count = len(blank_cells(report, table_id))
    name = f"表{report.layout_of(table_id).numeral}"
    return (f"{name}有{count}个空白单元格" if count else "", count)


def prefilled_rows(report: Report, table_id: TableId) -> frozenset[str]:
    """Rows whose figures still are the ones pre-filled from last year's report."""
    return frozenset({"carried_in"}) if table_id == "s3" and carried_in_prefilled(report) else frozenset()
