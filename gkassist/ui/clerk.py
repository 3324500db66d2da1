"""The clerk's name, recorded on every saved version, kept in the browser until accounts exist.

The name lives in this session's state and in the address (``?by=…``): a reload, a restarted
server or a bookmarked address brings it back, so no version is saved without it once it was
given. Page navigation drops query parameters, so the address is set again on every run.
"""

from __future__ import annotations

import streamlit as st

from gkassist.control_chars import strip_control_chars

SESSION_KEY = "author"
QUERY_KEY = "by"
MAX_CHARS = 50  # the versions table holds 100 characters; a name is far shorter
UNNAMED = "未署名用户"  # shown for a version saved without a name; never recorded


def clean(text: str) -> str:
    return strip_control_chars(text)[0].strip()[:MAX_CHARS]


def name() -> str:
    """The clerk's name, or "" when none was given in this browser."""
    given = st.session_state.get(SESSION_KEY)
    if not given and QUERY_KEY in st.query_params:
        given = clean(str(st.query_params[QUERY_KEY]))
        st.session_state[SESSION_KEY] = given
    return clean(str(given or ""))


def shown_name() -> str:
    return name() or UNNAMED


def remember(text: str) -> None:
    """Keep ``text`` as the clerk's name in this session and in the address ("" forgets it)."""
    given = clean(text)
    st.session_state[SESSION_KEY] = given
    if not given:
        st.query_params.pop(QUERY_KEY, None)
    keep_in_address()


def keep_in_address() -> None:
    """Put the name in the address (called on every run: page navigation drops it)."""
    given = name()
    if given:
        if st.query_params.get(QUERY_KEY) != given:
            st.query_params[QUERY_KEY] = given
    elif QUERY_KEY in st.query_params:
        del st.query_params[QUERY_KEY]
