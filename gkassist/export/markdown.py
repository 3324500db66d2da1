"""Markdown rendering: the canonical, publishable form of a report.

The output is deterministic (same report, same bytes) and carries the metadata that the
body cannot (contact fields, layouts, declared figures, acknowledgements) in a YAML front
matter block, so that importers/markdown.py reads it back without loss.

Every string that is not our own template text is escaped (gkassist/mdtext.py): a markdown
renderer shows what the user wrote, never a tag, link or image made from it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gkassist.export.textsafe import utf8_safe
from gkassist.findings import Finding, render_finding
from gkassist.layouts import Block, TableLayout, get_layout
from gkassist.mdtext import (
    DRAFT_BANNER,
    EXTRA_ROW_PREFIX,
    FRONT_MATTER_VERSION,
    dump_front_matter,
    escape_cell,
    escape_inline,
    escape_line,
    escape_paragraphs,
)
from gkassist.model import NARRATIVE_SECTIONS, TABLE_IDS, Report, Table
from gkassist.names import SECTION_TITLES

__all__ = ["DRAFT_BANNER", "EXTRA_ROW_PREFIX", "FRONT_MATTER_VERSION", "render_markdown"]


def zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def generated_opening(report: Report) -> str:
    meta = report.meta
    layout = get_layout(meta.format)
    period = "统计期限未填写"
    if meta.period_start and meta.period_end:
        period = f"本年度报告中所列数据统计期限从{zh_date(meta.period_start)}到{zh_date(meta.period_end)}止"
    contact = meta.contact
    details = "，".join(
        f"{label}：{value}"
        for label, value in (("地址", contact.address), ("邮编", contact.postcode), ("电话", contact.phone))
        if value
    )
    office = contact.office or meta.agency
    ask = f"如对本报告有疑问，请与{office}联系（{details}）。" if details else ""
    return (
        f"根据《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称《条例》）和"
        f"《中华人民共和国政府信息公开工作年度报告格式》（{layout.notice}）要求，"
        f"{meta.agency}编制本报告。本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        f"政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成。"
        f"{period}。{ask}"
    )


def _md_row(cells: list[str]) -> str:
    """A table row; every cell is escaped here (labels, units and values may come from an import)."""
    return "| " + " | ".join(escape_cell(c) for c in cells) + " |"


def _bold_row(label: str, width: int) -> str:
    """A row-group line: the label in bold (our markup around escaped text), empty cells."""
    return "| " + " | ".join([f"**{escape_cell(label)}**", *[""] * width]) + " |"


def _header_label(table: Table, layout: TableLayout, block: Block, col_id: str, label: str, groups: tuple[str, ...]) -> str:
    shown = [g for g in groups if g != "申请人情况"]
    text = "·".join((*shown, label))
    unit = table.column_units.get(col_id)
    if unit and unit not in label:
        text += f"（{unit}）"
    return text


def _render_block(table: Table, layout: TableLayout, block: Block) -> list[str]:
    headers = [block.first_col or "项目"]
    headers += [_header_label(table, layout, block, c.id, c.label, c.groups) for c in block.columns]
    lines = [_md_row(headers), "| " + " | ".join(["---"] * len(headers)) + " |"]
    current_groups: tuple[str, ...] = ()
    for row in block.rows:
        for depth, group in enumerate(row.groups):
            if current_groups[: depth + 1] != row.groups[: depth + 1]:
                lines.append(_bold_row(group, len(block.columns)))
        current_groups = row.groups
        lines.append(_md_row([row.label, *(table.get(row.id, c.id).raw for c in block.columns)]))
        for extra in table.extra_rows:
            if extra.parent == row.id:
                values = [extra.cells[c.id].raw if c.id in extra.cells else "" for c in block.columns]
                lines.append(_md_row([EXTRA_ROW_PREFIX + extra.label, *values]))
    return lines


def render_table(report: Report, table_id: str) -> list[str]:
    table = report.table(table_id)  # type: ignore[arg-type]
    layout = report.layout_of(table_id)  # type: ignore[arg-type]
    out: list[str] = []
    for block in layout.blocks:
        if block.head:
            out += [f"**{escape_inline(block.head)}**", ""]
        if table_id == "s3":
            out += ["申请人情况：自然人；法人或其他组织（商业企业、科研机构、社会公益组织、法律服务机构、其他）；总计。", ""]
        out += [*_render_block(table, layout, block), ""]
    return out


def front_matter(report: Report, status: str) -> dict[str, Any]:
    meta = report.meta
    data: dict[str, Any] = {
        "gkassist": FRONT_MATTER_VERSION,
        "status": status,
        "agency": meta.agency,
        "year": meta.year,
        "format": meta.format,
        "level": meta.level,
        "period_start": meta.period_start.isoformat() if meta.period_start else None,
        "period_end": meta.period_end.isoformat() if meta.period_end else None,
        "publication_date": meta.publication_date.isoformat() if meta.publication_date else None,
        "contact": meta.contact.model_dump(),
        "opening": "custom" if meta.opening is not None else "generated",
        "tables": {
            tid: {"layout": t.layout, **({"column_units": dict(t.column_units)} if t.column_units else {})}
            for tid, t in sorted(report.tables.items())
        },
        "declared": [d.model_dump(mode="json") for d in report.declared],
        "acknowledgements": [a.model_dump(mode="json") for a in report.acknowledgements],
    }
    return data


def render_markdown(report: Report, *, status: str = "checked", open_findings: list[Finding] | None = None,
                    metadata: bool = True, draft_note: str = "") -> str:
    """``metadata``: the YAML front matter that lets the file be imported back without loss; the
    copy for publication leaves it out. ``draft_note``: a line of the draft banner saying why
    this is a draft besides its open findings (e.g. not yet approved)."""
    meta = report.meta
    out = []
    if metadata:
        out += ["---", dump_front_matter(front_matter(report, status)).rstrip("\n"), "---", ""]
    out += [f"# {escape_inline(report.meta.title)}", ""]
    if status == "draft":
        out += [DRAFT_BANNER, ">"]
        for f in open_findings or []:  # messages quote the report's sentences
            out.append(f"> - {render_finding(f, escape_inline)}")
        if draft_note:
            out.append(f"> - {escape_inline(draft_note)}")
        elif not open_findings:
            out.append("> - 目前没有未解决的问题，但本稿未经导出校验。")
        out.append("")
    out += [escape_paragraphs(meta.opening if meta.opening is not None else generated_opening(report)), ""]
    for sid in ("s1", "s2", "s3", "s4", "s5", "s6"):
        out += [f"## {SECTION_TITLES[sid]}", ""]
        if sid in NARRATIVE_SECTIONS:
            text = report.section(sid)
            if text:
                out += [escape_paragraphs(text), ""]
        elif sid in TABLE_IDS:
            out += render_table(report, sid)
    out += ["---", ""]
    closing = [escape_line(meta.agency)]
    if meta.publication_date:
        closing.append(zh_date(meta.publication_date))
    out += ["  \n".join(closing), ""]
    return utf8_safe("\n".join(out))
