"""The stored review status of each report and its history, and the freeze that ReportStore.save checks.

Two tables beside the reports: ``report_status`` (one row per report once it has left the initial
status) and ``report_status_history`` (every change: who, when, from, to, why). Both carry the
report's ``created_at`` beside its id and are read joined on both, so a report created later under
a reused id (SQLite reuses the highest id after a delete) never inherits a status.
This module does not import the report store (the store imports it, for the freeze).
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, select
from sqlalchemy.engine import Connection, Engine

from gkassist.review.policy import StatusCode, review_policy
from gkassist.storage.schema import create_all

review_metadata = MetaData()

status_table = Table(
    "report_status",
    review_metadata,
    Column("report_id", Integer, primary_key=True, autoincrement=False),
    Column("report_created_at", DateTime, nullable=False),
    Column("status", String(20), nullable=False),
    Column("changed_at", DateTime, nullable=False),
    Column("changed_by", String(100), nullable=False, default=""),
)

history_table = Table(
    "report_status_history",
    review_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", Integer, nullable=False, index=True),
    Column("report_created_at", DateTime, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("actor_name", String(100), nullable=False, default=""),
    Column("from_status", String(20), nullable=False),
    Column("to_status", String(20), nullable=False),
    Column("reason", Text, nullable=False, default=""),
)

# The reports table as this module reads it (owned by gkassist/storage/store.py)
reports_view = Table(
    "reports",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("agency", String(200)),
    Column("current_version", Integer),
    Column("created_at", DateTime),
)


def create_review_tables(engine: Engine) -> None:
    create_all(review_metadata, engine)


def stored_status(conn: Connection, report_id: int) -> StatusCode:
    """The report's status (the initial one when none is stored)."""
    s, r = status_table, reports_view
    status = conn.execute(
        select(s.c.status)
        .select_from(s.join(r, (r.c.id == s.c.report_id) & (r.c.created_at == s.c.report_created_at)))
        .where(s.c.report_id == report_id)
    ).scalar()
    return status if status in review_policy().statuses else review_policy().initial


def stored_statuses(conn: Connection, report_ids: list[int]) -> dict[int, StatusCode]:
    """The status of each report (one query, for lists); the initial status for those without a row."""
    s, r = status_table, reports_view
    policy = review_policy()
    found = {
        rid: status for rid, status in conn.execute(
            select(s.c.report_id, s.c.status)
            .select_from(s.join(r, (r.c.id == s.c.report_id) & (r.c.created_at == s.c.report_created_at)))
            .where(s.c.report_id.in_(report_ids))
        )
        if status in policy.statuses
    }
    return {rid: found.get(rid, policy.initial) for rid in report_ids}


def is_frozen(conn: Connection, report_id: int) -> bool:
    """Whether the report's text and figures may not be saved now (submitted, approved, published)."""
    return review_policy().frozen(stored_status(conn, report_id))


class FrozenError(Exception):
    """A save of a report whose status freezes it. Nothing was saved."""

    def __init__(self, report_id: int, status: StatusCode) -> None:
        self.report_id = report_id
        self.status = status
        super().__init__(self.message_zh())

    def message_zh(self) -> str:
        policy = review_policy()
        return (f"保存失败：{policy.statuses[self.status].frozen_why}。"
                f"（当前状态：{policy.label(self.status)}）本次修改没有保存，页面上刚输入的内容也不会存入报告。")


def refuse_if_frozen(conn: Connection, report_id: int) -> None:
    """Raise :class:`FrozenError` inside the saving transaction (which then rolls back). The caller
    has already updated the report's row, so a submission waiting on that row lock sees this save,
    and a save waiting on a submission's lock sees the new status."""
    status = stored_status(conn, report_id)
    if review_policy().frozen(status):
        raise FrozenError(report_id, status)
