"""The reviewer's worklist (批量审核): every report the acting user may read, with its review
status, open errors and warnings, open comments, and the days left to its deadline.

The deadline is the one of the report's level (rules/agency_level.yaml: a department's report
by 1月31日 of the following year, a government's by 3月31日). Days left are counted from
``today``; a negative count is overdue, unless the report is already published.
"""

from __future__ import annotations

import csv
import io
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy.engine import Engine

from gkassist.access import Actor
from gkassist.acknowledgements import is_acknowledged
from gkassist.agency_level import Level, deadline
from gkassist.audit.safetext import csv_cell
from gkassist.checks import check_report
from gkassist.model import Report
from gkassist.review.policy import STATUS_CODES, StatusCode, review_policy
from gkassist.storage.comments import open_counts
from gkassist.storage.errors import StorageError
from gkassist.storage.review import ReviewStore
from gkassist.storage.store import ReportNotFoundError, ReportStore, ReportSummary

PUBLISHED: StatusCode = "published"


@lru_cache(maxsize=8)  # one per engine: creating it checks the review tables once
def _review_store(engine: Engine) -> ReviewStore:
    return ReviewStore(engine)


def report_statuses(store: ReportStore, report_ids: list[int], actor: Actor) -> dict[int, StatusCode]:
    """Each report's review status code (a report without a status is in the initial one, 起草中)."""
    found = _review_store(store.engine).statuses(report_ids, actor=actor)
    return {rid: found.get(rid, review_policy().initial) for rid in report_ids}


def open_comment_counts(store: ReportStore, report_ids: list[int], actor: Actor) -> dict[int, int]:
    """How many of each report's comments are not resolved."""
    counts = open_counts(store.engine, report_ids)  # the ids are the reports the actor may read
    return {rid: counts.get(rid, 0) for rid in report_ids}


def readable_reports(store: ReportStore, actor: Actor) -> list[ReportSummary]:
    """The reports ``actor`` may read (a reviewer: of the assigned agencies)."""
    return store.list_reports(actor=actor)


def load_report(store: ReportStore, report_id: int, actor: Actor) -> tuple[Report, int]:
    """The current version of a report, as ``actor`` reads it (AccessDenied, recorded, when not allowed)."""
    return store.load(report_id, actor=actor)


@dataclass(frozen=True)
class WorkItem:
    report_id: int
    agency: str
    year: int
    version: int
    updated_at: datetime
    updated_by: str
    status: StatusCode
    open_errors: int | None  # None: the stored report could not be read (``problem`` says why)
    open_warnings: int | None  # warnings not acknowledged
    open_comments: int
    deadline: date
    days_left: int  # negative: past the deadline
    problem: str = ""

    @property
    def status_zh(self) -> str:
        return review_policy().label(self.status)

    @property
    def overdue(self) -> bool:
        return self.days_left < 0 and self.status != PUBLISHED

    @property
    def days_zh(self) -> str:
        if self.status == PUBLISHED:
            return "已发布"
        if self.days_left < 0:
            return f"已逾期{-self.days_left}天"
        return "今天截止" if self.days_left == 0 else f"还剩{self.days_left}天"


@dataclass(frozen=True)
class _Checked:
    errors: int
    warnings: int  # not acknowledged
    level: Level


# What checking a stored version found, per store: a saved version never changes, so the home
# page (rerun on every filter click) checks each version once. Bounded; dropped with its store.
_CHECKED: weakref.WeakKeyDictionary[ReportStore, OrderedDict[tuple[int, int], _Checked]] = weakref.WeakKeyDictionary()
_CHECKED_MAX = 4096
_CHECKED_LOCK = threading.Lock()


def _checked(store: ReportStore, summary: ReportSummary, actor: Actor) -> _Checked:
    key = (summary.id, summary.version)
    with _CHECKED_LOCK:
        cache = _CHECKED.setdefault(store, OrderedDict())
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    report, version = load_report(store, summary.id, actor)
    findings = check_report(report)
    result = _Checked(
        errors=sum(1 for f in findings if f.severity == "error"),
        warnings=sum(1 for f in findings if f.severity == "warning" and not is_acknowledged(f, report.acknowledgements)),
        level=report.meta.level,
    )
    with _CHECKED_LOCK:
        cache[(summary.id, version)] = result
        while len(cache) > _CHECKED_MAX:
            cache.popitem(last=False)
    return result


