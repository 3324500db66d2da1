"""Sign-in for a shared server: the form before every page, the signed-in user in the sidebar, sign-out.

``gate()`` runs before the pages (app.py). With ``GKASSIST_AUTH=none`` (the default) it only
refuses a server others can reach (gkassist.access.sign_in_mode) and lets the single user
through. With ``local`` or ``oidc`` a page runs only for a signed-in account, whose
:class:`Actor` it puts in ``st.session_state[acting.SIGNED_IN]``.

A sign-in survives a reload and a server restart: the browser keeps a random token in a
cookie (written by a line of script, like clerk.py, since Streamlit cannot set cookies; it is
therefore not HttpOnly, and the app shows no untrusted markup), the database keeps its hash
(gkassist.storage.sessions). Every run checks the token again, so a sign-out elsewhere, an
expired session or a disabled account ends it at once. With ``oidc``, Streamlit's own
``st.login`` vouches for the person (settings in .streamlit/secrets.toml) and the identity is
matched to an account by subject or e-mail (gkassist.storage.identities).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import lru_cache

import streamlit as st

from gkassist.access import Actor
from gkassist.access.sign_in_mode import AuthMode, SignInSettingsError, auth_mode, exposure_refusal, session_hours
from gkassist.storage import StorageError
from gkassist.storage.accounts import Account, AccountStore
from gkassist.storage.identities import IdentityStore
from gkassist.storage.sessions import SessionStore
from gkassist.ui import acting, state
from gkassist.ui.safe import md_escape

COOKIE = "gkassist_session"
TOKEN = "_signin_token"  # this browser session's token (the cookie holds the same)
EXPIRES = "_signin_expires"
METHOD = "_signin_method"
SIGNED_OUT = "_signin_signed_out"  # signed out in this session: the cookie it started with is stale
CLEAR_COOKIE = "_signin_clear_cookie"
OIDC_REFUSAL = "_signin_oidc_refusal"
MESSAGE = "_signin_message"
APP_TITLE = "政府信息公开年报助手"
_LOG = logging.getLogger("gkassist.app")


@lru_cache(maxsize=4)  # one per database and lifetime for the whole server (shares the reports' engine)
def _stores_for(url: str, hours: float) -> tuple[AccountStore, SessionStore, IdentityStore]:
    accounts = AccountStore(state.store().engine)
    return accounts, SessionStore(accounts, hours), IdentityStore(accounts)


def _stores() -> tuple[AccountStore, SessionStore, IdentityStore]:
    return _stores_for(state.store().url, session_hours())


def accounts() -> AccountStore:
    """The accounts (and audit trail) on the reports' database; their tables are created on first use."""
    return _stores()[0]


def source() -> str:
    """Where this browser connects from, for the audit trail (a proxy's forwarded address too)."""
    ip = st.context.ip_address
    ip = ip if isinstance(ip, str) and ip else "本机"  # None on localhost (and no address in a test run)
    header = st.context.headers.get("X-Forwarded-For")
    forwarded = header.split(",")[0].strip() if isinstance(header, str) else ""
    return f"{forwarded[:60]}（经{ip}转发）" if forwarded else ip


def gate() -> None:
    """Before the pages: stop a server others can reach without sign-in; with sign-in on, show the
    form until someone signs in, then who is signed in and 退出登录 in the sidebar."""
    try:
        mode = auth_mode()
        session_hours()
    except SignInSettingsError as exc:
        _halt(str(exc))
    refusal = exposure_refusal(str(st.get_option("server.address") or ""), mode)
    if refusal is not None:
        _refuse_to_serve(refusal)
    if mode == "none":
        return
    try:
        actor = _signed_in(mode)
        if actor is None:
            _sign_in_page(mode)
    except StorageError as exc:  # the database is down or read-only: said in Chinese, nothing shown
        _halt(str(exc))
    if actor is None:
        st.stop()
    _sidebar(actor)


def may_read_audit() -> bool:
    """Whether the 审计记录 page is listed: administrators and the single user."""
    return acting.actor().role in ("admin", "single_user")


def _halt(message: str) -> None:
    st.title(APP_TITLE)
    st.error(md_escape(message))
    st.stop()


def _refuse_to_serve(message: str) -> None:
    """Say why on the page and in the server's log, then stop the server: nobody is served."""
    _LOG.error("%s", message)
    from streamlit.runtime import Runtime

    if Runtime.exists() and type(Runtime.instance()) is Runtime:  # a real server (not a test run's stand-in)
        # SIGTERM is the server's own graceful stop; a moment later, once the message has reached the page
        threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM)).start()
    _halt(message)


# who is signed in


def _signed_in(mode: AuthMode) -> Actor | None:
    """The account this browser session is signed in as, checked against the database on every run."""
    token = st.session_state.get(TOKEN)
    if token is None and not st.session_state.get(SIGNED_OUT):
        cookie = st.context.cookies.get(COOKIE)
        token = cookie if isinstance(cookie, str) else None
    if token:
        _accounts, sessions, _identities = _stores()
        resumed = sessions.resume(token)
        if resumed is not None:
            return _enter(resumed[0], token, resumed[1])
        _forget()
    if mode == "oidc" and not st.session_state.get(SIGNED_OUT) and OIDC_REFUSAL not in st.session_state:
        return _from_identity_provider()
    return None


def _enter(account: Account, token: str, expires: datetime) -> Actor:
    actor = Actor(username=account.username, role=account.role, agencies=account.agencies,
                  display_name=account.display_name, source=source())
    st.session_state[acting.SIGNED_IN] = actor
    st.session_state[TOKEN] = token
    st.session_state[EXPIRES] = expires
    return actor


