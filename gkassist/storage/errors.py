"""Database failures as Chinese messages: what failed, why, what to do.

A full disk, a read-only database file or a stopped database server are ordinary events for a
long-running app; they must reach the user as a sentence, never as a driver traceback.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

# (substrings of the driver message, reason, what to do); the first match wins
_CAUSES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (
        ("disk is full", "no space left", "could not extend file", "disk full", "quota exceeded"),
        "服务器磁盘已满",
        "请联系管理员清理磁盘空间",
    ),
    (
        ("readonly", "read-only", "read only"),
        "数据库是只读的（数据库文件或所在文件夹没有写入权限）",
        "请联系管理员开放数据库的写入权限",
    ),
    (
        ("database is locked", "busy", "lock timeout", "deadlock"),
        "数据库正被其他程序占用",
        "请稍候片刻",
    ),
    (
        ("unable to open database file", "no such file", "permission denied"),
        "无法打开数据库文件（路径不存在或没有访问权限）",
        "请联系管理员检查数据库路径和权限",
    ),
    (
        ("could not connect", "connection refused", "server closed the connection", "connection reset",
         "terminating connection", "timeout expired", "name or service not known"),
        "无法连接数据库服务器",
        "请检查网络，或联系管理员确认数据库服务已启动",
    ),
)


class StorageError(Exception):
    """The database could not do what was asked; ``reason`` and ``advice`` are Chinese."""

    def __init__(self, action: str, reason: str, advice: str) -> None:
        self.action, self.reason, self.advice = action, reason, advice
        super().__init__(self.message_zh())

    def message_zh(self) -> str:
        return f"{self.action}失败：{self.reason}。{self.advice}。"


def describe(action: str, err: BaseException) -> StorageError:
    """``err`` (a driver or SQLAlchemy error) as a StorageError for ``action`` (e.g. 保存)."""
    detail = str(err.orig if isinstance(err, DBAPIError) else err).lower()
    for marks, reason, advice in _CAUSES:
        if any(mark in detail for mark in marks):
            return StorageError(action, reason, advice)
    return StorageError(action, f"数据库出错（{type(err).__name__}）", "请稍后重试；如果一直出现，请联系管理员")


@contextmanager
def translated(action: str) -> Iterator[None]:
    """Turn database errors raised inside the block into a StorageError for ``action``."""
    try:
        yield
    except StorageError:
        raise
    except (SQLAlchemyError, sqlite3.Error, OSError) as err:  # driver errors are normally wrapped; not always
        raise describe(action, err) from err