def work_item(
    store: ReportStore, summary: ReportSummary, actor: Actor, today: date, status: StatusCode, comments: int,
) -> WorkItem:
    """One row: the report's current version checked (once per version), with its status and open comments."""
    base = (summary.id, summary.agency, summary.year, summary.version, summary.updated_at, summary.updated_by, status)
    try:
        checked = _checked(store, summary, actor)
    except (StorageError, ReportNotFoundError) as exc:
        due = deadline("department", summary.year)
        return WorkItem(*base, None, None, comments, due, (due - today).days, problem=str(exc))
    due = deadline(checked.level, summary.year)
    return WorkItem(*base, checked.errors, checked.warnings, comments, due, (due - today).days)


def worklist(store: ReportStore, actor: Actor, today: date) -> list[WorkItem]:
    """Every report ``actor`` may read (a reviewer: the assigned agencies'), deadline soonest first."""
    summaries = readable_reports(store, actor)
    ids = [s.id for s in summaries]
    statuses = report_statuses(store, ids, actor)
    comments = open_comment_counts(store, ids, actor)
    items = [work_item(store, s, actor, today, statuses.get(s.id, review_policy().initial), comments.get(s.id, 0)) for s in summaries]
    return sort_items(items, "deadline")


# ---------------------------------------------------------------- filter, sort, export

SORTS: dict[str, str] = {
    "deadline": "截止期限（最紧的在前）",
    "status": "审核状态",
    "agency": "单位名称",
    "errors": "未解决错误（多的在前）",
    "comments": "未解决意见（多的在前）",
}
_SORT_KEYS: dict[str, Callable[[WorkItem], tuple[object, ...]]] = {
    "deadline": lambda i: (i.status == PUBLISHED, i.days_left, i.agency, -i.year),
    "status": lambda i: (STATUS_CODES.index(i.status), i.agency, -i.year),
    "agency": lambda i: (i.agency, -i.year),
    "errors": lambda i: (-(i.open_errors if i.open_errors is not None else 1_000_000), i.agency, -i.year),
    "comments": lambda i: (-i.open_comments, i.agency, -i.year),
}


def sort_items(items: Iterable[WorkItem], by: str) -> list[WorkItem]:
    return sorted(items, key=_SORT_KEYS.get(by, _SORT_KEYS["deadline"]))


def filter_items(
    items: Iterable[WorkItem], statuses: Sequence[str] = (), agencies: Sequence[str] = (), overdue_only: bool = False,
) -> list[WorkItem]:
    """The items with one of ``statuses`` and of one of ``agencies`` (empty: any), overdue ones only if asked."""
    return [
        i for i in items
        if (not statuses or i.status in statuses)
        and (not agencies or i.agency in agencies)
        and (i.overdue or not overdue_only)
    ]


HEADER = ("报告编号", "单位", "年度", "审核状态", "未解决错误", "待确认警告", "未解决意见", "截止日期", "距截止天数", "期限", "版本", "最后修改", "修改人", "说明")


def _count(n: int | None) -> str:
    return "" if n is None else str(n)


def item_row(i: WorkItem) -> tuple[object, ...]:
    return (
        i.report_id, i.agency, i.year, i.status_zh, _count(i.open_errors), _count(i.open_warnings), i.open_comments,
        f"{i.deadline:%Y-%m-%d}", i.days_left, i.days_zh, i.version, f"{i.updated_at:%Y-%m-%d %H:%M}", i.updated_by,
        i.problem,
    )


def worklist_csv(items: Iterable[WorkItem]) -> bytes:
    """The rows as CSV, UTF-8 with a byte-order mark (Excel and WPS read it as Chinese), formula cells neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    for i in items:
        writer.writerow([v if isinstance(v, int) else csv_cell(v) for v in item_row(i)])  # -3 days is a number
    return buf.getvalue().encode("utf-8-sig")
