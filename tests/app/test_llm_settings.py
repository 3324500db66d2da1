"""LLM settings on a shared server (issue 11): two AppTest instances are two browser sessions of
one server process. The second can neither see, change nor use the first's settings, and the
server's key never leaves for an address a session typed."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from gkassist.drafting.settings import ENV_FIELDS, LLMSettings
from gkassist.examples import load_example
from gkassist.model import Report
from gkassist.storage import ReportStore
from gkassist.ui import drafting_glue, forms, llm_session
from tests.actors import LOCAL
from tests.app.support import PAGES, open_app, texts
from tests.fakes.llm_server import FakeLLMServer, Recorded, Reply

SERVER_KEY = "sk-server-SECRET-7777"
# a whole 一、总体情况 (a draft without its five sub-headings is rejected, rule P4)
REPLY = (
    "（一）主动公开\n本机关认真贯彻落实《条例》，扎实推进主动公开工作。\n（二）依申请公开\n依法规范办理政府信息公开申请。\n"
    "（三）政府信息管理\n严格执行保密审查制度。\n（四）政府信息公开平台建设\n持续优化政府信息公开专栏。\n"
    "（五）监督保障\n落实专人负责，定期研究部署。"
)


def a_report() -> Report:
    report = forms.report_from_example(load_example("example-2021"), "测试市生态环境局", 2024)
    report.sections.pop("s1")
    return report


@pytest.fixture
def server_llm(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLLMServer]:
    """The administrator's model, configured in the environment with a key."""
    with FakeLLMServer(default=Reply(REPLY)) as srv:
        monkeypatch.setenv("GKASSIST_LLM_BASE_URL", srv.base_url)
        monkeypatch.setenv("GKASSIST_LLM_MODEL", "server-model")
        monkeypatch.setenv("GKASSIST_LLM_API_KEY", SERVER_KEY)
        yield srv


def fill_settings(at: AppTest, base_url: str = "", model: str = "", api_key: str = "") -> None:
    at.switch_page(f"{PAGES}/settings.py").run()
    at.text_input(key="llm_base_url").input(base_url)
    at.text_input(key="llm_model").input(model)
    at.text_input(key="llm_api_key").input(api_key)
    at.button(key="save_llm").click().run()
    assert not at.exception, at.exception
    assert "已保存，仅对当前浏览器会话有效" in texts(at), texts(at)


def draft_with_llm(at: AppTest) -> None:
    at.switch_page(f"{PAGES}/drafting.py").run()
    at.radio(key="drafter").set_value("llm").run()
    at.button(key="generate").click().run()
    assert not at.exception, at.exception


def carries(request: Recorded, secret: str) -> bool:
    return any(secret in value for value in request.headers.values()) or secret in str(request.body)


def test_the_server_key_never_goes_to_an_address_a_session_typed(
    store: ReportStore, server_llm: FakeLLMServer
) -> None:
    with FakeLLMServer(default=Reply(REPLY)) as other:
        a, rid_a = open_app(store, a_report(), "drafting")
        b, rid_b = open_app(store, a_report(), "settings")
        fill_settings(b, other.base_url, "b-model")  # session B: its own address and no key
        draft_with_llm(b)
        assert len(other.requests) == 1 and not server_llm.requests  # B's draft went to B's address only
        assert other.requests[0].headers["authorization"] == "Bearer EMPTY"
        assert not any(carries(r, SERVER_KEY) for r in other.requests)
        assert other.requests[0].body["model"] == "b-model"
        b.button(key="adopt").click().run()  # a draft is a candidate: the clerk adopts it
        assert "扎实推进主动公开工作" in store.load(rid_b, actor=LOCAL)[0].section("s1")

        draft_with_llm(a)  # session A, no settings of its own: the server's model with the server's key
        assert len(server_llm.requests) == 1 and len(other.requests) == 1
        assert server_llm.requests[0].headers["authorization"] == f"Bearer {SERVER_KEY}"
        assert server_llm.requests[0].body["model"] == "server-model"
        a.button(key="adopt").click().run()
        assert "扎实推进主动公开工作" in store.load(rid_a, actor=LOCAL)[0].section("s1")

        draft_with_llm(b)  # and B stays on its own address
        assert len(other.requests) == 2 and len(server_llm.requests) == 1
        assert not any(carries(r, SERVER_KEY) for r in other.requests)


