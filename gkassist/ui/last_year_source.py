"""Last year's report for the open one, from the store or from an uploaded file: the 基本信息 and
对照上年 pages (through ``last_year_panel``) and the start page (``start_page``) read it here;
attaching goes through gkassist.last_year.attach, carrying over through gkassist.last_year.start.

A file is read in a child process with the import limits (gkassist.isolation): nothing changes
unless it is read whole. A report of another year than this year − 1 is refused unless staff
override it explicitly (``override_by``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gkassist.access import Actor
from gkassist.isolation.runner import import_isolated
from gkassist.last_year.attach import attach_last_year, year_refusal
from gkassist.last_year.start import SummaryLine, apply_plan, carried_summary, plan_carry
from gkassist.model import Report
from gkassist.storage import ReportStore, ReportSummary

Messages = list[tuple[str, str]]  # (level error|warning|info, Chinese text)


@dataclass
class ReadResult:
    report: Report | None  # None: not read (the messages say why)
    messages: Messages


@dataclass
class LastYearOutcome:
    ok: bool
    messages: Messages
    prefilled: list[str] = field(default_factory=list)  # a Chinese line per 上年结转 cell pre-filled
    summary: list[SummaryLine] = field(default_factory=list)  # what was carried over, per place


def read_report_file(data: bytes, filename: str) -> ReadResult:
    """An uploaded report read in a child process, with its import notes."""
    # Deferred: the importers take ~0.2 s to load, and the report list's first run reads no file.
    from gkassist.importers import ReportReadError

    try:
        result = import_isolated(data, filename)
    except ReportReadError as exc:
        return ReadResult(None, [("error", f"无法读取“{filename}”：{exc}")])
    messages: Messages = [(d.level, f"{d.where}：{d.message}" if d.where else d.message) for d in result.diagnostics]
    if result.report is None:
        messages.append(("error", f"“{filename}”中没有读到年度报告的内容，请确认上传的是上一年度的年报。"))
    return ReadResult(result.report, messages)


def attach_carrying(report: Report, last: Report, override_by: str | None = None) -> LastYearOutcome:
    """Attach ``last`` and carry over what it gives this year's report (上年结转, contact …);
    refused when it is not of the year before, unless ``override_by`` names who overrides."""
    refusal = year_refusal(report, last)
    if refusal is not None and override_by is None:
        return LastYearOutcome(False, [("error", refusal.message)])
    plan = plan_carry(report, last)
    apply_plan(report, last, plan, refusal.override(override_by) if refusal and override_by is not None else None)
    prefilled = [f"{c.label}：{c.after}" for c in plan if c.kind == "cell" and c.key[:2] == ("s3", "carried_in")]
    return LastYearOutcome(True, [], prefilled, carried_summary(report, last, plan))


def read_last_year(
    report: Report, data: bytes, filename: str, *, prefill: bool, override_by: str | None = None
) -> LastYearOutcome:
    """Read an uploaded file as last year's report and attach it. With ``prefill`` what it gives
    this year's report is carried over (``attach_carrying``); without, it is only attached."""
    read = read_report_file(data, filename)
    last = read.report
    if last is None:
        return LastYearOutcome(False, read.messages)
    if prefill:
        outcome = attach_carrying(report, last, override_by)
        outcome.messages = [*read.messages, *outcome.messages]
    else:
        refusal = year_refusal(report, last)
        if refusal is not None and override_by is None:
            return LastYearOutcome(False, [*read.messages, ("error", refusal.message)])
        attach_last_year(report, last, refusal.override(override_by) if refusal and override_by is not None else None)
        outcome = LastYearOutcome(True, read.messages)
    if outcome.ok:
        outcome.messages.insert(0, ("info", f"已读取{last.meta.agency or filename}{last.meta.year}年度报告作为上年报告。"))
    return outcome


def last_year_candidates(
    store: ReportStore, report: Report, current_id: int | None = None, *, actor: Actor
) -> list[ReportSummary]:
    """Stored reports of the same agency for the year before (newest first) that ``actor`` may
    read, the open one excluded."""
    agency = report.meta.agency.strip()
    return [
        s for s in store.list_reports(actor=actor)
        if s.year == report.meta.year - 1 and s.agency.strip() == agency and s.id != current_id
    ]
