"""The review loop in the database: a report's status, the moves between statuses, their history.

``ReviewStore(engine)`` shares the report store's engine. Every method takes the acting user
(keyword-only ``actor``) and checks it with :func:`gkassist.access.require` against the report's
agency; a refusal is written to the audit trail ("access_denied") and raised as AccessDenied.
A move (rules/review.yaml) is checked in one transaction that first locks the report's row, so a
save cannot slip in between the submission's check of the content and the freeze:
the move must exist from the current status, the actor must hold its permission, a required
reason must be given, its checks (BLOCKING_CHECKS) must find nothing; then the status, its
history row and the audit entry ("status_changed") are written together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import ValidationError
from sqlalchemy import Column, Integer, MetaData, Table, Text, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from gkassist.access import AccessDenied, Action, Actor, allowed
from gkassist.control_chars import has_control_chars
from gkassist.model import Report
from gkassist.review.policy import CheckCode, StatusCode, Transition, review_policy
from gkassist.review.readiness import Blocker, blockers_zh, open_comment_blockers, submission_blockers
from gkassist.storage.audit_log import append, create_audit_table, record_refusal
from gkassist.storage.comments import open_count
from gkassist.storage.errors import StorageError, translated
from gkassist.storage.review_status import (
    create_review_tables,
    history_table,
    reports_view,
    status_table,
    stored_status,
    stored_statuses,
)
from gkassist.storage.store import ReportNotFoundError

REASON_MAX = 1000

# The report's saved content as this module reads it (owned by gkassist/storage/store.py)
_versions_view = Table(
    "report_versions",
    MetaData(),
    Column("report_id", Integer),
    Column("version", Integer),
    Column("data", Text),
)


@dataclass(frozen=True)
class StatusChange:
    """One line of a report's status history."""

    at: datetime
    actor: str  # the account (or the single user's typed name)
    actor_name: str  # how the user is shown: 显示名（账号）
    from_status: StatusCode
    to_status: StatusCode
    reason: str

    @property
    def from_zh(self) -> str:
        return review_policy().label(self.from_status)

    @property
    def to_zh(self) -> str:
        return review_policy().label(self.to_status)


class ReviewError(Exception):
    """A move that cannot be made now (not a move from this status, no reason given, open
    problems). The message is Chinese; ``blockers`` lists the open problems one by one."""

    def __init__(self, message: str, blockers: Iterable[Blocker] = ()) -> None:
        self.blockers = list(blockers)
        super().__init__(message)


def _content(conn: Connection, report_id: int, version: int) -> Report:
    data = conn.execute(
        select(_versions_view.c.data).where(_versions_view.c.report_id == report_id, _versions_view.c.version == version)
    ).scalar()
    if data is None:
        raise ReportNotFoundError(report_id)
    try:
        return Report.model_validate_json(data)
    except ValidationError as err:
        raise StorageError("读取报告", f"第{version}版保存的内容不符合当前的报告格式", "请联系管理员检查数据库") from err


BlockingCheck = Callable[[Connection, int, Report], list[Blocker]]

# The conditions a move may name in rules/review.yaml (``checks``); each lists what blocks the move
BLOCKING_CHECKS: dict[CheckCode, BlockingCheck] = {
    "report_ready": lambda _conn, _rid, report: submission_blockers(report),
    "no_open_comments": lambda conn, rid, _report: open_comment_blockers(open_count(conn, rid)),
}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _target(report_id: int) -> str:
    return f"报告{report_id}"


class ReviewStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._has_tables = True
        try:
            create_review_tables(engine)
            create_audit_table(engine)
        except SQLAlchemyError:  # a read-only database: a report without a status row is in the initial status
            self._has_tables = False

    # reading

    def status(self, report_id: int, *, actor: Actor) -> StatusCode:
        return self.statuses([report_id], actor=actor).get(report_id, review_policy().initial)

    def statuses(self, report_ids: Iterable[int], *, actor: Actor) -> dict[int, StatusCode]:
        """The status of each report the actor may read (for 报告列表 and the reviewer's list)."""
        wanted = list(dict.fromkeys(report_ids))
        if not wanted:
            return {}
        with translated("读取报告状态"), self.engine.connect() as conn:
            agencies: dict[int, str] = {
                rid: agency for rid, agency in
                conn.execute(select(reports_view.c.id, reports_view.c.agency).where(reports_view.c.id.in_(wanted)))
            }
            for rid in wanted:
                if rid not in agencies:
                    raise ReportNotFoundError(rid)
                self._require(actor, "report.read", agencies[rid], rid)
            if not self._has_tables:
                return {rid: review_policy().initial for rid in wanted}
            return stored_statuses(conn, wanted)

    def history(self, report_id: int, *, actor: Actor) -> list[StatusChange]:
        """Every status change of the report, oldest first."""
        with translated("读取状态记录"), self.engine.connect() as conn:
            agency, _version, created_at = self._report(conn, report_id)
            self._require(actor, "report.read", agency, report_id)
            if not self._has_tables:
                return []
            h = history_table
            rows = conn.execute(
                select(h.c.at, h.c.actor, h.c.actor_name, h.c.from_status, h.c.to_status, h.c.reason)
                .where(h.c.report_id == report_id, h.c.report_created_at == created_at)
                .order_by(h.c.id)
            ).all()
        return [StatusChange(*row) for row in rows]

    def moves(self, report_id: int, *, actor: Actor) -> list[Transition]:
        """The moves from the report's status that this actor's role allows (which buttons to show;
        ``transition`` still checks everything)."""
        with translated("读取报告状态"), self.engine.connect() as conn:
            agency, _version, _created = self._report(conn, report_id)
            self._require(actor, "report.read", agency, report_id)
            start = self._status(conn, report_id)
        return [t for t in review_policy().moves_from(start) if allowed(actor, t.action, agency)]

    def blockers(self, report_id: int, to: StatusCode, *, actor: Actor) -> list[Blocker]:
        """What keeps the move to ``to`` from being made now (empty when nothing does)."""
        with translated("检查报告状态"), self.engine.connect() as conn:
            agency, version, _created = self._report(conn, report_id)
            self._require(actor, "report.read", agency, report_id)
            move = review_policy().move(self._status(conn, report_id), to)
            if move is None or not move.checks:
                return []
            report = _content(conn, report_id, version)
            return [b for check in move.checks for b in BLOCKING_CHECKS[check](conn, report_id, report)]

    def final_copy(self, report_id: int, *, actor: Actor) -> tuple[Report, int]:
        """The stored report (current version) for the 正式稿 exports: refused (ReviewError) unless
        its status gives them (已通过, 已发布); the actor needs report.export_final. The stored copy,
        never the page's: what was approved is what is published."""
        with translated("读取报告"), self.engine.connect() as conn:
            agency, version, _created = self._report(conn, report_id)
            self._require(actor, "report.export_final", agency, report_id)
            status = self._status(conn, report_id)
            if not review_policy().final_exports(status):
                raise ReviewError(final_refusal(status))
            return _content(conn, report_id, version), version

    def record_export(self, report_id: int, fmt: str, final: bool, *, actor: Actor) -> None:
        """An export in the audit trail (who, which report, which format, 正式稿 or 草稿), after
        checking the actor may export it (report.export_final or report.export_draft)."""
        with translated("记录审计"), self.engine.connect() as conn:
            agency, version, _created = self._report(conn, report_id)
        self._require(actor, "report.export_final" if final else "report.export_draft", agency, report_id)
        with translated("记录审计"), self.engine.begin() as conn:
            append(conn, actor.username, "export", _target(report_id), actor.source,
                   {"agency": agency, "format": fmt, "kind": "正式稿" if final else "草稿", "version": str(version)})

    # the one write

    def transition(self, report_id: int, to: StatusCode, *, actor: Actor, reason: str = "") -> StatusChange:
        """Move the report to ``to``; raises AccessDenied (logged), ReviewError or ReportNotFoundError."""
        reason = _check_reason(reason)
        policy = review_policy()
        try:
            with translated("更改报告状态"), self.engine.begin() as conn:
                # lock the report's row first: a save waits for this move, or this move sees the save
                locked = conn.execute(
                    update(reports_view).where(reports_view.c.id == report_id)
                    .values(current_version=reports_view.c.current_version)
                )
                if locked.rowcount != 1:
                    raise ReportNotFoundError(report_id)
                agency, version, created_at = self._report(conn, report_id)
                start = stored_status(conn, report_id)
                move = policy.move(start, to)
                if move is None:
                    self._require_in(actor, "report.read", agency, report_id)
                    raise ReviewError(_no_such_move(start, to))
                self._require_in(actor, move.action, agency, report_id)
                if move.not_by_submitter and not actor.is_single_user and self._submitter(conn, report_id, created_at) == actor.username:
                    denied = OwnSubmissionDenied(actor, move.action, agency, _target(report_id))
                    raise _Refused(denied, "自己提交的报告")
                if move.reason == "required" and not reason:
                    raise ReviewError(f"{move.label}需要说明理由：请写明哪里需要修改、为什么，填报人会据此修改。")
                if move.checks:
                    report = _content(conn, report_id, version)
                    found = [b for check in move.checks for b in BLOCKING_CHECKS[check](conn, report_id, report)]
                    if found:
                        raise ReviewError(blockers_zh(found, move.label), found)
                change = StatusChange(_now(), actor.username[:100], actor.shown[:100], start, to, reason)
                self._write(conn, report_id, created_at, agency, change, actor.source)
        except _Refused as refused:
            record_refusal(self.engine, refused.denied, refused.why)
            raise refused.denied from None
        return change

    # inside

    def _status(self, conn: Connection, report_id: int) -> StatusCode:
        return stored_status(conn, report_id) if self._has_tables else review_policy().initial

    def _report(self, conn: Connection, report_id: int) -> tuple[str, int, datetime]:
        row = conn.execute(
            select(reports_view.c.agency, reports_view.c.current_version, reports_view.c.created_at)
            .where(reports_view.c.id == report_id)
        ).first()
        if row is None:
            raise ReportNotFoundError(report_id)
        return row.agency, row.current_version, row.created_at

    def _submitter(self, conn: Connection, report_id: int, created_at: datetime) -> str | None:
        h = history_table
        return conn.execute(
            select(h.c.actor)
            .where(h.c.report_id == report_id, h.c.report_created_at == created_at, h.c.to_status == "submitted")
            .order_by(h.c.id.desc()).limit(1)
        ).scalar()

    def _write(self, conn: Connection, report_id: int, created_at: datetime, agency: str, change: StatusChange,
               source: str) -> None:
        values = {"report_created_at": created_at, "status": change.to_status, "changed_at": change.at,
                  "changed_by": change.actor}
        updated = conn.execute(update(status_table).where(status_table.c.report_id == report_id).values(**values))
        if updated.rowcount == 0:
            conn.execute(insert(status_table).values(report_id=report_id, **values))
        conn.execute(insert(history_table).values(
            report_id=report_id, report_created_at=created_at, at=change.at, actor=change.actor,
            actor_name=change.actor_name, from_status=change.from_status, to_status=change.to_status,
            reason=change.reason,
        ))
        detail = {"agency": agency, "from": change.from_zh, "to": change.to_zh}
        if change.reason:
            detail["reason"] = change.reason
        append(conn, change.actor, "status_changed", _target(report_id), source, detail, at=change.at)

    def _require(self, actor: Actor, action: Action, agency: str, report_id: int) -> None:
        """The permission check outside a transaction: a refusal is logged, then raised."""
        try:
            self._require_in(actor, action, agency, report_id)
        except _Refused as refused:
            record_refusal(self.engine, refused.denied, refused.why)
            raise refused.denied from None

    def _require_in(self, actor: Actor, action: Action, agency: str, report_id: int) -> None:
        if not allowed(actor, action, agency):
            raise _Refused(AccessDenied(actor, action, agency, _target(report_id)))