def test_a_second_session_cannot_see_change_or_use_the_first_sessions_settings(store: ReportStore) -> None:
    with FakeLLMServer(default=Reply(REPLY)) as first_llm, FakeLLMServer(default=Reply(REPLY)) as second_llm:
        first, _ = open_app(store, a_report(), "settings")
        fill_settings(first, first_llm.base_url, "first-model", "sk-first-SECRET-1")
        first_settings = first.session_state[llm_session.SESSION_KEY]

        second, _ = open_app(store, a_report(), "settings")
        # see: nothing of the first session's settings on the second's page
        assert llm_session.SESSION_KEY not in second.session_state
        assert second.text_input(key="llm_base_url").value == "" and second.text_input(key="llm_model").value == ""
        body = texts(second)
        assert str(first_llm.port) not in body and "first-model" not in body and "SECRET" not in body
        assert "管理员没有配置服务器默认大模型" in body and "起草时只能使用内置模板" in body
        # use: the second session has no LLM to draft with
        second.switch_page(f"{PAGES}/drafting.py").run()
        assert list(second.radio(key="drafter").options) == ["内置模板"]
        # change: the second session's own settings leave the first's as they were
        fill_settings(second, second_llm.base_url, "second-model")
        draft_with_llm(second)
        assert len(second_llm.requests) == 1 and not first_llm.requests
        assert not any(carries(r, "sk-first-SECRET-1") for r in second_llm.requests)
        assert first.session_state[llm_session.SESSION_KEY] == first_settings
        draft_with_llm(first)
        assert len(first_llm.requests) == 1 and len(second_llm.requests) == 1
        assert first_llm.requests[0].headers["authorization"] == "Bearer sk-first-SECRET-1"


def test_the_page_never_shows_the_server_address_or_key(store: ReportStore, server_llm: FakeLLMServer) -> None:
    at, _ = open_app(store, None, "settings")
    body = texts(at)
    assert "管理员已配置服务器默认大模型" in body and "本会话正在使用服务器默认大模型" in body
    assert str(server_llm.port) not in body and "server-model" not in body and "SECRET" not in body
    assert [at.text_input(key=k).value for k in ("llm_base_url", "llm_model", "llm_api_key")] == ["", "", ""]
    at.button(key="test_llm").click().run()  # testing the server's model names no address either
    body = texts(at)
    assert "连接成功" in body and str(server_llm.port) not in body and "server-model" not in body
    assert server_llm.requests[-1].headers["authorization"] == f"Bearer {SERVER_KEY}"


def test_a_session_key_is_dropped_when_the_session_changes_its_address(store: ReportStore) -> None:
    with FakeLLMServer(default=Reply(REPLY)) as first_llm, FakeLLMServer(default=Reply(REPLY)) as second_llm:
        at, _ = open_app(store, a_report(), "settings")
        fill_settings(at, first_llm.base_url, "m", "sk-mine-SECRET-2")
        fill_settings(at, second_llm.base_url, "m")  # key field left blank
        assert "之前填写的密钥不会发往新地址" in texts(at)
        draft_with_llm(at)
        assert len(second_llm.requests) == 1 and not first_llm.requests
        assert not carries(second_llm.requests[0], "sk-mine-SECRET-2")


def test_clearing_the_session_settings_returns_to_the_server_model(
    store: ReportStore, server_llm: FakeLLMServer
) -> None:
    at, _ = open_app(store, a_report(), "settings")
    fill_settings(at, "http://127.0.0.1:9/v1", "mine")
    assert "本会话正在使用您在本页填写的大模型" in texts(at)
    at.button(key="reset_llm").click().run()
    assert not at.exception
    assert llm_session.SESSION_KEY not in at.session_state and at.text_input(key="llm_base_url").value == ""
    assert "本会话正在使用服务器默认大模型" in texts(at)


# ---------------------------------------------------------------- every GKASSIST_LLM_* variable


NON_DEFAULT: dict[str, tuple[str, Any]] = {  # field -> (environment text, expected value)
    "base_url": ("http://127.0.0.1:9/v1/", "http://127.0.0.1:9/v1"),
    "model": ("env-model", "env-model"),
    "api_key": ("sk-env-SECRET-3", "sk-env-SECRET-3"),
    "timeout": ("7.5", 7.5),
    "retries": ("4", 4),
    "backoff": ("0.25", 0.25),
    "max_reasks": ("0", 0),
    "temperature": ("0.05", 0.05),
    "context_budget": ("4500", 4500),
    "max_output_tokens": ("321", 321),
    "encoding": ("cl100k_base", "cl100k_base"),
    "stream_usage": ("false", False),
}


def test_every_llm_variable_takes_effect_in_the_app(store: ReportStore, monkeypatch: pytest.MonkeyPatch) -> None:
    assert set(NON_DEFAULT) == set(ENV_FIELDS)
    defaults = LLMSettings(base_url="http://x", model="m")
    for name, (raw, expected) in NON_DEFAULT.items():
        value = getattr(defaults, name)
        assert (value.get_secret_value() if name == "api_key" else value) != expected, name
        monkeypatch.setenv(ENV_FIELDS[name][0], raw)
    seen: list[LLMSettings] = []
    real = drafting_glue.draft_section

    def spy(report: Report, section: str, drafter: str = "template", settings: Any = None, **kw: Any) -> Any:
        seen.append(settings)
        return real(report, section, "template")

    monkeypatch.setattr(drafting_glue, "draft_section", spy)  # what the 起草 page calls
    at, _ = open_app(store, a_report(), "drafting")
    draft_with_llm(at)
    assert len(seen) == 1 and isinstance(seen[0], LLMSettings)
    for name, (_raw, expected) in NON_DEFAULT.items():
        value = getattr(seen[0], name)
        assert (value.get_secret_value() if name == "api_key" else value) == expected, name


