"""The clerk's name, recorded on every saved version, kept in the browser until accounts exist.

The name lives in this session's state, in the address (``?by=…``) and in a cookie: a reload,
a restarted server, a bookmarked address or the bare address typed again brings it back, so no
version is saved without it once it was given. Page navigation drops query parameters, so the
address is set again on every run. Streamlit reads cookies but cannot set them: a line of
script does (the name goes into it as a JSON string, so no name can break out of it).
"""

from __future__ import annotations

import json
from urllib.parse import unquote

import streamlit as st

from gkassist.control_chars import strip_control_chars

SESSION_KEY = "author"
QUERY_KEY = "by"
COOKIE = "gkassist_by"
COOKIE_DAYS = 365
MAX_CHARS = 50  # the versions table holds 100 characters; a name is far shorter
UNNAMED = "未署名用户"  # shown for a version saved without a name; never recorded


def clean(text: str) -> str:
    return strip_control_chars(text)[0].strip()[:MAX_CHARS]


def name() -> str:
    """The clerk's name, or "" when none was given in this browser."""
    given = st.session_state.get(SESSION_KEY)
    if given is None:  # a new session (reload, new tab): the address, else the cookie
        if QUERY_KEY in st.query_params:
            given = str(st.query_params[QUERY_KEY])
        else:
            cookie = st.context.cookies.get(COOKIE)
            given = unquote(cookie) if isinstance(cookie, str) else ""  # no browser behind a test run
        st.session_state[SESSION_KEY] = clean(given)
    return clean(str(given or ""))


def shown_name() -> str:
    return name() or UNNAMED


def remember(text: str) -> None:
    """Keep ``text`` as the clerk's name in this session and in the address ("" forgets it)."""
    st.session_state[SESSION_KEY] = clean(text)
    keep_in_address()


def keep_in_address() -> None:
    """Put the name in the address (called on every run: page navigation drops it)."""
    given = name()
    if given:
        if st.query_params.get(QUERY_KEY) != given:
            st.query_params[QUERY_KEY] = given
    elif QUERY_KEY in st.query_params:
        del st.query_params[QUERY_KEY]


def keep_in_cookie() -> None:
    """Write the name (or its absence) into the cookie; call after the page (an empty element
    at the end takes no room). Unchanged content is not run again by the browser."""
    value = json.dumps(name()).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    st.html(
        "<script>document.cookie = " + json.dumps(f"{COOKIE}=") + " + encodeURIComponent(" + value + ")"
        + f" + '; path=/; max-age={COOKIE_DAYS * 86400}; SameSite=Lax';</script>",
        unsafe_allow_javascript=True,
    )
