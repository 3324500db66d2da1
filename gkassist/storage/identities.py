"""Single sign-on identities (统一身份认证) matched to local accounts: an e-mail or a subject.

A separate table beside ``users``, so a database made before single sign-on gains it without a
migration. One identity belongs to at most one account; the provider's ``sub`` is preferred
(it never changes), the e-mail is the fallback (compared case-insensitively).
"""

from __future__ import annotations

import re
from typing import Literal

from sqlalchemy import Column, ForeignKey, Integer, String, Table, UniqueConstraint, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from gkassist.storage.accounts import (
    AccountError,
    AccountStore,
    SignInResult,
    accounts_metadata,
    users_table,
)
from gkassist.storage.audit_log import append
from gkassist.storage.errors import translated
from gkassist.storage.schema import create_all

IdentityKind = Literal["email", "subject"]
KIND_ZH: dict[IdentityKind, str] = {"email": "电子邮箱", "subject": "统一身份认证用户标识（sub）"}
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}$")

identities_table = Table(
    "user_identities",
    accounts_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(10), nullable=False),
    Column("value", String(255), nullable=False),
    UniqueConstraint("kind", "value"),
)


def normal_identity(kind: IdentityKind, value: str) -> str:
    value = value.strip()
    if kind == "email":
        if not _EMAIL.match(value):
            raise AccountError(f"电子邮箱“{value[:60]}”格式不正确，应形如 name@example.gov.cn。")
        return value.lower()
    if not 1 <= len(value) <= 255 or any(c.isspace() for c in value):
        raise AccountError("统一身份认证用户标识（sub）应为1到255个字符，且不含空白。")
    return value


class IdentityStore:
    def __init__(self, accounts: AccountStore) -> None:
        self.accounts = accounts
        self.engine: Engine = accounts.engine
        with translated("打开账号数据库"):
            create_all(accounts_metadata, self.engine, tables=[identities_table])

    def link(self, username: str, kind: IdentityKind, value: str, actor: str, source: str = "") -> None:
        value = normal_identity(kind, value)
        with translated("关联统一身份认证账号"):
            try:
                self._link(username, kind, value, actor, source)
            except IntegrityError as err:  # a concurrent link of the same identity won the race
                raise AccountError(f"{KIND_ZH[kind]}“{value}”已关联到另一个账号，同一身份只能对应一个账号。") from err

    def _link(self, username: str, kind: IdentityKind, value: str, actor: str, source: str) -> None:
        with self.engine.begin() as conn:
            if conn.scalar(select(identities_table.c.id).where(
                    identities_table.c.kind == kind, identities_table.c.value == value)) is not None:
                raise AccountError(f"{KIND_ZH[kind]}“{value}”已关联到另一个账号，同一身份只能对应一个账号。")
            user_id = conn.scalar(select(users_table.c.id).where(users_table.c.username == username))
            if user_id is None:
                raise AccountError(f"找不到账号“{username}”。请用 gkassist user list 查看已有的账号。")
            conn.execute(insert(identities_table).values(user_id=user_id, kind=kind, value=value))
            append(conn, actor, "identity_linked", target=username, source=source,
                   detail={"kind": KIND_ZH[kind], "value": value})

    def check_free(self, kind: IdentityKind, value: str) -> None:
        """Raise the AccountError ``link`` would raise for a malformed or already linked identity."""
        value = normal_identity(kind, value)
        with translated("读取账号"), self.engine.connect() as conn:
            if conn.scalar(select(identities_table.c.id).where(
                    identities_table.c.kind == kind, identities_table.c.value == value)) is not None:
                raise AccountError(f"{KIND_ZH[kind]}“{value}”已关联到另一个账号，同一身份只能对应一个账号。")

    def find(self, subject: str | None, email: str | None) -> str | None:
        """The account name of an identity the provider vouched for: by subject, else by e-mail."""
        wanted: list[tuple[IdentityKind, str]] = []
        if subject:
            wanted.append(("subject", subject.strip()))
        if email:
            wanted.append(("email", email.strip().lower()))
        with translated("读取账号"), self.engine.connect() as conn:
            for kind, value in wanted:
                name = conn.scalar(
                    select(users_table.c.username)
                    .join(identities_table, identities_table.c.user_id == users_table.c.id)
                    .where(identities_table.c.kind == kind, identities_table.c.value == value)
                )
                if name is not None:
                    return str(name)
        return None

    def sign_in(self, subject: str | None, email: str | None, source: str = "") -> SignInResult:
        """The provider vouched for this identity: the account it signs in, or a Chinese refusal
        (no such account, or disabled). Every outcome is recorded."""
        username = self.find(subject, email)
        account = self.accounts.get_user(username) if username is not None else None
        with translated("登录"), self.engine.begin() as conn:
            if account is None:
                append(conn, "（统一身份认证）", "sign_in_unknown_identity", source=source,
                       detail={"email": (email or "")[:200], "subject": (subject or "")[:200]})
                return SignInResult(message_zh=(
                    f"统一身份认证已通过（{email or subject or '未提供邮箱'}），但本系统没有与之对应的账号，不能登录。"
                    "请联系管理员为您建立账号，或把该身份（邮箱或用户标识）关联到您已有的账号。"))
            if account.disabled:
                append(conn, account.username, "sign_in_disabled", target=account.username, source=source,
                       detail={"method": "统一身份认证"})
                return SignInResult(message_zh="该账号已停用，不能登录。如需继续使用，请联系管理员。")
            append(conn, account.username, "sign_in", target=account.username, source=source,
                   detail={"method": "统一身份认证"})
        return SignInResult(account=account)

    def of(self, username: str) -> list[tuple[IdentityKind, str]]:
        with translated("读取账号"), self.engine.connect() as conn:
            rows = conn.execute(
                select(identities_table.c.kind, identities_table.c.value)
                .join(users_table, users_table.c.id == identities_table.c.user_id)
                .where(users_table.c.username == username).order_by(identities_table.c.id)
            ).all()
        return [(r.kind, r.value) for r in rows]
