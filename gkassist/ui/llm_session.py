"""The LLM settings of one browser session: the server's (environment or .streamlit/secrets.toml,
read afresh, never written by a page) with what this session typed on the 设置 page laid over
them. The session's part lives in ``st.session_state`` only: another visitor never sees, changes
or uses it, and it is never written to the database."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import lru_cache

import streamlit as st

from gkassist.drafting.session_settings import PageInput, SessionSettings, effective_settings, update_session
from gkassist.drafting.settings import ENV_FIELDS, LLMSettings, SettingsError, server_settings
from gkassist.ui import trail

log = logging.getLogger(__name__)

SESSION_KEY = "llm_session_settings"


@dataclass(frozen=True)
class Resolved:
    """What drafting in this session will use: settings (None: template only) and, when
    something is wrong, a Chinese message for the user."""

    settings: LLMSettings | None
    server_configured: bool
    problem: str | None = None

    @property
    def uses_server(self) -> bool:
        return self.settings is not None and "base_url" not in self.settings.from_page


def _secrets() -> dict[str, object]:
    """GKASSIST_LLM_* from .streamlit/secrets.toml; {} when there is no such file (quietly)."""
    try:
        if not st.secrets.load_if_toml_exists():
            return {}
        return {var: st.secrets[var] for var, _zh in ENV_FIELDS.values() if var in st.secrets}
    except Exception as exc:  # an unreadable secrets file must not take the page down
        log.warning("Streamlit secrets not readable: %s", type(exc).__name__)
        return {}


def server() -> tuple[LLMSettings | None, str | None]:
    """The administrator's settings (None when not configured) and a message when they are invalid."""
    try:
        return server_settings(os.environ, _secrets()), None
    except SettingsError as exc:
        _warn_once(str(exc))
        return None, "管理员配置的服务器默认大模型设置有误，暂时不能使用，请联系管理员检查 GKASSIST_LLM_* 设置。"


@lru_cache(maxsize=16)
def _warn_once(message: str) -> None:
    """Tell the administrator's log once, not on every rerun of every session."""
    log.warning("server LLM settings invalid: %s", message)


def session() -> SessionSettings | None:
    value = st.session_state.get(SESSION_KEY)
    return value if isinstance(value, SessionSettings) else None


def resolved() -> Resolved:
    base, problem = server()
    try:
        return Resolved(effective_settings(base, session()), base is not None, problem)
    except SettingsError as exc:
        return Resolved(None, base is not None, str(exc))


def effective() -> LLMSettings | None:
    """The settings this session drafts with (None: the template drafter only)."""
    return resolved().settings


def save(page: PageInput) -> list[str]:
    """Keep the page's values for this session. Returns Chinese notes; raises SettingsError."""
    base, _problem = server()
    new, notes = update_session(session(), base, page)
    trail.settings_changed(session(), None if new.empty else new)  # recorded before it takes effect
    if new.empty:
        st.session_state.pop(SESSION_KEY, None)
    else:
        st.session_state[SESSION_KEY] = new
    return notes


def clear() -> None:
    """Back to the server's settings (or none)."""
    trail.settings_changed(session(), None)
    st.session_state.pop(SESSION_KEY, None)
