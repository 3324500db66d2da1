"""Exports as the acting user: the permission checked below the page, and every file in the audit trail.

A draft needs ``report.export_draft``, a 正式稿 (checked markdown, portal page, Word) needs
``report.export_final``, on the stored report's agency and on the agency the report in hand
names. A refusal is written as ``access_denied`` (by the store); a file made is written as
``export``, with its kind. A file the export gate withholds (open errors, unacknowledged
warnings) is not an export and is not recorded.
"""

from __future__ import annotations

from gkassist.access import Actor
from gkassist.export.gate import ExportFormat, ExportOutcome, export_report
from gkassist.model import Report
from gkassist.storage.store import ReportStore

FORMAT_ZH: dict[ExportFormat, str] = {"md": "Markdown", "html": "网页", "docx": "Word"}


def export_kind_zh(fmt: ExportFormat, draft: bool) -> str:
    """How the audit trail names the file, e.g. Word（正式稿）."""
    return f"{FORMAT_ZH[fmt]}（{'草稿' if draft else '正式稿'}）"


def export_as(
    store: ReportStore, report_id: int, report: Report, fmt: ExportFormat = "md", *, draft: bool = False, actor: Actor
) -> ExportOutcome:
    """The export gate's outcome for ``report`` (stored as ``report_id``), made as ``actor``.

    Raises AccessDenied when ``actor`` may not export it (the refusal is in the audit trail)."""
    store.authorize(report_id, "report.export_draft" if draft else "report.export_final",
                    actor=actor, agency=report.meta.agency)
    outcome = export_report(report, fmt, draft=draft)
    if outcome.allowed:
        store.record(actor, "export", f"报告{report_id}", {"kind": export_kind_zh(fmt, draft), "format": fmt})
    return outcome
