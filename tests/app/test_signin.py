"""Sign-in in the app (GKASSIST_AUTH=local): the form before every page, the Chinese messages for a
wrong password, a lockout and a disabled account, who is signed in, sign-out, the audit trail
page for administrators only, and the refusal of a server others can reach without sign-in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from gkassist.access import Actor
from gkassist.storage import ReportStore
from gkassist.storage.accounts import AccountStore
from gkassist.storage.sessions import SessionStore
from gkassist.ui import acting, signin
from tests.actors import admin
from tests.app.support import APP, PAGES, texts

AGENCY = "某某市生态环境局"
PASSWORD = "Correct-Horse-9"  # a test password, hashed by the code under test
AUDIT_PAGE = f"{PAGES}/audit_trail.py"


@pytest.fixture
def accounts(store: ReportStore, monkeypatch: pytest.MonkeyPatch) -> AccountStore:
    monkeypatch.setenv("GKASSIST_AUTH", "local")
    signin._stores_for.cache_clear()
    accounts = AccountStore(store.engine)
    accounts.add_agency(AGENCY, actor=admin("测试"))
    accounts.add_user("zhang", PASSWORD, "clerk", [AGENCY], actor=admin("测试"), display_name="张三")
    accounts.add_user("admin", PASSWORD, "admin", actor=admin("测试"), display_name="王管理")
    return accounts


@pytest.fixture
def address() -> Iterator[None]:
    """The server address option is process-wide: put it back after the test."""
    before = st_config.get_option("server.address")
    yield
    st_config.set_option("server.address", before)


def app(page: str = "reports") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page(f"{PAGES}/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    at.button(key="signin_submit").click().run()
    assert not at.exception, at.exception
    return at


def shows_form(at: AppTest) -> bool:
    labels = [w.label for w in at.text_input]
    return labels == ["账号", "密码"] and any(b.label == "登录" for b in at.button)


@pytest.mark.parametrize("page", ["reports", "basic", "settings", "check_export"])
def test_every_page_shows_the_sign_in_form_first(accounts: AccountStore, page: str) -> None:
    at = app(page)
    assert shows_form(at)
    assert "登录" in texts(at)
    assert not at.sidebar.button  # no page, no sign-out: nobody is signed in
    assert acting.SIGNED_IN not in at.session_state


def test_a_wrong_password_says_so_and_counts_down(accounts: AccountStore) -> None:
    at = sign_in(app(), "zhang", "wrong-password-1")
    assert shows_form(at)
    assert "用户名或密码不正确" in texts(at) and "再失败4次" in texts(at)
    last = accounts.audit_entries(actor=admin())[-1]
    assert (last.action, last.target, last.source) == ("sign_in_failed", "zhang", "本机")


def test_a_locked_account_says_how_many_minutes_to_wait(accounts: AccountStore) -> None:
    at = app()
    for _ in range(5):
        sign_in(at, "zhang", "wrong-password-1")
    assert "暂停登录5分钟" in texts(at)
    sign_in(at, "zhang", PASSWORD)  # the right password, but the account waits
    assert shows_form(at)
    assert "请5分钟后再试" in texts(at), texts(at)


def test_a_disabled_account_is_told_to_ask_the_administrator(accounts: AccountStore) -> None:
    accounts.disable_user("zhang", actor=admin("admin"))
    at = sign_in(app(), "zhang", PASSWORD)
    assert shows_form(at)
    assert "该账号已停用" in texts(at) and "联系管理员" in texts(at)


def test_empty_fields_are_asked_for(accounts: AccountStore) -> None:
    at = sign_in(app(), "", "")
    assert "请填写账号和密码" in texts(at)


def test_signed_in_the_sidebar_shows_who_and_sign_out_ends_it(accounts: AccountStore) -> None:
    at = sign_in(app(), "zhang", PASSWORD)
    assert not shows_form(at)
    actor = at.session_state[acting.SIGNED_IN]
    assert actor == Actor("zhang", "clerk", (AGENCY,), "张三", "本机")
    assert "已登录：张三（填报人）" in "\n".join(c.value for c in at.sidebar.caption)
    sessions = SessionStore(accounts, hours=8)
    assert sessions.count("zhang") == 1
    at.sidebar.button(key="signin_sign_out").click().run()
    assert not at.exception, at.exception
    assert shows_form(at)
    assert acting.SIGNED_IN not in at.session_state
    assert sessions.count("zhang") == 0
    assert [e.action for e in accounts.audit_entries(actor=admin())][-2:] == ["sign_in", "sign_out"]


def test_a_session_disabled_meanwhile_ends_at_the_next_click(accounts: AccountStore) -> None:
    at = sign_in(app(), "zhang", PASSWORD)
    assert not shows_form(at)
    accounts.disable_user("zhang", actor=admin("admin"))
    at.run()
    assert shows_form(at)


def test_the_audit_page_is_listed_for_the_administrator_and_lists_the_trail(accounts: AccountStore) -> None:
    clerk = sign_in(app(), "zhang", PASSWORD)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        clerk.switch_page(AUDIT_PAGE)  # not among a clerk's pages
    at = sign_in(app(), "admin", PASSWORD)
    at.switch_page(AUDIT_PAGE).run()
    assert not at.exception, at.exception
    assert "审计记录" in texts(at)
    shown = at.dataframe[0].value
    assert list(shown.columns) == ["时间", "账号", "操作", "对象", "来源", "详情"]
    assert {"登录成功", "新增账号"} <= set(shown["操作"])
    assert at.get("download_button")[0].proto.label == "下载审计记录（CSV）"
    at.multiselect(key="trail_actions").set_value(["登录成功"]).run()
    assert set(at.dataframe[0].value["账号"]) == {"zhang", "admin"}


def test_a_clerk_opening_the_audit_page_is_refused(accounts: AccountStore) -> None:
    at = AppTest.from_file(str(APP).replace("app.py", AUDIT_PAGE), default_timeout=30)
    at.session_state[acting.SIGNED_IN] = Actor("zhang", "clerk", (AGENCY,), "张三", "10.0.0.8")
    at.run()
    assert not at.exception, at.exception
    assert "无权" in texts(at) and "联系管理员" in texts(at)
    assert not at.dataframe
    last = accounts.audit_entries(actor=admin())[-1]
    assert (last.actor, last.action, last.source) == ("zhang", "access_denied", "10.0.0.8")


def test_a_server_others_can_reach_refuses_without_sign_in(store: ReportStore, address: None,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GKASSIST_AUTH", "none")
    st_config.set_option("server.address", "0.0.0.0")
    at = app()
    assert "拒绝启动" in texts(at) and "GKASSIST_AUTH=local" in texts(at)
    assert not at.text_input  # no page ran
    st_config.set_option("server.address", "127.0.0.1")
    assert "拒绝启动" not in texts(app())


def test_a_server_others_can_reach_runs_with_sign_in(accounts: AccountStore, address: None) -> None:
    st_config.set_option("server.address", "0.0.0.0")
    at = app()
    assert "拒绝启动" not in texts(at)
    assert shows_form(at)


def test_an_unknown_sign_in_mode_is_refused_in_chinese(store: ReportStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GKASSIST_AUTH", "ldap")
    at = app()
    assert "GKASSIST_AUTH" in texts(at) and "无法识别" in texts(at)
    assert not at.text_input


def test_settings_changes_are_recorded_without_the_key(store: ReportStore) -> None:
    key = "sk-session-SECRET-123456789"
    at = app("settings")
    at.text_input(key="llm_base_url").input("http://127.0.0.1:9/v1")
    at.text_input(key="llm_model").input("local-model")
    at.text_input(key="llm_api_key").input(key)
    at.button(key="save_llm").click().run()
    assert not at.exception, at.exception
    entries = AccountStore(store.engine).audit_entries(actor=admin())
    changed = [e for e in entries if e.action == "settings_changed"]
    assert len(changed) == 1
    assert changed[0].detail == {"fields": "接口地址、模型名称、密钥"}
    assert key not in str([e.model_dump() for e in entries])
    at.button(key="reset_llm").click().run()
    assert [e.action for e in AccountStore(store.engine).audit_entries(actor=admin())].count("settings_changed") == 2


def test_single_sign_on_without_its_settings_says_what_is_missing(accounts: AccountStore,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GKASSIST_AUTH", "oidc")
    at = app()
    assert "统一身份认证登录暂不可用" in texts(at) and "client_id" in texts(at)
    assert not any(b.label == "使用统一身份认证登录" for b in at.button)
    sign_in(at, "admin", PASSWORD)  # local accounts still sign in with a password
    assert not shows_form(at)
    assert at.session_state[acting.SIGNED_IN].role == "admin"