class _Refused(Exception):
    """Carries an AccessDenied out of the transaction (which rolls back) to be logged after it."""

    def __init__(self, denied: AccessDenied, why: str = "") -> None:
        self.denied, self.why = denied, why
        super().__init__(str(denied))


class OwnSubmissionDenied(AccessDenied):
    """A reviewer approving a report they submitted themselves."""

    def message_zh(self) -> str:
        return (f"您的账号（{self.actor.shown}）不能审核通过自己提交的报告：提交和审核须由不同的人完成。"
                "请由负责该单位的其他审核人审核。")


def final_refusal(status: StatusCode) -> str:
    """Why a report in ``status`` gets only 草稿 exports."""
    policy = review_policy()
    finals = "、".join(s.label for s in policy.statuses.values() if s.final_exports)
    return (f"报告当前状态为“{policy.label(status)}”，尚未审核通过，只能导出草稿（文件名和文内均标有“草稿”）。"
            f"报告审核通过（状态为{finals}）后才能导出正式稿。")


def _no_such_move(start: StatusCode, to: StatusCode) -> str:
    policy = review_policy()
    possible = "、".join(f"{t.label}（→{policy.label(t.to)}）" for t in policy.moves_from(start))
    tail = f"当前可以进行的操作：{possible}。" if possible else "这个状态下不能再更改。"
    return (f"报告当前状态为“{policy.label(start)}”，不能改为“{policy.label(to)}”。{tail}"
            "如果页面上显示的状态与此不同，可能已有其他人处理过，请刷新页面查看最新状态。")


def _check_reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise ReviewError(f"理由太长（{len(reason)}字），请精简到{REASON_MAX}字以内。")
    if has_control_chars(reason.replace("\n", "").replace("\t", "")):
        raise ReviewError("理由中含有无法显示的控制字符，请删除后重新填写。")
    return reason
