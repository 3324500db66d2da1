"""How this server signs people in, read from the environment (documented in the README).

``GKASSIST_AUTH``: ``none`` (the default: one user on 127.0.0.1, no sign-in), ``local`` (accounts
with passwords, ``gkassist user add``) or ``oidc`` (single sign-on through Streamlit's
``st.login``, settings in .streamlit/secrets.toml; local accounts can still sign in with a
password). ``GKASSIST_SESSION_HOURS``: how long a sign-in lasts (default 8).
A server reachable from other machines must have sign-in on: :func:`exposure_refusal`.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Literal, get_args

AuthMode = Literal["none", "local", "oidc"]
AUTH_ENV = "GKASSIST_AUTH"
HOURS_ENV = "GKASSIST_SESSION_HOURS"
DEFAULT_SESSION_HOURS = 8.0
MAX_SESSION_HOURS = 24.0 * 30


class SignInSettingsError(Exception):
    """The sign-in settings are wrong; the message is Chinese and says what to change."""


def auth_mode() -> AuthMode:
    value = os.environ.get(AUTH_ENV, "").strip().lower() or "none"
    for mode in get_args(AuthMode):
        if value == mode:
            return mode  # type: ignore[no-any-return]
    raise SignInSettingsError(
        f"环境变量 {AUTH_ENV} 的值“{value[:40]}”无法识别：只能是 none（单机使用，不登录）、"
        "local（本地账号密码登录）或 oidc（统一身份认证登录）。请改正后重新启动。"
    )


def session_hours() -> float:
    raw = os.environ.get(HOURS_ENV, "").strip()
    if not raw:
        return DEFAULT_SESSION_HOURS
    try:
        hours = float(raw)
    except ValueError:
        hours = -1.0
    if not 0 < hours <= MAX_SESSION_HOURS:
        raise SignInSettingsError(
            f"环境变量 {HOURS_ENV} 的值“{raw[:40]}”无效：应为登录有效的小时数，大于0且不超过{MAX_SESSION_HOURS:g}"
            f"（默认{DEFAULT_SESSION_HOURS:g}）。请改正后重新启动。"
        )
    return hours


def is_loopback(address: str) -> bool:
    """Whether the server only listens on this machine (unset means every interface)."""
    host = address.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # "", 0.0.0.0-style names and host names that may resolve to a network interface


def exposure_refusal(address: str, mode: AuthMode) -> str | None:
    """The Chinese refusal when a server others can reach would run without sign-in, else None."""
    if mode != "none" or is_loopback(address):
        return None
    shown = address.strip() or "（未设置，即所有网络接口）"
    return (
        f"拒绝启动：服务器监听地址为 {shown}，其他电脑可以访问，但没有开启登录，任何人都能查看和修改所有报告。"
        f"如需多人使用，请先用 gkassist user add 建立账号，再设置环境变量 {AUTH_ENV}=local"
        f"（或 {AUTH_ENV}=oidc 使用统一身份认证）后重新启动；"
        "如只在本机使用，请改用 --server.address 127.0.0.1（./quickstart.sh run 即是如此）。"
    )
