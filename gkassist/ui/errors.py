"""Exceptions in the app become a Chinese message on the page; the traceback goes to a server log.

Three places can fail: a page run (app.py wraps it), a widget callback (runs before the page,
outside app.py: wrap it with ``guarded_callback``) and a fragment rerun (runs only the fragment:
wrap it with ``guarded``). Refused input (forms.InputRefused), database failures
(StorageError) and role refusals (AccessDenied, already in the audit trail) are expected: they
are shown as they are and not logged.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import streamlit as st

from gkassist.access import AccessDenied
from gkassist.crashlog import write_crash_log
from gkassist.storage import StorageError
from gkassist.ui.forms import InputRefused
from gkassist.ui.safe import md_escape

PENDING = "_ui_error"  # a message from a callback, shown by the next page run (or fragment run)
_LOG = logging.getLogger("gkassist.app")

P = ParamSpec("P")
R = TypeVar("R")


def message_for(exc: Exception, where: str) -> str:
    """The Chinese message for ``exc``; unexpected ones are logged with their traceback first."""
    if isinstance(exc, InputRefused | StorageError | AccessDenied):
        return str(exc)
    log = write_crash_log(exc, f"app: {where}")
    _LOG.error("unexpected error in %s (log %s)", where, log, exc_info=exc)
    code = log.stem if log is not None else "未记录"
    return (
        f"{where}时程序内部出错，操作没有完成（错误编号：{code}，详细信息已记录在服务器日志中）。"
        "已保存的内容不受影响；请刷新页面后重试，如果再次出现，请把错误编号告诉管理员。"
    )


def show_exception(exc: Exception, where: str) -> None:
    st.error(md_escape(message_for(exc, where)))


def guarded_callback(where: str) -> Callable[[Callable[P, None]], Callable[P, None]]:
    """For on_change/on_click: an exception becomes a message for the next run, never a traceback."""

    def decorate(fn: Callable[P, None]) -> Callable[P, None]:
        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> None:
            try:
                fn(*args, **kwargs)
            except Exception as exc:
                st.session_state[PENDING] = message_for(exc, where)

        return run

    return decorate


def guarded(where: str) -> Callable[[Callable[P, None]], Callable[P, None]]:
    """For a fragment body: an exception is shown in its place. (st.stop/st.rerun pass through.)"""

    def decorate(fn: Callable[P, None]) -> Callable[P, None]:
        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> None:
            try:
                fn(*args, **kwargs)
            except Exception as exc:
                show_exception(exc, where)

        return run

    return decorate


def show_pending() -> None:
    """The message a callback left, if any (once)."""
    message = st.session_state.pop(PENDING, None)
    if message:
        st.error(md_escape(message))
