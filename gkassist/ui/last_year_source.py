"""Last year's report for the open one, from the store or from an uploaded file: the 基本信息
page (which also pre-fills 上年结转 from it) and the 对照上年 page both attach it here, through
gkassist.last_year.attach."""

from __future__ import annotations

from dataclasses import dataclass, field

from gkassist.importers import ReportReadError
from gkassist.isolation.runner import import_isolated
from gkassist.last_year.attach import attach_last_year, year_mismatch
from gkassist.last_year.carry_over import prefill_carried_in
from gkassist.model import Report
from gkassist.storage import ReportStore, ReportSummary


@dataclass
class LastYearOutcome:
    ok: bool
    messages: list[tuple[str, str]]  # (level error|warning|info, Chinese text)
    prefilled: list[str] = field(default_factory=list)  # a Chinese line per 上年结转 cell pre-filled


def read_last_year(report: Report, data: bytes, filename: str, *, prefill: bool) -> LastYearOutcome:
    """Read an uploaded file as last year's report and attach it. With ``prefill`` 上年结转
    gets last year's 四、结转下年度继续办理 for every column that is blank this year; cells
    staff already filled are left alone. The file is read in a child process with the import
    limits (gkassist.isolation): nothing changes unless it is read whole."""
    try:
        result = import_isolated(data, filename)
    except ReportReadError as exc:
        return LastYearOutcome(False, [("error", f"无法读取“{filename}”：{exc}")])
    messages: list[tuple[str, str]] = [(d.level, f"{d.where}：{d.message}" if d.where else d.message) for d in result.diagnostics]
    last = result.report
    if last is None:
        return LastYearOutcome(
            False, [*messages, ("error", f"“{filename}”中没有读到年度报告的内容，请确认上传的是上一年度的年报。")]
        )
    mismatch = year_mismatch(report, last)
    if mismatch:
        messages.append(("warning", mismatch))
    attach_last_year(report, last)
    messages.insert(0, ("info", f"已读取{last.meta.agency or filename}{last.meta.year}年度报告作为上年报告。"))
    return LastYearOutcome(True, messages, prefill_carried_in(report) if prefill else [])


def last_year_candidates(store: ReportStore, report: Report, current_id: int | None = None) -> list[ReportSummary]:
    """Stored reports of the same agency for the year before (newest first), the open one excluded."""
    agency = report.meta.agency.strip()
    return [
        s for s in store.list_reports()
        if s.year == report.meta.year - 1 and s.agency.strip() == agency and s.id != current_id
    ]


def attach_stored(report: Report, store: ReportStore, report_id: int) -> str:
    last, _ = store.load(report_id)
    attach_last_year(report, last)
    return f"已将{last.meta.agency}{last.meta.year}年度报告作为上年报告。"
