"""Sign-in sessions in the database, so a sign-in survives a reload and a server restart.

The browser keeps a random token in a cookie; the ``sessions`` table keeps only its SHA-256
hash (the token has 256 random bits, so a plain hash is enough, and a copy of the database
gives no usable token), the account, when it expires and where it started. Any app server on
the same database resumes it. Sign-out deletes the row; a disabled account's sessions stop
working at once (checked on every resume), and expired rows are deleted as they are met.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, delete, insert, select
from sqlalchemy.engine import Engine

from gkassist.storage.accounts import Account, AccountError, AccountStore, _utc_now, accounts_metadata, users_table
from gkassist.storage.audit_log import append
from gkassist.storage.errors import translated
from gkassist.storage.schema import create_all

TOKEN_BYTES = 32
MAX_TOKEN_CHARS = 100  # a cookie longer than any token we issue is not looked up

sessions_table = Table(
    "sessions",
    accounts_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("method", String(20), nullable=False),  # password | oidc
    Column("source", String(200), nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False, index=True),
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class SessionStore:
    """Start, resume and end sign-in sessions; shares the accounts' database and clock."""

    def __init__(self, accounts: AccountStore, hours: float,
                 clock: Callable[[], datetime] = _utc_now) -> None:
        self.accounts = accounts
        self.engine: Engine = accounts.engine
        self.lifetime = timedelta(hours=hours)
        self._clock = clock
        with translated("打开登录会话表"):
            create_all(accounts_metadata, self.engine, tables=[sessions_table])

    def start(self, account: Account, method: str, source: str = "") -> tuple[str, datetime]:
        """A new session for ``account`` (already checked by a password or the identity provider):
        the token for the browser's cookie and when it expires."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = self._clock()
        expires = now + self.lifetime
        with translated("登录"), self.engine.begin() as conn:
            user_id = conn.scalar(select(users_table.c.id).where(users_table.c.username == account.username))
            if user_id is None:
                raise AccountError(f"找不到账号“{account.username}”。请联系管理员。")
            conn.execute(sessions_table.delete().where(sessions_table.c.expires_at <= now))  # tidy as we go
            conn.execute(insert(sessions_table).values(
                token_hash=_hash(token), user_id=user_id, method=method, source=source[:200],
                created_at=now, expires_at=expires))
        return token, expires

    def resume(self, token: str) -> tuple[Account, datetime] | None:
        """The account a cookie's token signs in, and when it expires; None when the token is
        unknown, expired, signed out, or its account is disabled."""
        if not token or len(token) > MAX_TOKEN_CHARS:
            return None
        now = self._clock()
        with translated("读取登录状态"), self.engine.begin() as conn:
            row = conn.execute(
                select(sessions_table.c.id, sessions_table.c.expires_at, users_table.c.username,
                       users_table.c.disabled)
                .join(users_table, users_table.c.id == sessions_table.c.user_id)
                .where(sessions_table.c.token_hash == _hash(token))
            ).first()
            if row is None:
                return None
            if row.expires_at <= now or row.disabled:
                conn.execute(delete(sessions_table).where(sessions_table.c.id == row.id))
                return None
        return self.accounts.get_user(row.username), row.expires_at

    def end(self, token: str, actor: str, source: str = "") -> None:
        """Sign out: the token stops working on every server, and the trail records it."""
        now = self._clock()
        with translated("退出登录"), self.engine.begin() as conn:
            conn.execute(delete(sessions_table).where(sessions_table.c.token_hash == _hash(token)))
            append(conn, actor, "sign_out", target=actor, source=source, at=now)

    def count(self, username: str) -> int:
        """Sessions of ``username`` that have not expired (for the administrator and the tests)."""
        with translated("读取登录状态"), self.engine.connect() as conn:
            return len(conn.execute(
                select(sessions_table.c.id)
                .join(users_table, users_table.c.id == sessions_table.c.user_id)
                .where(users_table.c.username == username, sessions_table.c.expires_at > self._clock())
            ).all())
