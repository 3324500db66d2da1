"""Standalone HTML page for the government portal, and the table grid shared with the .docx export.

The page has no external resources (one embedded ``<style>``), escapes every piece of user
text, and prints the tables as the official format does: merged header trees (colspan /
rowspan) and row-group labels merged vertically. What the body cannot carry (contact fields,
layouts, declared figures, acknowledgements) is in ``<script type="application/json"
id="gkassist-meta">`` (the markdown front matter, JSON-escaped) and a few ``<meta>`` tags.

``table_grid`` lays a table out as positioned, spanning cells; the .docx exporter uses the
same grid, so both formats merge exactly the same cells.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from typing import Any, Literal

from gkassist.export.markdown import EXTRA_ROW_PREFIX, front_matter, generated_opening, zh_date
from gkassist.export.textsafe import utf8_safe
from gkassist.findings import Finding, render_finding
from gkassist.layouts import Block, Column
from gkassist.model import NARRATIVE_SECTIONS, TABLE_IDS, Report, Table
from gkassist.names import SECTION_TITLES

CellKind = Literal["corner", "head", "block", "group", "label", "extra", "value"]
META_SCRIPT_ID = "gkassist-meta"
DRAFT_TITLE = "草稿，未经校验，不得发布。"
NO_OPEN_FINDINGS = "目前没有未解决的问题，但本稿未经导出校验。"


# ---------------------------------------------------------------------------- grid


@dataclass(frozen=True)
class GridCell:
    """One printed cell: its top-left grid position, its spans, and its text."""

    row: int
    col: int
    text: str
    kind: CellKind
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Grid:
    n_rows: int
    n_cols: int
    cells: tuple[GridCell, ...]
    header_rows: frozenset[int]  # rows printed as headers (<th>, repeated on each page in .docx)

    def rows(self) -> list[list[GridCell]]:
        out: list[list[GridCell]] = [[] for _ in range(self.n_rows)]
        for c in self.cells:
            out[c.row].append(c)
        return [sorted(r, key=lambda c: c.col) for r in out]


def header_label(table: Table, col: Column) -> str:
    """A leaf column header as printed, with a unit the agency printed in it."""
    unit = table.column_units.get(col.id)
    return f"{col.label}（{unit}）" if unit and unit not in col.label else col.label


def _header_cells(table: Table, columns: tuple[Column, ...], top: int, left: int, depth: int) -> list[GridCell]:
    """The header tree of ``columns``: groups over their columns (colspan); a shallow branch
    is stretched down (rowspan) at its topmost node whose columns all have the same depth
    (行政复议 over its five leaves), else at the leaf (自然人 next to 法人或其他组织)."""
    paths = [(*c.groups, header_label(table, c)) for c in columns]
    cells: list[GridCell] = []
    placed: set[tuple[str, ...]] = set()

    def members(prefix: tuple[str, ...]) -> list[int]:
        return [j for j, p in enumerate(paths) if p[: len(prefix)] == prefix]

    for path in paths:
        stretch_at = len(path) - 1
        for level in range(len(path) - 1):
            if len({len(paths[j]) for j in members(path[: level + 1])}) == 1:
                stretch_at = level
                break
        row = top
        for level in range(len(path)):
            prefix = path[: level + 1]
            span = 1 + depth - len(path) if level == stretch_at else 1
            if prefix not in placed:
                placed.add(prefix)
                cols = members(prefix)
                cells.append(GridCell(row, left + cols[0], prefix[-1], "head", rowspan=span, colspan=len(cols)))
            row += span
    return cells


def _block_width(block: Block) -> int:
    return len(block.columns)


def _label_cols(block: Block) -> int:
    if not block.first_col:
        return 0
    return 1 + max((len(r.groups) for r in block.rows), default=0)


def table_grid(report: Report, table_id: str) -> Grid:
    """The printed layout of table 二, 三 or 四 (table 二: one table, a heading row per block)."""
    table = report.table(table_id)  # type: ignore[arg-type]
    layout = report.layout_of(table_id)  # type: ignore[arg-type]
    n_label = max(_label_cols(b) for b in layout.blocks)
    n_values = max(_block_width(b) for b in layout.blocks)
    n_cols = n_label + n_values
    cells: list[GridCell] = []
    header_rows: set[int] = set()
    row = 0
    for block in layout.blocks:
        if block.head:
            cells.append(GridCell(row, 0, block.head, "block", colspan=n_cols))
            header_rows.add(row)
            row += 1
        depth = max(len(c.groups) for c in block.columns) + 1
        if n_label:
            cells.append(GridCell(row, 0, block.first_col, "corner", rowspan=depth, colspan=n_label))
        heads = _header_cells(table, block.columns, row, n_label, depth)
        cells += _widen_last(heads, block, n_label, n_values)
        header_rows.update(range(row, row + depth))
        row += depth
        row = _body_rows(table, block, cells, row, n_label, n_values)
    return Grid(row, n_cols, tuple(cells), frozenset(header_rows))


def _widen_last(cells: list[GridCell], block: Block, n_label: int, n_values: int) -> list[GridCell]:
    """A block with fewer columns than the table: its last column spans the rest."""
    extra = n_values - _block_width(block)
    if not extra:
        return cells
    last = n_label + _block_width(block) - 1
    return [
        GridCell(c.row, c.col, c.text, c.kind, c.rowspan, c.colspan + extra) if c.col + c.colspan - 1 == last else c
        for c in cells
    ]


def _body_rows(table: Table, block: Block, cells: list[GridCell], row: int, n_label: int, n_values: int) -> int:
    printed: list[tuple[tuple[str, ...], str, list[str], CellKind]] = []
    for r in block.rows:
        printed.append((r.groups, r.label, [table.get(r.id, c.id).raw for c in block.columns], "label"))
        for extra in table.extra_rows:
            if extra.parent == r.id:
                values = [extra.cells[c.id].raw if c.id in extra.cells else "" for c in block.columns]
                printed.append((r.groups, EXTRA_ROW_PREFIX + extra.label, values, "extra"))
    widen = n_values - _block_width(block)
    for k, (groups, label, values, kind) in enumerate(printed):
        for level in range(len(groups)):
            prefix = groups[: level + 1]
            if k and printed[k - 1][0][: level + 1] == prefix:
                continue  # merged into the group cell above
            span = 1
            while k + span < len(printed) and printed[k + span][0][: level + 1] == prefix:
                span += 1
            cells.append(GridCell(row, level, prefix[-1], "group", rowspan=span))
        if n_label:
            cells.append(GridCell(row, len(groups), label, kind, colspan=n_label - len(groups)))
        for j, raw in enumerate(values):
            span = 1 + widen if j == len(values) - 1 else 1
            cells.append(GridCell(row, n_label + j, raw, "value", colspan=span))
        row += 1
    return row


# ---------------------------------------------------------------------------- page

_CSS = """
body{margin:0;background:#f4f4f4;color:#000;font-family:"仿宋_GB2312","仿宋","FangSong","STFangsong","Noto Serif CJK SC",serif;font-size:16pt;line-height:1.75}
.report{max-width:210mm;margin:0 auto;padding:25mm 24mm;background:#fff;box-sizing:border-box}
h1{font-family:"方正小标宋简体","FZXiaoBiaoSong-B05S","华文中宋","STZhongsong","宋体","SimSun","Noto Serif CJK SC",serif;font-size:22pt;font-weight:normal;text-align:center;line-height:1.5;margin:0 0 1em}
h2{font-family:"黑体","SimHei","Noto Sans CJK SC",sans-serif;font-size:16pt;font-weight:normal;margin:.6em 0 .2em;text-indent:2em}
p{margin:0;text-indent:2em;white-space:pre-wrap}
p.sub{font-family:"楷体_GB2312","楷体","KaiTi","STKaiti",serif}
.closing{text-align:right;margin-top:2em;text-indent:0}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em;font-family:"宋体","SimSun","Noto Serif CJK SC",serif;font-size:10.5pt;line-height:1.4}
th,td{border:1px solid #000;padding:2px 4px;text-align:center;vertical-align:middle}
td.label,td.extra{text-align:left}
td.extra{padding-left:1.5em}
.draft{border:3px solid #c00;color:#c00;background:#fff5f5;padding:.5em 1em;margin:0 auto 1em;max-width:210mm;box-sizing:border-box;font-size:12pt;line-height:1.5}
.draft strong{font-size:16pt}
.draft ul{margin:.3em 0 0;padding-left:1.5em}
@media print{body{background:#fff}.report{padding:0;max-width:none}}
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def meta_json(report: Report, status: str, open_findings: list[Finding] | None = None) -> str:
    """The metadata block: the markdown front matter, plus the open findings of a draft."""
    data: dict[str, Any] = front_matter(report, status)
    if status == "draft":
        data["open_findings"] = [
            {"code": f.code, "severity": f.severity, "message": f.message} for f in open_findings or []
        ]
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)


def script_safe_json(text: str) -> str:
    """JSON that cannot end its <script> element or open a comment inside it."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_table_html(report: Report, table_id: str) -> str:
    grid = table_grid(report, table_id)
    lines = [f'<table class="gk-table" id="table-{table_id}">']
    for r, cells in enumerate(grid.rows()):
        out = []
        for c in cells:
            tag = "th" if r in grid.header_rows and c.kind != "value" else "td"
            attrs = f' class="{c.kind}"' if c.kind in ("label", "extra", "group", "block") else ""
            attrs += f' rowspan="{c.rowspan}"' if c.rowspan > 1 else ""
            attrs += f' colspan="{c.colspan}"' if c.colspan > 1 else ""
            out.append(f"<{tag}{attrs}>{_e(c.text)}</{tag}>")
        lines.append("<tr>" + "".join(out) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def is_subheading(line: str) -> bool:
    """A line like （一）主动公开: printed in 楷体 (GB/T 9704 second-level heading)."""
    s = line.strip()
    return len(s) <= 40 and s.startswith(("（", "(")) and "）" in s[:6] and not s.endswith(("。", "；"))


def _paragraphs(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        cls = ' class="sub"' if is_subheading(line) else ""
        out.append(f"<p{cls}>{_e(line)}</p>")
    return out


def draft_lines(open_findings: list[Finding] | None, note: str = "") -> list[str]:
    """The draft banner as text lines: the title, then one line per open finding, then ``note``
    (why else this is a draft)."""
    items = [render_finding(f) for f in open_findings or []] + ([note] if note else [])
    return [DRAFT_TITLE, *(items or [NO_OPEN_FINDINGS])]


def render_html(report: Report, *, status: str = "checked", open_findings: list[Finding] | None = None,
                draft_note: str = "") -> str:
    meta = report.meta
    title = report.meta.title
    head = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f'<meta name="ArticleTitle" content="{_e(title)}">',
        f'<meta name="ContentSource" content="{_e(meta.agency)}">',
        f'<meta name="generator" content="gkassist {_e(meta.format)}">',
        f'<meta name="gkassist-status" content="{_e(status)}">',
        f'<meta name="gkassist-year" content="{meta.year}">',
    ]
    if meta.publication_date:
        head.append(f'<meta name="PubDate" content="{meta.publication_date.isoformat()}">')
    head += [
        f"<style>{_CSS}</style>",
        f'<script type="application/json" id="{META_SCRIPT_ID}">{script_safe_json(meta_json(report, status, open_findings))}</script>',
        "</head>",
        "<body>",
    ]
    body: list[str] = []
    if status == "draft":
        first, *items = draft_lines(open_findings, draft_note)
        body += ['<div class="draft" role="alert">', f"<strong>{_e(first)}</strong>", "<ul>"]
        body += [f"<li>{_e(item)}</li>" for item in items]
        body += ["</ul>", "</div>"]
    body += ['<article class="report">', f"<h1>{_e(title)}</h1>"]
    body += _paragraphs(meta.opening if meta.opening is not None else generated_opening(report))
    for sid in ("s1", "s2", "s3", "s4", "s5", "s6"):
        body.append(f'<h2 id="{sid}">{_e(SECTION_TITLES[sid])}</h2>')
        if sid in NARRATIVE_SECTIONS:
            text = report.section(sid)
            if text:
                body += _paragraphs(text)
        elif sid in TABLE_IDS:
            body.append(render_table_html(report, sid))
    closing = [_e(meta.agency)]
    if meta.publication_date:
        closing.append(_e(zh_date(meta.publication_date)))
    body += [f'<p class="closing">{"<br>".join(closing)}</p>', "</article>", "</body>", "</html>", ""]
    return utf8_safe("\n".join(head + body))