def test_llm_variables_shape_the_requests_the_app_sends(store: ReportStore, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = REPLY + "\n本年度共收到政府信息公开申请99999件。"  # contradicts the table: a re-ask by default
    with FakeLLMServer(default=Reply(bad)) as srv:
        for var, value in {
            "GKASSIST_LLM_BASE_URL": srv.base_url,
            "GKASSIST_LLM_MODEL": "env-model",
            "GKASSIST_LLM_REASKS": "0",
            "GKASSIST_LLM_TEMPERATURE": "0.05",
            "GKASSIST_LLM_MAX_TOKENS": "321",
            "GKASSIST_LLM_STREAM_USAGE": "false",
        }.items():
            monkeypatch.setenv(var, value)
        at, _ = open_app(store, a_report(), "drafting")
        draft_with_llm(at)
        assert len(srv.requests) == 1  # GKASSIST_LLM_REASKS=0: no second attempt
        body = srv.requests[0].body
        assert (body["model"], body["temperature"], body["max_tokens"]) == ("env-model", 0.05, 321)
        assert "stream_options" not in body


def test_session_values_override_the_server_values(store: ReportStore, server_llm: FakeLLMServer) -> None:
    at, _ = open_app(store, a_report(), "settings")
    at.number_input(key="llm_temperature").set_value(1.5)
    at.number_input(key="llm_max_tokens").set_value(555)
    at.number_input(key="llm_reasks").set_value(0)
    at.selectbox(key="llm_stream_usage").set_value(False)
    at.button(key="save_llm").click().run()
    assert not at.exception and "已保存" in texts(at)
    draft_with_llm(at)
    body = server_llm.requests[-1].body
    assert (body["model"], body["temperature"], body["max_tokens"]) == ("server-model", 1.5, 555)
    assert "stream_options" not in body
    assert server_llm.requests[-1].headers["authorization"] == f"Bearer {SERVER_KEY}"  # same address


# ---------------------------------------------------------------- messages and secrets


def test_faults_point_to_the_settings_page_for_session_values(store: ReportStore) -> None:
    from tests.fakes.llm_server import Status

    with FakeLLMServer(default=Status(401, "bad key")) as srv:
        at, _ = open_app(store, a_report(), "settings")
        fill_settings(at, srv.base_url, "m", "sk-wrong")
        draft_with_llm(at)
        body = texts(at)
        assert "HTTP 401" in body and "在“设置”页检查“密钥”" in body and "GKASSIST_LLM" not in body
        assert "Error" not in body and "sk-wrong" not in body


def test_no_secrets_file_is_quiet(store: ReportStore, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    assert llm_session._secrets() == {}  # outside a script run as well
    at, _ = open_app(store, load_example("example-2021"), "settings")
    assert not at.exception and not at.error and not at.warning
    at.switch_page(f"{PAGES}/drafting.py").run()
    assert not at.exception and not at.error
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and "secret" in r.getMessage().lower()]


@pytest.mark.parametrize(
    ("behaviour", "words"),
    [(Reply(REPLY, finish=None, done=False), "中途中断"), (Reply(REPLY, finish="length"), "令牌数上限")],
)
def test_an_unfinished_stream_replaces_nothing_in_the_app(
    store: ReportStore, monkeypatch: pytest.MonkeyPatch, behaviour: Reply, words: str
) -> None:
    report = a_report()
    report.sections["s1"] = "工作人员自己写的总体情况。"
    with FakeLLMServer(default=behaviour) as srv:
        monkeypatch.setenv("GKASSIST_LLM_BASE_URL", srv.base_url)
        monkeypatch.setenv("GKASSIST_LLM_MODEL", "m")
        at, rid = open_app(store, report, "drafting")
        at.radio(key="drafter").set_value("llm").run()
        at.button(key="generate").click().run()
        assert not at.exception and srv.requests
        body = texts(at)
        assert words in body and "不能作为草稿" in body and "您已写的内容没有改动" in body
        saved = store.load(rid, actor=LOCAL)[0]
        assert saved.section("s1") == "工作人员自己写的总体情况。"  # a broken reply is no draft
        assert "s1" not in saved.drafts
        assert at.button(key="use_alternative")  # the template draft is offered
