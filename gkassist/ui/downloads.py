"""The 校验与导出 page's files: the checked report as Markdown, a portal page or a Word document
(behind the export gate), and the draft with its open findings marked.
"""

from __future__ import annotations

from gkassist.export.gate import ExportFormat, ExportOutcome, export_markdown, export_report
from gkassist.model import Report


def export_checked(report: Report) -> ExportOutcome:
    return export_markdown(report)


PUBLISH_DOWNLOADS: tuple[tuple[ExportFormat, str, str], ...] = (
    ("html", "下载网页（门户网站发布用）", "text/html"),
    ("docx", "下载 Word 公文稿", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
)


def export_published(report: Report, fmt: ExportFormat) -> ExportOutcome:
    """The checked report as a portal page (html) or an official Word document (docx), same gate."""
    return export_report(report, fmt)


def export_draft(report: Report) -> str:
    return export_markdown(report, draft=True).text or ""


def markdown_filename(report: Report, draft: bool, fmt: str = "md") -> str:
    suffix = "（草稿）" if draft else ""
    return f"{report.meta.title}{suffix}.{fmt}"
