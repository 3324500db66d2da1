"""The sign-in settings (GKASSIST_AUTH, GKASSIST_SESSION_HOURS), the refusal of a server others can
reach without sign-in, and the audit trail's CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest

from gkassist.access.sign_in_mode import (
    DEFAULT_SESSION_HOURS,
    SignInSettingsError,
    auth_mode,
    exposure_refusal,
    is_loopback,
    session_hours,
)
from gkassist.storage.audit_log import AuditEntry
from gkassist.ui import trail


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.53", "localhost", "LOCALHOST", "::1", "[::1]", " 127.0.0.1 "])
def test_loopback_addresses(address: str) -> None:
    assert is_loopback(address)
    assert exposure_refusal(address, "none") is None


@pytest.mark.parametrize("address", ["", "0.0.0.0", "::", "192.168.1.10", "10.0.0.5", "gkassist.example.gov.cn"])
def test_an_exposed_address_needs_sign_in(address: str) -> None:
    assert not is_loopback(address)
    refusal = exposure_refusal(address, "none")
    assert refusal is not None and "拒绝启动" in refusal and "GKASSIST_AUTH=local" in refusal and "127.0.0.1" in refusal
    assert exposure_refusal(address, "local") is None
    assert exposure_refusal(address, "oidc") is None


def test_the_mode_and_the_lifetime_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GKASSIST_AUTH", raising=False)
    monkeypatch.delenv("GKASSIST_SESSION_HOURS", raising=False)
    assert auth_mode() == "none" and session_hours() == DEFAULT_SESSION_HOURS
    monkeypatch.setenv("GKASSIST_AUTH", " OIDC ")
    monkeypatch.setenv("GKASSIST_SESSION_HOURS", "0.5")
    assert auth_mode() == "oidc" and session_hours() == 0.5


@pytest.mark.parametrize("value", ["ldap", "yes", "none;local"])
def test_an_unknown_mode_is_refused_in_chinese(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("GKASSIST_AUTH", value)
    with pytest.raises(SignInSettingsError, match=r"无法识别.*local"):
        auth_mode()


@pytest.mark.parametrize("value", ["0", "-1", "abc", "nan", "inf", "100000"])
def test_a_bad_lifetime_is_refused_in_chinese(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("GKASSIST_SESSION_HOURS", value)
    with pytest.raises(SignInSettingsError, match=r"GKASSIST_SESSION_HOURS.*无效"):
        session_hours()


def test_the_csv_opens_in_excel_and_runs_no_formula() -> None:
    entries = [
        AuditEntry(id=2, at=datetime(2026, 1, 10, 9, 30), actor="zhang", action="settings_changed",
                   target="设置", source="10.0.0.5", detail={"fields": "接口地址、密钥"}),
        AuditEntry(id=1, at=datetime(2026, 1, 10, 9, 0), actor="=HYPERLINK(1)", action="sign_in_failed",
                   target="zhang", source="+10.0.0.5", detail={"reason": "密码错误"}),
    ]
    data = trail.csv_bytes(entries)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["时间", "账号", "操作", "对象", "来源", "详情"]
    assert rows[1] == ["2026-01-10 09:30:00", "zhang", "修改设置", "设置", "10.0.0.5", "改动的设置项：接口地址、密钥"]
    assert rows[2][1] == "'=HYPERLINK(1)" and rows[2][4] == "'+10.0.0.5" and rows[2][2] == "登录失败"
    assert rows[2][5] == "原因：密码错误"
