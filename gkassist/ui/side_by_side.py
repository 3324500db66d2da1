"""A printed table as read-only HTML for the reviewer's view, changed cells marked.

The shape is the 数据填报 grid's (``table_sheet.sheet_structure``: merged column headers, row
groups down the side), from the table's own layout, so last year's 2019-format table 二 is
drawn as printed in 2019 beside this year's. Every text (cell values come from the report,
labels from rules/layouts) is HTML-escaped: nothing in a report becomes markup.
"""

from __future__ import annotations

from html import escape
from typing import Any, Literal

from gkassist.compare.side_by_side import TableDiff
from gkassist.layouts import TableId
from gkassist.model import Report
from gkassist.ui.table_sheet import sheet_structure

Side = Literal["this", "last"]

STYLE = """<style>
.gk-cmp{overflow-x:auto;margin-bottom:.5rem}
.gk-cmp table{border-collapse:collapse;font-size:13px;line-height:1.35}
.gk-cmp caption{caption-side:top;text-align:left;font-weight:600;padding:2px 0}
.gk-cmp th,.gk-cmp td{border:1px solid #b0b0b0;padding:2px 6px}
.gk-cmp th{background:#f4f4f4;font-weight:normal;text-align:center}
.gk-cmp th.row,.gk-cmp th.group{text-align:left}
.gk-cmp td{text-align:right;min-width:2.5em}
.gk-cmp td.total{font-weight:600}
.gk-cmp td.changed{background:#ffe8a3}
.gk-cmp td.biggest{background:#ffb366;font-weight:700;outline:2px solid #d9480f;outline-offset:-2px}
.gk-cmp tr.only th,.gk-cmp tr.only td{background:#dbeafe}
</style>"""

LEGEND = "黄色：与上年不同的单元格；橙色加框：变化最大的单元格；蓝色：只在一年的表格中出现的行（两年格式不同）。鼠标停在单元格上可看到两年的数字。"


def _attrs(cell: dict[str, Any], css: str) -> str:
    span = "".join(f' {k}="{int(cell[k])}"' for k in ("rowspan", "colspan") if int(cell.get(k, 1)) > 1)
    title = f' title="{escape(str(cell["title"]))}"' if cell.get("title") else ""
    return f'{span} class="{css}"{title}'


def _values(report: Report, table_id: TableId) -> dict[str, str]:
    table = report.tables.get(table_id)  # report.table() would add an empty table to the report
    if table is None:
        return {}
    return {f"{table_id}.{row}.{col}": cell.raw for row, cols in table.cells.items() for col, cell in cols.items() if cell.raw}


def sheet_html(report: Report, table_id: TableId, diff: TableDiff | None, side: Side) -> str:
    """The table as printed in ``report``'s own layout (no style block: see ``STYLE``)."""
    table = report.tables.get(table_id)
    structure = sheet_structure(table.layout if table is not None else report.meta.format, table_id)
    values = _values(report, table_id)
    only = (diff.only_this if side == "this" else diff.only_last) if diff is not None else frozenset()
    parts = ['<div class="gk-cmp">']
    for block in structure["blocks"]:
        parts.append(f"<table><caption>{escape(block['head'])}</caption><thead>")
        for header in block["header"]:
            heads = "".join(
                f"<th{_attrs(h, escape(h['role']))}>{escape(h['text'])}</th>" for h in header if h["role"] != "marker"
            )
            parts.append(f"<tr>{heads}</tr>")
        parts.append("</thead><tbody>")
        for row in block["rows"]:
            css = ' class="only"' if row["id"] in only else ""
            labels = "".join(f"<th{_attrs(lab, escape(lab['role']))}>{escape(lab['text'])}</th>" for lab in row["labels"])
            cells = []
            for cell in row["cells"]:
                address = cell["address"]
                mark = diff.mark(address) if diff is not None else None
                classes = " ".join(c for c in ("total" if cell["total"] else "", mark or "") if c)
                tip = diff.tip(address) if diff is not None and mark else ""
                title = f' title="{escape(tip)}"' if tip else ""
                klass = f' class="{classes}"' if classes else ""
                cells.append(f"<td{klass}{title}>{escape(values.get(address, ''))}</td>")
            parts.append(f"<tr{css}>{labels}{''.join(cells)}</tr>")
        parts.append("</tbody></table>")
    parts.append("</div>")
    return "".join(parts)
