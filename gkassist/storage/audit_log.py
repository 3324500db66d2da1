"""The audit trail: an append-only table of who did what, when and from where.

The API only appends and reads (there is no update or delete here); triggers also refuse
UPDATE and DELETE (and TRUNCATE on PostgreSQL), so not even a hand-written statement rewrites history.
Secrets never enter it: a detail named like a password or key is refused, and a value shaped
like an API key is masked before it is written.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

from pydantic import Field, field_validator
from sqlalchemy import (
    DDL,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
    insert,
    select,
)
from sqlalchemy.engine import Connection, Engine

from gkassist.access import AccessDenied, Actor, permissions, require
from gkassist.storage.errors import StorageError, translated
from gkassist.storage.schema import create_all
from gkassist.strict import Strict

_LOG = logging.getLogger("gkassist.storage")

# What an entry records; the Chinese label is what an administrator reads.
ACTION_LABELS_ZH: dict[str, str] = {
    "sign_in": "登录成功",
    "sign_in_failed": "登录失败",
    "sign_in_locked": "登录被暂停（连续失败次数过多）",
    "sign_in_disabled": "已停用的账号尝试登录",
    "sign_in_unknown_identity": "统一身份认证通过，但没有对应的本系统账号",
    "sign_out": "退出登录",
    "identity_linked": "关联统一身份认证账号",
    "settings_changed": "修改设置",
    "user_added": "新增账号",
    "user_disabled": "停用账号",
    "password_changed": "修改密码",
    "agency_added": "新增单位",
    "access_denied": "无权操作被拒绝",
    "export": "导出报告",
    "comment_added": "发表审核意见",
    "comment_replied": "回复审核意见",
    "comment_resolved": "审核意见标为已解决",
    "status_changed": "报告状态变更",
}

_SECRET_KEY = re.compile(r"pass|pwd|secret|token|api[_-]?key|credential", re.IGNORECASE)
_SECRET_VALUE = re.compile(r"\b(sk|pk|rk)-[A-Za-z0-9_\-]{12,}|\bBearer\s+\S{8,}", re.IGNORECASE)
MASK = "［已隐去］"

audit_metadata = MetaData()

audit_table = Table(
    "audit_log",
    audit_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False, index=True),
    Column("actor", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("target", String(200), nullable=False, default=""),
    Column("source", String(200), nullable=False, default=""),
    Column("detail", Text, nullable=False, default=""),
)

# PostgreSQL: history cannot be rewritten, even by a statement typed by hand (a table created
# before these triggers existed does not get them: create_all only adds missing tables).
_PG_REFUSE = DDL(  # type: ignore[no-untyped-call]
    """
    CREATE OR REPLACE FUNCTION gkassist_audit_log_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit_log is append-only';
    END;
    $$ LANGUAGE plpgsql;
    CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION gkassist_audit_log_append_only();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION gkassist_audit_log_append_only();
    """
)
event.listen(audit_table, "after_create", _PG_REFUSE.execute_if(dialect="postgresql"))
# SQLite: the same refusal (a trigger per statement kind; SQLite has no TRUNCATE).
for _kind in ("UPDATE", "DELETE"):
    event.listen(audit_table, "after_create", DDL(  # type: ignore[no-untyped-call]
        f"CREATE TRIGGER audit_log_no_{_kind.lower()} BEFORE {_kind} ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    ).execute_if(dialect="sqlite"))


class AuditEntry(Strict):
    """One line of the trail. ``detail`` holds short facts (e.g. the role given), never secrets."""

    id: int = 0
    at: datetime
    actor: str = Field(max_length=100)
    action: str
    target: str = Field(default="", max_length=200)
    source: str = Field(default="", max_length=200)
    detail: dict[str, str] = Field(default_factory=dict)

    @field_validator("action")
    @classmethod
    def _known_action(cls, action: str) -> str:
        if action not in ACTION_LABELS_ZH:
            raise ValueError(f"unknown audit action {action!r}")
        return action

    @field_validator("detail")
    @classmethod
    def _no_secrets(cls, detail: dict[str, str]) -> dict[str, str]:
        for key in detail:
            if _SECRET_KEY.search(key):
                raise ValueError(f"audit detail {key!r} looks like a secret and is never recorded")
        return {k: _SECRET_VALUE.sub(MASK, v) for k, v in detail.items()}

    @property
    def action_zh(self) -> str:
        return ACTION_LABELS_ZH[self.action]


def _encode(detail: dict[str, str]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True)


def _decode(text: str) -> dict[str, str]:
    data = json.loads(text) if text else {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def create_audit_table(engine: Engine) -> None:
    create_all(audit_metadata, engine)


def append(conn: Connection, actor: str, action: str, target: str = "", source: str = "",
           detail: dict[str, str] | None = None, at: datetime | None = None) -> None:
    """Add one entry inside the caller's transaction, so the change and its record commit together."""
    entry = AuditEntry(at=at or datetime.now(UTC).replace(tzinfo=None), actor=_clip(actor, 100), action=action,
                       target=_clip(target, 200), source=_clip(source, 200), detail=detail or {})
    conn.execute(insert(audit_table).values(
        at=entry.at, actor=entry.actor, action=entry.action, target=entry.target, source=entry.source,
        detail=_encode({k: _clip(_SECRET_VALUE.sub(MASK, v), 500) for k, v in entry.detail.items()}),
    ))


