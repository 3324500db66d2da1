"""Review comments: anchored to a table cell, a sentence or the whole report, with replies, and
marked resolved by the clerk or the reviewer. A report cannot be approved while one is open
(the review status asks :func:`open_count`).

Two tables beside the reports: ``review_comments`` (the anchor, the text it quoted when it was
made, who wrote it, who resolved it and when) and ``review_comment_replies``. A comment keeps the
quoted cell or sentence as it was, so it still reads sensibly after the text has changed.
Every call takes the acting user and is refused (with a Chinese message, written to the audit
trail) when the role or the report's agency does not allow it; additions, replies and
resolutions are audited in the same transaction as the change.
"""

from __future__ import annotations

import re
import weakref
from datetime import UTC, datetime
from typing import Literal

from pydantic import Field, model_validator
from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    column,
    func,
    insert,
    inspect,
    select,
    table,
    update,
)
from sqlalchemy.engine import Connection, Engine

from gkassist.access import AccessDenied, Action, Actor, require
from gkassist.control_chars import control_char_message, has_control_chars
from gkassist.storage.audit_log import append, create_audit_table, record_refusal
from gkassist.storage.errors import translated
from gkassist.storage.schema import create_all
from gkassist.storage.store import ReportNotFoundError
from gkassist.strict import Strict

AnchorKind = Literal["cell", "sentence", "report"]
ANCHOR_KINDS_ZH: dict[str, str] = {"cell": "单元格", "sentence": "句子", "report": "整份报告"}
MAX_BODY = 2000  # characters of a comment or a reply
MAX_QUOTE = 2000
MAX_COMMENTS = 500  # per report: every page that shows a report's comments stays bounded
MAX_REPLIES = 100  # per comment

_CELL = re.compile(r"^s[234]\.\w+\.\w+$")  # Location.address of an official cell: s3.new.natural
_SENTENCE = re.compile(r"^(?P<section>s[1-6]|opening)#(?P<index>\d{1,4})$")  # section id # sentence index

comments_metadata = MetaData()

comments_table = Table(
    "review_comments",
    comments_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", Integer, nullable=False, index=True),
    # the report's creation time: a comment belongs to this report, not to a later one that
    # reuses the id of a deleted report (SQLite may reuse the highest id)
    Column("report_created_at", DateTime, nullable=False),
    Column("anchor_kind", String(10), nullable=False),
    Column("anchor", String(200), nullable=False, default=""),
    Column("quote", Text, nullable=False, default=""),
    Column("body", Text, nullable=False),
    Column("author", String(100), nullable=False),
    Column("author_name", String(100), nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
    Column("resolved_by", String(100), nullable=True),
    Column("resolved_at", DateTime, nullable=True),
)

replies_table = Table(
    "review_comment_replies",
    comments_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("comment_id", ForeignKey("review_comments.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("body", Text, nullable=False),
    Column("author", String(100), nullable=False),
    Column("author_name", String(100), nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
)

# the reports table of gkassist.storage.store, as far as comments need it
_reports = table("reports", column("id", Integer), column("agency", String), column("created_at", DateTime))


class CommentError(Exception):
    """A comment or reply that cannot be stored as given; the message is Chinese and says what to do."""


class Anchor(Strict):
    """Where a comment applies. ``address``: a cell's address (s3.new.natural), a sentence's
    section id and index (s1#3), or "" for the whole report. ``quote``: the cell's name and value,
    or the sentence, as they were when the comment was made."""

    kind: AnchorKind
    address: str = Field(default="", max_length=200)
    quote: str = Field(default="", max_length=MAX_QUOTE)

    @model_validator(mode="after")
    def _address_fits_kind(self) -> Anchor:
        if self.kind == "cell" and not _CELL.match(self.address):
            raise ValueError(f"a cell anchor needs a cell address (s3.new.natural), not {self.address!r}")
        if self.kind == "sentence" and not _SENTENCE.match(self.address):
            raise ValueError(f"a sentence anchor needs section#index (s1#3), not {self.address!r}")
        if self.kind == "report" and self.address:
            raise ValueError("a report anchor has no address")
        return self

    @classmethod
    def cell(cls, address: str, quote: str) -> Anchor:
        return cls(kind="cell", address=address, quote=quote[:MAX_QUOTE])

    @classmethod
    def sentence(cls, section: str, index: int, text: str) -> Anchor:
        """A sentence longer than the quote can hold is quoted by its beginning (``quotes``)."""
        return cls(kind="sentence", address=f"{section}#{index}", quote=text[:MAX_QUOTE])

    def quotes(self, sentence: str) -> bool:
        """Whether this sentence anchor quoted ``sentence`` (as it is now)."""
        return sentence == self.quote or (len(self.quote) == MAX_QUOTE and sentence.startswith(self.quote))

    @classmethod
    def report(cls) -> Anchor:
        return cls(kind="report")

    @property
    def section(self) -> str | None:
        """The section id of a sentence anchor."""
        m = _SENTENCE.match(self.address) if self.kind == "sentence" else None
        return m["section"] if m else None

    @property
    def table(self) -> str | None:
        """The table id of a cell anchor."""
        return self.address.split(".", 1)[0] if self.kind == "cell" else None


class Reply(Strict):
    id: int
    body: str
    author: str
    author_name: str = ""
    created_at: datetime

    @property
    def by(self) -> str:
        return _shown(self.author, self.author_name)


class Comment(Strict):
    id: int
    report_id: int
    anchor: Anchor
    body: str
    author: str
    author_name: str = ""
    created_at: datetime
    resolved_by: str | None = None
    resolved_at: datetime | None = None
    replies: tuple[Reply, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def by(self) -> str:
        return _shown(self.author, self.author_name)


def _shown(username: str, display_name: str) -> str:
    name = display_name or username or "未署名用户"
    return f"{name}（{username}）" if display_name and username and display_name != username else name


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _check_body(body: str, what: str) -> str:
    text = body.strip()
    if not text:
        raise CommentError(f"{what}是空的，没有保存。请写明需要修改什么、为什么，然后再提交。")
    if len(text) > MAX_BODY:
        raise CommentError(f"{what}有{len(text)}个字，超过了{MAX_BODY}字的上限，没有保存。请精简后再提交。")
    if has_control_chars(text):
        raise CommentError(control_char_message(what))
    return text


_ensured: weakref.WeakSet[Engine] = weakref.WeakSet()


def create_comment_tables(engine: Engine) -> None:
    if engine not in _ensured:
        with translated("打开审核意见"):
            create_all(comments_metadata, engine)
            create_audit_table(engine)
        _ensured.add(engine)


def open_count(conn_or_engine: Connection | Engine, report_id: int) -> int:
    """How many comments on the report are not resolved (approval is refused while any is).
    Runs inside the caller's transaction when given a connection."""
    return open_counts(conn_or_engine, [report_id]).get(report_id, 0)


def open_counts(conn_or_engine: Connection | Engine, report_ids: list[int]) -> dict[int, int]:
    """Open comments per report (reports without any are left out), e.g. for the reviewer's list."""
    if isinstance(conn_or_engine, Connection):
        # inside the caller's transaction: no table made on another connection (SQLite would wait
        # for the caller's lock); a database where no comment store ever ran has no comments
        if conn_or_engine.engine not in _ensured and not inspect(conn_or_engine).has_table(comments_table.name):
            return {}
    else:
        create_comment_tables(conn_or_engine)
    c = comments_table
    query = (
        select(c.c.report_id, func.count())
        .select_from(c.join(_reports, (_reports.c.id == c.c.report_id) & (_reports.c.created_at == c.c.report_created_at)))
        .where(c.c.report_id.in_(report_ids), c.c.resolved_at.is_(None))
        .group_by(c.c.report_id)
    )
    with translated("统计审核意见"):
        if isinstance(conn_or_engine, Connection):
            rows = conn_or_engine.execute(query).all()
        else:
            with conn_or_engine.connect() as conn:
                rows = conn.execute(query).all()
    return {int(rid): int(n) for rid, n in rows}


class CommentStore:
    """Comments in the report database; share the ReportStore's engine (``CommentStore(store.engine)``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        create_comment_tables(engine)

    # reading

    def comments(self, report_id: int, *, actor: Actor) -> list[Comment]:
        """Every comment on the report with its replies, oldest first."""
        with translated("读取审核意见"), self.engine.connect() as conn:
            agency, created = self._report(conn, report_id)
            self._require(actor, "report.read", agency, report_id)
            rows = conn.execute(
                select(comments_table)
                .where(comments_table.c.report_id == report_id, comments_table.c.report_created_at == created)
                .order_by(comments_table.c.created_at, comments_table.c.id)
            ).all()
            ids = [r.id for r in rows]
            replies: dict[int, list[Reply]] = {i: [] for i in ids}
            if ids:
                for r in conn.execute(
                    select(replies_table).where(replies_table.c.comment_id.in_(ids))
                    .order_by(replies_table.c.created_at, replies_table.c.id)
                ).all():
                    replies[r.comment_id].append(
                        Reply(id=r.id, body=r.body, author=r.author, author_name=r.author_name, created_at=r.created_at)
                    )
        return [
            Comment(
                id=r.id, report_id=r.report_id, anchor=Anchor(kind=r.anchor_kind, address=r.anchor, quote=r.quote),
                body=r.body, author=r.author, author_name=r.author_name, created_at=r.created_at,
                resolved_by=r.resolved_by, resolved_at=r.resolved_at, replies=tuple(replies[r.id]),
            )
            for r in rows
        ]

    def open_count(self, report_id: int, *, actor: Actor) -> int:
        with translated("统计审核意见"), self.engine.connect() as conn:
            agency, _ = self._report(conn, report_id)
        self._require(actor, "report.read", agency, report_id)
        return open_count(self.engine, report_id)

    # writing

    def add(self, report_id: int, anchor: Anchor, body: str, *, actor: Actor) -> int:
        """Store a new open comment; returns its id."""
        text = _check_body(body, "审核意见")
        with translated("保存审核意见"), self.engine.begin() as conn:
            agency, created = self._report(conn, report_id)
            self._require(actor, "comment.add", agency, report_id)
            made = conn.scalar(select(func.count()).select_from(comments_table).where(
                comments_table.c.report_id == report_id, comments_table.c.report_created_at == created))
            if made and made >= MAX_COMMENTS:
                raise CommentError(f"这份报告已有{made}条审核意见，达到{MAX_COMMENTS}条的上限，本条没有保存。"
                                   "请把同类问题合并在一条意见中，或在已有意见下回复。")
            comment_id = conn.execute(insert(comments_table).values(
                report_id=report_id, report_created_at=created, anchor_kind=anchor.kind, anchor=anchor.address,
                quote=anchor.quote, body=text, author=actor.username, author_name=actor.display_name[:100],
                created_at=_now(),
            )).inserted_primary_key[0]  # type: ignore[index]
            append(conn, actor.username, "comment_added", _target(report_id), actor.source,
                   {"comment": str(comment_id), "anchor": anchor.address or anchor.kind})
        return int(comment_id)

    def reply(self, comment_id: int, body: str, *, actor: Actor) -> int:
        """Add a reply to a comment (open or resolved); returns the reply's id."""
        text = _check_body(body, "回复")
        with translated("保存回复"), self.engine.begin() as conn:
            report_id, _ = self._comment(conn, comment_id)
            agency, _ = self._report(conn, report_id)
            self._require(actor, "comment.reply", agency, report_id)
            made = conn.scalar(select(func.count()).select_from(replies_table).where(replies_table.c.comment_id == comment_id))
            if made and made >= MAX_REPLIES:
                raise CommentError(f"这条审核意见已有{made}条回复，达到{MAX_REPLIES}条的上限，本条回复没有保存。"
                                   "请当面或电话沟通后，将意见标为已解决。")
            reply_id = conn.execute(insert(replies_table).values(
                comment_id=comment_id, body=text, author=actor.username, author_name=actor.display_name[:100],
                created_at=_now(),
            )).inserted_primary_key[0]  # type: ignore[index]
            append(conn, actor.username, "comment_replied", _target(report_id), actor.source, {"comment": str(comment_id)})
        return int(reply_id)

    def resolve(self, comment_id: int, *, actor: Actor) -> bool:
        """Mark a comment resolved; False when it already was (by someone else, perhaps just now)."""
        with translated("保存审核意见"), self.engine.begin() as conn:
            report_id, _ = self._comment(conn, comment_id)
            agency, _ = self._report(conn, report_id)
            self._require(actor, "comment.resolve", agency, report_id)
            done = conn.execute(
                update(comments_table)
                .where(comments_table.c.id == comment_id, comments_table.c.resolved_at.is_(None))
                .values(resolved_by=actor.username, resolved_at=_now())
            ).rowcount == 1
            if done:
                append(conn, actor.username, "comment_resolved", _target(report_id), actor.source,
                       {"comment": str(comment_id)})
        return done

    # helpers

    def _report(self, conn: Connection, report_id: int) -> tuple[str, datetime]:
        row = conn.execute(select(_reports.c.agency, _reports.c.created_at).where(_reports.c.id == report_id)).first()
        if row is None:
            raise ReportNotFoundError(report_id)
        return str(row.agency), row.created_at

    def _comment(self, conn: Connection, comment_id: int) -> tuple[int, datetime]:
        row = conn.execute(
            select(comments_table.c.report_id, comments_table.c.report_created_at).where(comments_table.c.id == comment_id)
        ).first()
        if row is None:
            raise CommentError(f"找不到编号为{comment_id}的审核意见，可能所属的报告已被删除。请刷新页面后重试。")
        return int(row.report_id), row.report_created_at

    def _require(self, actor: Actor, action: Action, agency: str, report_id: int) -> None:
        """The permission check; a refusal is written to the audit trail and raised."""
        try:
            require(actor, action, agency, _target(report_id))
        except AccessDenied as denied:
            record_refusal(self.engine, denied)
            raise


def _target(report_id: int) -> str:
    return f"报告{report_id}"
