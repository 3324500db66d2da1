"""The 校验与导出 page's files. Only a report whose review status gives them (已通过, 已发布) gets
the 正式稿: the stored copy, behind the export gate, as Markdown for publication (no metadata),
a portal page and a Word document, plus the Markdown with its metadata that imports back.
Every other report gets 草稿: the same three formats, 草稿 in the file name and in the document,
with the open findings and why it is not final. Files are made when their button is clicked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from gkassist.access import AccessDenied, Actor, allowed
from gkassist.export.gate import ExportFormat, ExportOutcome, export_markdown, export_report
from gkassist.model import Report
from gkassist.review.policy import StatusCode, review_policy
from gkassist.review.readiness import blockers_zh, submission_blockers
from gkassist.storage.review import ReviewError, ReviewStore

MIME: dict[ExportFormat, str] = {
    "md": "text/markdown",
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Download:
    key: str
    label: str
    file_name: str
    fmt: ExportFormat
    final: bool
    make: Callable[[], bytes]  # the file, made (and the export audited) when the button is clicked

    @property
    def mime(self) -> str:
        return MIME[self.fmt]


@dataclass(frozen=True)
class ExportOffer:
    final: bool  # the 正式稿 downloads are offered
    downloads: list[Download]
    notice: str = ""  # why only 草稿 (empty for 正式稿)


def export_checked(report: Report) -> ExportOutcome:
    """The checked report as Markdown with its metadata (the gate on findings alone)."""
    return export_markdown(report)


def export_draft(report: Report, note: str = "") -> str:
    return export_report(report, "md", draft=True, draft_note=note).text or ""


def markdown_filename(report: Report, draft: bool, fmt: str = "md", suffix: str = "") -> str:
    return f"{report.meta.title}{'（草稿）' if draft else suffix}.{fmt}"


def draft_note(status: StatusCode) -> str:
    """The line of a draft's banner saying it is not approved."""
    return f"本稿尚未审核通过（当前状态：{review_policy().label(status)}），不是正式稿，不得发布。审核通过后可导出正式稿。"


def export_offer(review: ReviewStore, report_id: int, page_report: Report, status: StatusCode, *,
                 actor: Actor) -> ExportOffer:
    """What the page offers for this report now. ``page_report`` is the report as the page holds it
    (drafts are made from it); the 正式稿 are made from the stored, approved copy."""
    agency = page_report.meta.agency
    if not allowed(actor, "report.export_draft", agency):  # the refusal in place of the buttons
        return ExportOffer(False, [], AccessDenied(actor, "report.export_draft", agency).message_zh())
    if not review_policy().final_exports(status):
        note = draft_note(status)
        return ExportOffer(False, _drafts(review, report_id, page_report, note, actor), note)
    try:
        stored, _version = review.final_copy(report_id, actor=actor)
    except (AccessDenied, ReviewError) as exc:
        return ExportOffer(False, _drafts(review, report_id, page_report, str(exc), actor), str(exc))
    if blockers := submission_blockers(stored):  # a rule that changed since the approval
        notice = blockers_zh(blockers, "导出正式稿") + "\n请退回报告、改正后重新提交审核。"
        return ExportOffer(False, _drafts(review, report_id, page_report, "", actor), notice)
    return ExportOffer(True, _finals(review, report_id, stored, actor))


def _made(review: ReviewStore, report_id: int, fmt: ExportFormat, final: bool, actor: Actor,
          render: Callable[[], ExportOutcome]) -> Callable[[], bytes]:
    def make() -> bytes:
        outcome = render()
        if outcome.content is None:  # the gate refused (the report changed since the page was drawn)
            raise ReviewError(outcome.refusal_zh())
        review.record_export(report_id, fmt, final, actor=actor)
        return outcome.content

    return make


def _finals(review: ReviewStore, report_id: int, report: Report, actor: Actor) -> list[Download]:
    def final(key: str, label: str, fmt: ExportFormat, suffix: str = "", metadata: bool = False) -> Download:
        render = partial(export_report, report, fmt, metadata=metadata)
        return Download(key, label, markdown_filename(report, False, fmt, suffix), fmt, True,
                        _made(review, report_id, fmt, True, actor, render))

    return [
        final("download_final_md", "下载 Markdown 正式稿（发布用，不含元数据）", "md"),
        final("download_final_html", "下载网页正式稿（门户网站发布用）", "html"),
        final("download_final_docx", "下载 Word 公文正式稿", "docx"),
        final("download_roundtrip_md", "下载 Markdown（含元数据，可再导入本工具）", "md", "（含元数据）", metadata=True),
    ]


def _drafts(review: ReviewStore, report_id: int, report: Report, note: str, actor: Actor) -> list[Download]:
    def draft(key: str, label: str, fmt: ExportFormat) -> Download:
        render = partial(export_report, report, fmt, draft=True, draft_note=note)
        return Download(key, label, markdown_filename(report, True, fmt), fmt, False,
                        _made(review, report_id, fmt, False, actor, render))

    return [
        draft("download_draft", "下载 Markdown 草稿（含元数据，可再导入）", "md"),
        draft("download_draft_html", "下载网页草稿", "html"),
        draft("download_draft_docx", "下载 Word 草稿", "docx"),
    ]
