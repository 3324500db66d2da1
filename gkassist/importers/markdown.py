"""Reads back our own markdown export (export/markdown.py) without loss."""

from __future__ import annotations

import re
from typing import Any

import yaml
from pydantic import ValidationError

from gkassist.cells import Cell
from gkassist.importers.result import Diagnostic, ImportResult, ReportReadError
from gkassist.layouts import table_layout
from gkassist.mdtext import DRAFT_BANNER, EXTRA_ROW_PREFIX, FRONT_MATTER_VERSION, split_table_row, unescape
from gkassist.model import Acknowledgement, DeclaredFigure, ExtraRow, Meta, Report, Table
from gkassist.names import SECTION_TITLES

_TITLE_TO_ID = {title: sid for sid, title in SECTION_TITLES.items()}


def _split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---\n"):
        raise ReportReadError("不是本系统导出的 Markdown：文件开头缺少“---”元数据块。请上传由本系统导出的文件。")
    end = text.find("\n---\n", 4)
    if end < 0:
        raise ReportReadError("Markdown 元数据块没有结束标记“---”，文件可能被截断。请重新导出后再上传。")
    try:
        data = yaml.safe_load(text[4:end])
    except (yaml.YAMLError, ValueError, RecursionError) as exc:  # ValueError: an int of thousands of digits
        raise ReportReadError(
            f"Markdown 元数据块无法解析（{exc.__class__.__name__}），请勿手工修改文件开头的元数据。"
        ) from exc
    if not isinstance(data, dict) or data.get("gkassist") != FRONT_MATTER_VERSION:
        raise ReportReadError("Markdown 元数据块不是本系统的格式，无法导入。")
    return data, text[end + 5 :]


def _split_sections(body: str) -> tuple[str, dict[str, str], str]:
    """(text before the first section, {section id: raw markdown}, closing block)."""
    parts = re.split(r"^## (.+)$", body, flags=re.M)
    head, sections = parts[0], {}
    for i in range(1, len(parts), 2):
        sid = _TITLE_TO_ID.get(parts[i].strip())
        if sid:
            sections[sid] = parts[i + 1]
    closing = ""
    if "s6" in sections:
        s6, sep, closing = sections["s6"].rpartition("\n---\n")
        if sep:
            sections["s6"] = s6
    return head, sections, closing


def _paragraph_text(md: str) -> str:
    md = md.strip("\n")
    if not md:
        return ""
    return "\n".join(unescape(p) for p in md.split("\n\n"))


def _opening(head: str) -> str:
    lines = head.strip("\n").split("\n")
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    text = "\n".join(lines).strip("\n")
    if text.startswith(DRAFT_BANNER):  # drop the draft banner block
        text = text.split("\n\n", 1)[1] if "\n\n" in text else ""
    return _paragraph_text(text)




def _read_table(md: str, table: Table, table_id: str, diagnostics: list[Diagnostic]) -> None:
    layout = table_layout(table.layout, table_id)
    by_label = {(b.id, r.label): r for b in layout.blocks for r in b.rows}
    block_index = -1
    last_row: str | None = None
    for line in md.split("\n"):
        if not line.startswith("| "):
            continue
        written = split_table_row(line)  # still escaped: "**" marks a row-group line, "\\*" a user's asterisk
        if not written or set(written[0]) <= {"-"}:
            continue
        cells = [unescape(c) for c in written]
        label, values = cells[0], cells[1:]
        if block_index + 1 < len(layout.blocks) and label == (layout.blocks[block_index + 1].first_col or "项目"):
            block_index += 1  # a header line starts the next block
            continue
        if block_index < 0 or written[0].startswith("**"):
            continue
        block = layout.blocks[block_index]
        if label.startswith(EXTRA_ROW_PREFIX) and last_row:
            extra = ExtraRow(parent=last_row, label=label.removeprefix(EXTRA_ROW_PREFIX))
            extra.cells = {c.id: _cell(v) for c, v in zip(block.columns, values, strict=False) if v}
            table.extra_rows.append(extra)
            continue
        row = by_label.get((block.id, label))
        if row is None:
            diagnostics.append(
                Diagnostic(
                    level="warning", message=f"表{layout.numeral}中的行“{label}”不属于该格式，已忽略。", where=label
                )
            )
            continue
        last_row = row.id
        for col, value in zip(block.columns, values, strict=False):
            table.set(row.id, col.id, value)


def _cell(value: str) -> Cell:
    return Cell.parse(value)


def import_markdown(text: str) -> ImportResult:
    data, body = _split_front_matter(text.replace("\r\n", "\n"))
    diagnostics: list[Diagnostic] = []
    head, sections, _closing = _split_sections(body)
    try:
        meta = Meta.model_validate(
            {
                k: data.get(k)
                for k in (
                    "agency",
                    "year",
                    "format",
                    "level",
                    "period_start",
                    "period_end",
                    "publication_date",
                    "contact",
                )
            }
        )
    except ValidationError as exc:
        fields = "、".join(str(e["loc"][0]) for e in exc.errors())
        raise ReportReadError(
            f"Markdown 元数据中的基本信息无效（{fields}），请勿手工修改文件开头的元数据，或重新导出。"
        ) from exc
    if data.get("opening") == "custom":
        meta.opening = _opening(head)
    report = Report(meta=meta)
    try:
        for tid, spec in (data.get("tables") or {}).items():
            if tid not in ("s2", "s3", "s4"):
                raise KeyError(tid)  # edited metadata: not one of our tables
            report.tables[tid] = Table(layout=spec["layout"], column_units=spec.get("column_units", {}))
        report.declared = [DeclaredFigure.model_validate(d) for d in data.get("declared") or []]
        report.acknowledgements = [Acknowledgement.model_validate(a) for a in data.get("acknowledgements") or []]
    except (ValidationError, TypeError, KeyError, AttributeError) as exc:
        raise ReportReadError("Markdown 元数据中的表格、申报数字或确认记录无效，请重新导出后再导入。") from exc
    for sid in ("s1", "s5", "s6"):
        if sid in sections:
            report.sections[sid] = _paragraph_text(sections[sid])
        else:
            diagnostics.append(
                Diagnostic(level="warning", message=f"未找到“{SECTION_TITLES[sid]}”部分。", where=SECTION_TITLES[sid])
            )
    for tid in ("s2", "s3", "s4"):
        if tid in sections and tid in report.tables:
            _read_table(sections[tid], report.tables[tid], tid, diagnostics)
    return ImportResult(report=report, diagnostics=diagnostics, source="markdown")