def record(engine: Engine, actor: Actor, action: str, target: str = "", detail: dict[str, str] | None = None) -> None:
    """One entry by ``actor`` (from ``actor.source``) in its own transaction. A database that cannot
    be written (read-only, unreachable) does not stop what is being recorded: the server log
    keeps the entry instead."""
    try:
        with translated("记录审计"), engine.begin() as conn:
            append(conn, actor.username, action, target=target, source=actor.source, detail=detail)
    except StorageError:
        _LOG.warning("not in the audit trail (database not writable): %s %s %s %s", actor.username, action, target, detail)


def record_refusal(engine: Engine, denied: AccessDenied, why: str = "") -> None:
    """A role refusal (``access_denied``): who, what they tried, on which agency, in which role,
    and ``why`` when the role alone does not say it (e.g. approving one's own submission)."""
    detail = {"action": permissions().label(denied.action), "role": denied.actor.role_zh}
    if denied.agency is not None:
        detail["agency"] = denied.agency
    if why:
        detail["why"] = why
    record(engine, denied.actor, "access_denied", denied.target, detail)


def _clip(text: str, limit: int) -> str:
    return _SECRET_VALUE.sub(MASK, text)[:limit]


def read_entries(engine: Engine, limit: int = 1000, after_id: int = 0) -> list[AuditEntry]:
    """Entries with an id above ``after_id``, oldest first, at most ``limit``."""
    with translated("读取审计记录"), engine.connect() as conn:
        rows = conn.execute(
            select(audit_table).where(audit_table.c.id > after_id).order_by(audit_table.c.id).limit(limit)
        ).all()
    return [
        AuditEntry(id=r.id, at=r.at, actor=r.actor, action=r.action, target=r.target, source=r.source,
                   detail=_decode(r.detail))
        for r in rows
    ]


class AuditFilter(Strict):
    """What an administrator narrows the trail to; empty fields do not filter."""

    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    actions: tuple[str, ...] = ()
    actor: str = ""  # the account, exactly
    text: str = Field(default="", max_length=100)  # a part of the target, source or detail


def query(engine: Engine, wanted: AuditFilter, *, actor: Actor, limit: int = 5000) -> list[AuditEntry]:
    """Entries matching ``wanted``, newest first, at most ``limit``; only for who may read the trail
    (a refusal is itself recorded, then raised)."""
    try:
        require(actor, "audit.read", target="审计记录")
    except AccessDenied as denied:
        record_refusal(engine, denied)
        raise
    t = audit_table.c
    statement = select(audit_table)
    if wanted.since is not None:
        statement = statement.where(t.at >= wanted.since)
    if wanted.until is not None:
        statement = statement.where(t.at < wanted.until)
    if wanted.actions:
        statement = statement.where(t.action.in_(wanted.actions))
    if wanted.actor:
        statement = statement.where(t.actor == wanted.actor)
    if wanted.text:
        pattern = "%" + wanted.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            t.target.like(pattern, escape="\\") | t.source.like(pattern, escape="\\")
            | t.detail.like(pattern, escape="\\")
        )
    with translated("读取审计记录"), engine.connect() as conn:
        rows = conn.execute(statement.order_by(t.id.desc()).limit(limit)).all()
    return [
        AuditEntry(id=r.id, at=r.at, actor=r.actor, action=r.action, target=r.target, source=r.source,
                   detail=_decode(r.detail))
        for r in rows
    ]
