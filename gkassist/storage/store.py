"""Reports stored as JSON, every save a new version, with optimistic concurrency.

Two tables: ``reports`` (one row per agency × year report, with its current version number)
and ``report_versions`` (every saved state, who saved it and when). Saving names the version
it was based on; if someone else saved in between, :class:`ConflictError` is raised and
nothing is overwritten.

Every method takes the acting user (``actor``, keyword-only) and checks it against the permission
table (gkassist.access) with the report's agency; a refusal is written to the audit trail
(``access_denied``) and raised as :class:`AccessDenied`. The version author is ``actor.username``.

Database failures (full disk, read-only file, server down) raise :class:`StorageError` with a
Chinese message. A SQLite file that cannot be written still opens for reading (``read_only``).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from pydantic import ValidationError
from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    create_engine,
    event,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from gkassist.access import AccessDenied, Action, Actor, allowed, require
from gkassist.model import Report
from gkassist.storage.audit_log import create_audit_table, record_refusal
from gkassist.storage.errors import StorageError, describe, translated
from gkassist.storage.review_status import create_review_tables, refuse_if_frozen
from gkassist.storage.schema import create_all

DEFAULT_SQLITE_PATH = Path("data") / "gkassist.db"


def default_database_url() -> str:
    """GKASSIST_DATABASE_URL, or a SQLite file in ./data (the folder is created)."""
    url = os.environ.get("GKASSIST_DATABASE_URL", "").strip()
    if url:
        return url
    with contextlib.suppress(OSError):  # opening the store then says, in Chinese, that it cannot be created
        DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class _Base(DeclarativeBase):
    pass


class _ReportRow(_Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agency: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(20))
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100), default="")


class _VersionRow(_Base):
    __tablename__ = "report_versions"
    __table_args__ = (UniqueConstraint("report_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ConflictError(Exception):
    """Someone saved this report after the version the caller started from."""

    def __init__(self, report_id: int, base_version: int, current_version: int, updated_by: str) -> None:
        self.report_id = report_id
        self.base_version = base_version
        self.current_version = current_version
        self.updated_by = updated_by
        super().__init__(self.message_zh())

    def message_zh(self) -> str:
        who = f"“{self.updated_by}”" if self.updated_by else "其他用户"
        return (
            f"保存失败：这份报告已被{who}修改（当前为第{self.current_version}版，您的修改基于第{self.base_version}版）。"
            "为避免覆盖他人的修改，本次内容未保存。请重新打开报告查看最新内容后再修改。"
        )


class ReportNotFoundError(Exception):
    def __init__(self, report_id: int) -> None:
        super().__init__(f"找不到编号为{report_id}的报告，可能已被删除。请回到“报告列表”重新选择。")


@dataclass(frozen=True)
class ReportSummary:
    id: int
    agency: str
    year: int
    format: str
    version: int
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class VersionInfo:
    version: int
    author: str
    note: str
    created_at: datetime


_BUMP_VERSION = (
    update(_ReportRow)
    .where(_ReportRow.id == bindparam("report_id"), _ReportRow.current_version == bindparam("base"))
    .values(
        current_version=bindparam("new"), updated_at=bindparam("now"), updated_by=bindparam("author"),
        agency=bindparam("agency"), year=bindparam("year"), format=bindparam("format"),
    )
)
_ADD_VERSION = insert(_VersionRow)


def _sqlite_write_ahead_log(dbapi_connection: object, _record: object) -> None:
    """WAL with synchronous=NORMAL: an autosave commits without waiting for the disk, and a
    server crash or restart loses nothing committed; only a power cut of the whole machine
    can lose the last seconds of edits (the database itself stays intact)."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.OperationalError:  # a read-only file: reading works without them
        pass
    finally:
        cursor.close()


class ReportStore:
    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_database_url()
        self.read_only = False  # True when a SQLite file could only be opened for reading
        self.engine: Engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite" and ":memory:" not in self.url:
            event.listen(self.engine, "connect", _sqlite_write_ahead_log)
        try:
            create_all(_Base.metadata, self.engine)
            create_audit_table(self.engine)  # refusals are recorded beside the reports
            create_review_tables(self.engine)
        except SQLAlchemyError as err:
            reader = self._sqlite_reader()
            if reader is None:
                raise describe("打开数据库", err) from err
            self.engine, self.read_only = reader, True

    def _sqlite_reader(self) -> Engine | None:
        """A read-only engine on an existing SQLite file that holds our tables, else None.

        ``immutable``: a WAL database in a folder we cannot write has no -shm file to open.
        """
        path = self.engine.url.database
        if self.engine.dialect.name != "sqlite" or not path or path.startswith("file:") or not Path(path).is_file():
            return None
        reader = create_engine(f"sqlite:///file:{quote(str(Path(path).resolve()))}?mode=ro&immutable=1&uri=true")
        try:
            names = set(inspect(reader).get_table_names())
        except SQLAlchemyError:
            return None
        return reader if {"reports", "report_versions"} <= names else None

    def _writable(self) -> None:
        if self.read_only:
            raise StorageError("保存", "数据库是只读的（数据库文件或所在文件夹没有写入权限）", "请联系管理员开放数据库的写入权限")

    # the acting user

    def _require(self, actor: Actor, action: Action, agency: str | None, target: str) -> None:
        """:func:`require`, with a refusal written to the audit trail before it is raised."""
        try:
            require(actor, action, agency, target)
        except AccessDenied as denied:
            self._record_refusal(denied)
            raise

    def _record_refusal(self, denied: AccessDenied) -> None:
        record_refusal(self.engine, denied)

    def authorize(self, report_id: int, action: Action, *, actor: Actor, agency: str | None = None) -> None:
        """Raise :class:`AccessDenied` (written to the audit trail) unless ``actor`` may do ``action``
        on the stored report and, when given, on ``agency`` (the agency the report in hand names)."""
        self._require_on(actor, action, report_id)
        if agency is not None:
            self._require(actor, action, agency, _target(report_id))

    def _agency_of(self, report_id: int) -> str | None:
        """The stored agency of a report, None when there is no such report."""
        with translated("读取报告"), self.engine.connect() as conn:
            agency: str | None = conn.scalar(select(_ReportRow.agency).where(_ReportRow.id == report_id))
            return agency

    def _require_on(self, actor: Actor, action: Action, report_id: int) -> str | None:
        """Check ``action`` on a stored report (nothing to check when it does not exist); its agency."""
        if actor.is_single_user:
            return None
        agency = self._agency_of(report_id)
        if agency is not None:
            self._require(actor, action, agency, _target(report_id))
        return agency

    # reports

    def create(self, report: Report, *, actor: Actor, note: str = "新建报告") -> tuple[int, int]:
        """Store a new report; returns (report id, version 1)."""
        meta = report.meta
        self._require(actor, "report.create", meta.agency, f"新建报告（{meta.agency} {meta.year}年度）")
        self._writable()
        author = actor.username
        now = _now()
        with translated("保存"), Session(self.engine) as s, s.begin():
            row = _ReportRow(
                agency=report.meta.agency, year=report.meta.year, format=report.meta.format,
                current_version=1, created_at=now, updated_at=now, updated_by=author,
            )
            s.add(row)
            s.flush()
            s.add(_VersionRow(report_id=row.id, version=1, data=report.model_dump_json(), author=author, note=note, created_at=now))
            return row.id, 1

    def list_reports(self, *, actor: Actor) -> list[ReportSummary]:
        """The reports ``actor`` may read (all of them for the single user), newest year first."""
        with translated("读取报告列表"), Session(self.engine) as s:
            rows = s.scalars(select(_ReportRow).order_by(_ReportRow.year.desc(), _ReportRow.agency)).all()
            return [
                ReportSummary(r.id, r.agency, r.year, r.format, r.current_version, r.updated_at, r.updated_by)
                for r in rows if allowed(actor, "report.read", r.agency)
            ]

    def load(self, report_id: int, version: int | None = None, *, actor: Actor) -> tuple[Report, int]:
        """The report at ``version`` (default: current) and that version number."""
        with translated("读取报告"), Session(self.engine) as s:
            row = s.get(_ReportRow, report_id)
            if row is None:
                raise ReportNotFoundError(report_id)
            agency = row.agency
            wanted = version or row.current_version
            data = s.scalar(select(_VersionRow.data).where(_VersionRow.report_id == report_id, _VersionRow.version == wanted))
        self._require(actor, "report.read", agency, _target(report_id))  # after the session: a refusal is written
        if data is None:
            raise ReportNotFoundError(report_id)
        try:
            return Report.model_validate_json(data), wanted
        except ValidationError as err:
            raise StorageError(
                "读取报告", f"第{wanted}版保存的内容不符合当前的报告格式（{err.error_count()}处）", "请联系管理员检查数据库"
            ) from err

    def save(self, report_id: int, report: Report, base_version: int, *, actor: Actor, note: str = "") -> int:
        """Store a new version based on ``base_version``; returns the new version number.

        The actor must be allowed to edit both the stored report's agency and the agency it is saved
        under (moving a report into an agency one does not cover is refused too). The
        compare-and-set on ``current_version`` is a single UPDATE, so two concurrent savers
        cannot both win, on SQLite or PostgreSQL; a stored agency changed meanwhile also
        changed the version, so the save is then refused as a conflict.
        """
        meta = report.meta
        self.authorize(report_id, "report.edit", actor=actor, agency=meta.agency)
        self._writable()
        author = actor.username
        new_version = base_version + 1
        now = _now()
        # Prebuilt Core statements, not the ORM unit of work: this runs on every autosave
        with translated("保存"), self.engine.begin() as conn:
            result = conn.execute(
                _BUMP_VERSION,
                {
                    "report_id": report_id, "base": base_version, "new": new_version, "now": now, "author": author,
                    "agency": meta.agency, "year": meta.year, "format": meta.format,
                },
            )
            if result.rowcount != 1:
                row = conn.execute(
                    select(_ReportRow.current_version, _ReportRow.updated_by).where(_ReportRow.id == report_id)
                ).first()
                if row is None:
                    raise ReportNotFoundError(report_id)
                raise ConflictError(report_id, base_version, row.current_version, row.updated_by)
            refuse_if_frozen(conn, report_id)  # after the UPDATE: it holds the row a submission locks
            conn.execute(
                _ADD_VERSION,
                {
                    "report_id": report_id, "version": new_version, "data": report.model_dump_json(),
                    "author": author, "note": note, "created_at": now,
                },
            )
        return new_version

    def versions(self, report_id: int, *, actor: Actor) -> list[VersionInfo]:
        """Every saved version, newest first."""
        self._require_on(actor, "report.read", report_id)
        with translated("读取历史版本"), Session(self.engine) as s:
            rows = s.execute(
                select(_VersionRow.version, _VersionRow.author, _VersionRow.note, _VersionRow.created_at)
                .where(_VersionRow.report_id == report_id)
                .order_by(_VersionRow.version.desc())
            ).all()
            return [VersionInfo(v, a, n, c) for v, a, n, c in rows]

    def restore(self, report_id: int, version: int, base_version: int, *, actor: Actor) -> tuple[Report, int]:
        """Save an old version's content as a new version (history is never rewritten): an edit."""
        self._require_on(actor, "report.edit", report_id)
        old, _ = self.load(report_id, version, actor=actor)
        new_version = self.save(report_id, old, base_version, actor=actor, note=f"由第{version}版恢复")
        return old, new_version

    def delete(self, report_id: int, *, actor: Actor) -> None:
        self._require_on(actor, "report.delete", report_id)
        self._writable()
        with translated("删除"), Session(self.engine) as s, s.begin():
            s.query(_VersionRow).filter(_VersionRow.report_id == report_id).delete()
            s.query(_ReportRow).filter(_ReportRow.id == report_id).delete()


def _target(report_id: int) -> str:
    """How the audit trail names a stored report."""
    return f"报告{report_id}"
