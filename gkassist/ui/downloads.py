"""The 校验与导出 page's files: the checked report as Markdown, a portal page or a Word document
(behind the export gate), and the draft with its open findings marked.

The files are made when their button is clicked (Streamlit runs ``data`` callables then), through
gkassist.storage.exports as the acting user: the permission is checked there and the export, or
its refusal, goes to the audit trail. The page only decides which buttons to show.
"""

from __future__ import annotations

from collections.abc import Callable

from gkassist.access import AccessDenied, Action, allowed
from gkassist.export.gate import ExportFormat, ExportOutcome, export_markdown
from gkassist.model import Report
from gkassist.storage.exports import export_as
from gkassist.ui import acting, state


def export_checked(report: Report) -> ExportOutcome:
    return export_markdown(report)


PUBLISH_DOWNLOADS: tuple[tuple[ExportFormat, str, str], ...] = (
    ("html", "下载网页（门户网站发布用）", "text/html"),
    ("docx", "下载 Word 公文稿", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
)


def export_draft(report: Report) -> str:
    return export_markdown(report, draft=True).text or ""


def markdown_filename(report: Report, draft: bool, fmt: str = "md") -> str:
    suffix = "（草稿）" if draft else ""
    return f"{report.meta.title}{suffix}.{fmt}"


def _action(draft: bool) -> Action:
    return "report.export_draft" if draft else "report.export_final"


class ExportFiles:
    """The open report's files for this page run, as the acting user of this session."""

    def __init__(self, report: Report) -> None:
        self.snapshot = report.model_copy(deep=True)  # the click runs on another thread, after this run
        self.report_id = state.report_id()
        self.store = state.store()
        self.actor = acting.actor()

    def refusal(self, draft: bool) -> str | None:
        """Why the acting user may not export this kind of file (shown in place of it), else None."""
        action, agency = _action(draft), self.snapshot.meta.agency
        return None if allowed(self.actor, action, agency) else AccessDenied(self.actor, action, agency).message_zh()

    def maker(self, fmt: ExportFormat, draft: bool) -> Callable[[], bytes]:
        """The file, made (and recorded) when its button is clicked."""

        def make() -> bytes:
            outcome = export_as(self.store, self.report_id, self.snapshot, fmt, draft=draft, actor=self.actor)
            return outcome.content or b""

        return make