def _forget() -> None:
    for key in (acting.SIGNED_IN, TOKEN, EXPIRES, METHOD):
        st.session_state.pop(key, None)


def _start(account: Account, method: str) -> None:
    _accounts, sessions, _identities = _stores()
    token, expires = sessions.start(account, method, source())
    st.session_state.pop(SIGNED_OUT, None)
    st.session_state.pop(CLEAR_COOKIE, None)
    st.session_state[METHOD] = method
    _enter(account, token, expires)


def _from_identity_provider() -> Actor | None:
    """st.login brought the person back: match the identity to an account (once per browser session)."""
    if not _provider_signed_in():
        return None
    subject, email = st.user.get("sub"), st.user.get("email")
    _accounts, _sessions, identities = _stores()
    result = identities.sign_in(str(subject) if subject else None, str(email) if email else None, source())
    if result.account is None:
        st.session_state[OIDC_REFUSAL] = result.message_zh
        return None
    _start(result.account, "oidc")
    return st.session_state[acting.SIGNED_IN]  # type: ignore[no-any-return]


def _provider_signed_in() -> bool:
    """Whether st.login has signed this browser in (the key is absent without [auth] settings)."""
    return bool(st.user.get("is_logged_in", False))


# the form


def _sign_in_page(mode: AuthMode) -> None:
    st.title(APP_TITLE)
    st.subheader("登录")
    if st.session_state.pop(CLEAR_COOKIE, False):
        _write_cookie("", None)
    refusal = st.session_state.get(OIDC_REFUSAL)
    problem = _oidc_problem() if mode == "oidc" else None
    if problem:
        st.warning(md_escape(problem))
    elif mode == "oidc":
        if refusal:
            st.error(md_escape(refusal))
            st.button("换一个统一身份认证账号", key="signin_oidc_other", on_click=_oidc_sign_out)
        else:
            st.button("使用统一身份认证登录", key="signin_oidc", type="primary", on_click=st.login)
    if mode == "oidc" and not problem:
        st.caption("没有统一身份认证账号的，可用管理员分配的本地账号和密码登录：")
    with st.form("signin_form", clear_on_submit=True):  # the password does not stay in the session
        username = st.text_input("账号", max_chars=64, key="signin_username")
        password = st.text_input("密码", type="password", max_chars=256, key="signin_password")
        submitted = st.form_submit_button("登录", key="signin_submit", type="primary" if mode == "local" else "secondary")
    if submitted:
        _try_password(username.strip(), password)
    message = st.session_state.pop(MESSAGE, None)
    if message:
        st.error(md_escape(message))
    st.caption("账号由管理员建立；忘记密码或账号被暂停登录时，请联系管理员重设密码。")


OIDC_SETTINGS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")


def _oidc_problem() -> str | None:
    """What is missing from the [auth] settings st.login needs, in Chinese (None: complete)."""
    try:
        auth = st.secrets.get("auth")
    except Exception:  # no secrets file at all (Streamlit raises its own error types for it)
        auth = None
    given = auth if hasattr(auth, "get") else {}
    missing = [name for name in OIDC_SETTINGS if not given.get(name)]  # type: ignore[union-attr]
    if not missing:
        return None
    return ("统一身份认证登录暂不可用：服务器的 .streamlit/secrets.toml 中 [auth] 缺少 " + "、".join(missing)
            + "。请联系管理员补全；在此之前可用本地账号和密码登录。")


def _try_password(username: str, password: str) -> None:
    if not username or not password:
        st.session_state[MESSAGE] = "请填写账号和密码后再点击“登录”。"
        return
    accounts, _sessions, _identities = _stores()
    result = accounts.verify_password(username, password, source=source())
    if result.account is None:
        st.session_state[MESSAGE] = result.message_zh
        return
    _start(result.account, "password")
    st.rerun()


def _oidc_sign_out() -> None:
    st.session_state.pop(OIDC_REFUSAL, None)
    st.logout()


# signed in


def _sidebar(actor: Actor) -> None:
    with st.sidebar:
        st.caption(f"已登录：{md_escape(actor.display_name or actor.username)}（{md_escape(actor.role_zh)}）")
        st.button("退出登录", key="signin_sign_out", on_click=sign_out)
        _write_cookie(str(st.session_state[TOKEN]), st.session_state.get(EXPIRES))


def sign_out() -> None:
    """End this browser's sign-in on every server, clear its cookie, and show the form again."""
    token = st.session_state.get(TOKEN)
    signed_in = st.session_state.get(acting.SIGNED_IN)
    via_provider = st.session_state.get(METHOD) == "oidc" or (auth_mode() == "oidc" and _provider_signed_in())
    if token and isinstance(signed_in, Actor):
        _accounts, sessions, _identities = _stores()
        sessions.end(str(token), signed_in.username, source())
    _forget()
    st.session_state[SIGNED_OUT] = True
    st.session_state[CLEAR_COOKIE] = True
    if via_provider:
        st.logout()  # also forget the identity provider's sign-in in this browser


def _write_cookie(token: str, expires: datetime | None) -> None:
    """Set (or with "" clear) the session cookie. The same content is not run again by the browser."""
    lifetime = f"; expires={format_datetime(expires.replace(tzinfo=UTC), usegmt=True)}" if token and expires else ""
    if not token:
        lifetime = "; max-age=0"
    st.html(
        "<script>document.cookie = " + json.dumps(f"{COOKIE}={token}{lifetime}; path=/; SameSite=Lax")
        + " + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )
