"""Local accounts and agencies in the database, with argon2 password hashes and a sign-in lockout.

Three tables beside the reports: ``agencies``, ``users`` (role, hash, disabled flag, the count of
failed sign-ins in a row and the time until which sign-in waits) and ``user_agencies`` (a clerk's
own agencies, a reviewer's assigned ones). The lockout lives in the database, so it holds across
app servers; a sign-in attempt locks its user row (SELECT … FOR UPDATE on PostgreSQL), so
concurrent attempts count one by one. Every change and every sign-in attempt is written to the
audit trail in the same transaction. No plaintext password is stored, logged or audited.

Managing accounts and agencies takes the acting user (``actor``, keyword-only) and needs
``accounts.manage`` (reading the audit trail: ``audit.read``); a refusal is audited
(``access_denied``) and raised as AccessDenied. The command line acts as the machine's
administrator (gkassist.accounts_cli: it runs on the server, with the database's credentials).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import Field
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine, RowMapping
from sqlalchemy.exc import IntegrityError

from gkassist.access import AccessDenied, Action, Actor, require
from gkassist.account_policy import RoleCode, account_policy
from gkassist.control_chars import has_control_chars
from gkassist.storage.audit_log import AuditEntry, append, create_audit_table, read_entries, record_refusal
from gkassist.storage.errors import translated
from gkassist.storage.schema import create_all
from gkassist.strict import Strict

accounts_metadata = MetaData()

agencies_table = Table(
    "agencies",
    accounts_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
)

users_table = Table(
    "users",
    accounts_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False, default=""),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failed_count", Integer, nullable=False, default=0),
    Column("locked_until", DateTime, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

user_agencies_table = Table(
    "user_agencies",
    accounts_metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", ForeignKey("agencies.id", ondelete="CASCADE"), primary_key=True),
)

UNKNOWN_ACCOUNT = "（不存在的账号）"
_USERNAME = re.compile(r"^[A-Za-z0-9_.@\-\u4e00-\u9fff]{1,64}$")


class AccountError(Exception):
    """A request about accounts that cannot be done as asked; the message is Chinese and says what to do."""


class Agency(Strict):
    name: str
    created_at: datetime


class Account(Strict):
    username: str
    display_name: str
    role: RoleCode
    agencies: tuple[str, ...]
    disabled: bool
    created_at: datetime

    @property
    def role_zh(self) -> str:
        return account_policy().role_name(self.role)


class SignInResult(Strict):
    """The outcome of one sign-in attempt: the account when it succeeded, else a Chinese reason."""

    account: Account | None = None
    message_zh: str = ""
    wait_seconds: int = Field(default=0, ge=0)

    @property
    def ok(self) -> bool:
        return self.account is not None


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id with the library's recommended parameters


@cache
def _dummy_hash() -> str:
    """Checked for an unknown user name, so its answer takes as long as a wrong password."""
    return _hasher().hash("gkassist-no-such-user")


def _minutes(seconds: int) -> str:
    return f"{max(1, -(-seconds // 60))}分钟"


class AccountStore:
    def __init__(self, url_or_engine: str | Engine | None = None,
                 clock: Callable[[], datetime] = _utc_now) -> None:
        if isinstance(url_or_engine, Engine):
            self.engine = url_or_engine
        else:
            from gkassist.storage.store import default_database_url

            self.engine = create_engine(url_or_engine or default_database_url())
        self._clock = clock
        with translated("打开账号数据库"):
            create_all(accounts_metadata, self.engine)
            create_audit_table(self.engine)

    def _require(self, actor: Actor, action: Action, target: str) -> None:
        try:
            require(actor, action, target=target)
        except AccessDenied as denied:
            record_refusal(self.engine, denied)
            raise

    # agencies

    def add_agency(self, name: str, *, actor: Actor) -> Agency:
        self._require(actor, "accounts.manage", f"单位{name.strip()[:100]}")
        name = _check_agency_name(name)
        now = self._clock()
        with translated("新增单位"), self.engine.begin() as conn:
            if conn.scalar(select(agencies_table.c.id).where(agencies_table.c.name == name)) is not None:
                raise AccountError(f"单位“{name}”已经存在，无需重复添加。")
            conn.execute(insert(agencies_table).values(name=name, created_at=now))
            append(conn, actor.username, "agency_added", target=name, source=actor.source, at=now)
        return Agency(name=name, created_at=now)

    def list_agencies(self) -> list[Agency]:
        with translated("读取单位列表"), self.engine.connect() as conn:
            rows = conn.execute(select(agencies_table).order_by(agencies_table.c.name)).mappings().all()
        return [Agency(name=r["name"], created_at=r["created_at"]) for r in rows]

    # users

    def check_new_user(self, username: str, role: RoleCode, agencies: Iterable[str] = (), *, actor: Actor) -> None:
        """Raise the AccountError that ``add_user`` would raise for these, before a password is asked."""
        self._require(actor, "accounts.manage", _account_target(username))
        username = _check_username(username)
        wanted = _check_agencies(role, agencies)
        with translated("读取账号"), self.engine.connect() as conn:
            if conn.scalar(select(users_table.c.id).where(users_table.c.username == username)) is not None:
                raise AccountError(f"账号“{username}”已经存在。请换一个用户名，或用 gkassist user passwd 修改其密码。")
            self._agency_ids(conn, wanted)

    def add_user(self, username: str, password: str, role: RoleCode, agencies: Iterable[str] = (), *,
                 actor: Actor, display_name: str = "") -> Account:
        self._require(actor, "accounts.manage", _account_target(username))
        username = _check_username(username)
        _check_password(password, username)
        display_name = _check_display_name(display_name)
        wanted = _check_agencies(role, agencies)
        password_hash = _hasher().hash(password)
        now = self._clock()
        try:
            with translated("新增账号"), self.engine.begin() as conn:
                if conn.scalar(select(users_table.c.id).where(users_table.c.username == username)) is not None:
                    raise AccountError(f"账号“{username}”已经存在。请换一个用户名，或用 gkassist user passwd 修改其密码。")
                agency_ids = self._agency_ids(conn, wanted)
                user_id = conn.execute(insert(users_table).values(
                    username=username, display_name=display_name, role=role, password_hash=password_hash,
                    disabled=False, failed_count=0, locked_until=None, created_at=now, updated_at=now,
                ).returning(users_table.c.id)).scalar_one()
                for agency_id in agency_ids:
                    conn.execute(insert(user_agencies_table).values(user_id=user_id, agency_id=agency_id))
                append(conn, actor.username, "user_added", target=username, source=actor.source, at=now,
                       detail={"role": account_policy().role_name(role), "agencies": "、".join(wanted)})
        except IntegrityError as err:  # a concurrent add of the same name won the race
            raise AccountError(f"账号“{username}”已经存在。请换一个用户名。") from err
        return self.get_user(username)

    def get_user(self, username: str) -> Account:
        with translated("读取账号"), self.engine.connect() as conn:
            row = conn.execute(select(users_table).where(users_table.c.username == username)).mappings().first()
            if row is None:
                raise AccountError(f"找不到账号“{username}”。请用 gkassist user list 查看已有的账号。")
            return self._account(conn, row)

    def list_users(self, *, actor: Actor) -> list[Account]:
        self._require(actor, "accounts.manage", "账号列表")
        with translated("读取账号列表"), self.engine.connect() as conn:
            rows = conn.execute(select(users_table).order_by(users_table.c.username)).mappings().all()
            return [self._account(conn, r) for r in rows]

    def disable_user(self, username: str, *, actor: Actor) -> None:
        self._require(actor, "accounts.manage", _account_target(username))
        now = self._clock()
        with translated("停用账号"), self.engine.begin() as conn:
            row = self._locked_row(conn, username)
            if row["disabled"]:
                raise AccountError(f"账号“{username}”已经是停用状态。")
            conn.execute(update(users_table).where(users_table.c.id == row["id"]).values(disabled=True, updated_at=now))
            append(conn, actor.username, "user_disabled", target=username, source=actor.source, at=now)

    def set_password(self, username: str, password: str, *, actor: Actor) -> None:
        """A new password; it also lifts a sign-in wait (the administrator vouches for the user)."""
        self._require(actor, "accounts.manage", _account_target(username))
        _check_password(password, username)
        password_hash = _hasher().hash(password)
        now = self._clock()
        with translated("修改密码"), self.engine.begin() as conn:
            row = self._locked_row(conn, username)
            conn.execute(update(users_table).where(users_table.c.id == row["id"]).values(
                password_hash=password_hash, failed_count=0, locked_until=None, updated_at=now))
            append(conn, actor.username, "password_changed", target=username, source=actor.source, at=now)

    # sign-in

    def verify_password(self, username: str, password: str, source: str = "") -> SignInResult:
        """Check one sign-in attempt and record it. Never raises for a wrong name or password."""
        lockout = account_policy().lockout
        wrong = "用户名或密码不正确，请检查后重试。"
        now = self._clock()
        with translated("登录"), self.engine.begin() as conn:
            row = None
            if _USERNAME.match(username):
                row = conn.execute(
                    select(users_table).where(users_table.c.username == username).with_for_update()
                ).mappings().first()
            if row is None:
                _matches(_dummy_hash(), password)
                # The name typed is not recorded: people type their password into the name box.
                append(conn, UNKNOWN_ACCOUNT, "sign_in_failed", source=source, at=now, detail={"reason": "账号不存在"})
                return SignInResult(message_zh=wrong)
            if row["locked_until"] is not None and now < row["locked_until"]:
                wait = int((row["locked_until"] - now).total_seconds()) + 1
                append(conn, username, "sign_in_locked", target=username, source=source, at=now)
                return SignInResult(message_zh=f"该账号连续{lockout.max_failures}次登录失败，已暂停登录。请{_minutes(wait)}后再试，"
                                               "或请管理员用 gkassist user passwd 重设密码。", wait_seconds=wait)
            if not _matches(row["password_hash"], password):
                failures = row["failed_count"] + 1
                if failures >= lockout.max_failures:
                    until = now + timedelta(seconds=lockout.wait_seconds)
                    conn.execute(update(users_table).where(users_table.c.id == row["id"]).values(
                        failed_count=0, locked_until=until))
                    append(conn, username, "sign_in_failed", target=username, source=source, at=now,
                           detail={"reason": "密码错误", "consequence": f"暂停登录{_minutes(lockout.wait_seconds)}"})
                    return SignInResult(message_zh=f"用户名或密码不正确。已连续{lockout.max_failures}次失败，"
                                                   f"该账号暂停登录{_minutes(lockout.wait_seconds)}，请稍后再试。",
                                        wait_seconds=lockout.wait_seconds)
                conn.execute(update(users_table).where(users_table.c.id == row["id"]).values(failed_count=failures))
                append(conn, username, "sign_in_failed", target=username, source=source, at=now,
                       detail={"reason": "密码错误", "failures_in_a_row": str(failures)})
                left = lockout.max_failures - failures
                return SignInResult(message_zh=f"{wrong}再失败{left}次，该账号将暂停登录{_minutes(lockout.wait_seconds)}。")
            if row["disabled"]:
                append(conn, username, "sign_in_disabled", target=username, source=source, at=now)
                return SignInResult(message_zh="该账号已停用，不能登录。如需继续使用，请联系管理员。")
            values: dict[str, object] = {"failed_count": 0, "locked_until": None}
            if _hasher().check_needs_rehash(row["password_hash"]):
                values["password_hash"] = _hasher().hash(password)
            conn.execute(update(users_table).where(users_table.c.id == row["id"]).values(**values))
            append(conn, username, "sign_in", target=username, source=source, at=now)
            return SignInResult(account=self._account(conn, row))

    # audit trail

    def audit_entries(self, limit: int = 1000, after_id: int = 0, *, actor: Actor) -> list[AuditEntry]:
        self._require(actor, "audit.read", "审计记录")
        return read_entries(self.engine, limit, after_id)

    # helpers

    def _locked_row(self, conn: Connection, username: str) -> RowMapping:
        row = conn.execute(
            select(users_table).where(users_table.c.username == username).with_for_update()
        ).mappings().first()
        if row is None:
            raise AccountError(f"找不到账号“{username}”。请用 gkassist user list 查看已有的账号。")
        return row

    def _agency_ids(self, conn: Connection, names: tuple[str, ...]) -> list[int]:
        found = dict(conn.execute(
            select(agencies_table.c.name, agencies_table.c.id).where(agencies_table.c.name.in_(names))
        ).all())
        missing = [n for n in names if n not in found]
        if missing:
            raise AccountError(f"单位“{'”、“'.join(missing)}”不存在。请先用 gkassist agency add 添加，"
                               "或用 gkassist agency list 查看已有单位的准确名称。")
        return [found[n] for n in names]

    def _account(self, conn: Connection, row: RowMapping) -> Account:
        agencies = conn.scalars(
            select(agencies_table.c.name)
            .join(user_agencies_table, user_agencies_table.c.agency_id == agencies_table.c.id)
            .where(user_agencies_table.c.user_id == row["id"])
            .order_by(agencies_table.c.name)
        ).all()
        return Account(username=row["username"], display_name=row["display_name"], role=row["role"],
                       agencies=tuple(agencies), disabled=row["disabled"], created_at=row["created_at"])


def _account_target(username: str) -> str:
    """How a refusal names the account it was about (clipped: the name is not checked yet)."""
    return f"账号{username[:64]}"


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _has_line_control(text: str) -> bool:
    """Control characters, including tab and line breaks (a name or password is one line)."""
    return has_control_chars(text) or any(c in text for c in "\t\n\r")


def _check_username(username: str) -> str:
    if not _USERNAME.match(username):
        raise AccountError("用户名不符合要求：请使用1到64个字母、数字、汉字或 _ . @ - 符号，不含空格。")
    return username


def _check_password(password: str, username: str) -> None:
    rule = account_policy().password
    if len(password) < rule.min_length:
        raise AccountError(f"密码太短：至少需要{rule.min_length}个字符。请换一个更长的密码。")
    if len(password) > rule.max_length:
        raise AccountError(f"密码太长：最多{rule.max_length}个字符。请换一个短一些的密码。")
    if _has_line_control(password) or not password.strip():
        raise AccountError("密码不能只有空白，也不能含有控制字符（如换行、制表符）。请重新输入。")
    if password == username:
        raise AccountError("密码不能与用户名相同。请换一个密码。")


def _check_display_name(name: str) -> str:
    name = name.strip()
    if len(name) > 100 or _has_line_control(name):
        raise AccountError("姓名不符合要求：最多100个字符，且不能含有控制字符。")
    return name


def _check_agency_name(name: str) -> str:
    name = name.strip()
    if not 2 <= len(name) <= 200 or _has_line_control(name):
        raise AccountError("单位名称不符合要求：需要2到200个字符，且不能含有控制字符（如换行）。请写单位的全称。")
    return name


def _check_agencies(role: RoleCode, agencies: Iterable[str]) -> tuple[str, ...]:
    policy = account_policy()
    names = tuple(dict.fromkeys(_check_agency_name(a) for a in agencies))
    rule = policy.roles[role]
    if rule.agencies == "required" and not names:
        raise AccountError(f"{rule.name}账号至少需要一个所属单位：请用 --agency 指定（可多次使用）。")
    if rule.agencies == "none" and names:
        raise AccountError(f"{rule.name}账号不属于某个单位：请去掉 --agency。")
    return names
