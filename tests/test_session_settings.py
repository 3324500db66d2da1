"""One session's LLM settings over the server's: the server key stays with the server's address."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from gkassist.drafting.session_settings import PageInput, SessionSettings, effective_settings, update_session
from gkassist.drafting.settings import ENV_FIELDS, LLMSettings, SettingsError, server_settings

SERVER_KEY = "sk-server-SECRET-1111"
SERVER = LLMSettings(
    base_url="https://llm.internal.example/v1", model="server-model", api_key=SecretStr(SERVER_KEY), admin_managed=True
)


def key(settings: LLMSettings | None) -> str:
    assert settings is not None
    return settings.api_key.get_secret_value()


def test_no_session_values_means_the_server_settings() -> None:
    assert effective_settings(SERVER, None) is SERVER
    assert effective_settings(SERVER, SessionSettings()) is SERVER
    assert effective_settings(None, None) is None


def test_tuning_and_model_at_the_server_address_keep_the_server_key() -> None:
    session = SessionSettings(model="other-model", timeout=5, max_reasks=0, temperature=0.9, stream_usage=False)
    s = effective_settings(SERVER, session)
    assert s is not None and key(s) == SERVER_KEY and s.base_url == SERVER.base_url
    assert (s.model, s.timeout, s.max_reasks, s.temperature, s.stream_usage) == ("other-model", 5, 0, 0.9, False)
    assert s.from_page == {"model", "timeout", "max_reasks", "temperature", "stream_usage"}
    assert s.shown_url == "服务器默认大模型"  # the administrator's address is not named


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:9/v1",
        "https://llm.internal.example/v1/evil",  # another path on the same host
        "https://llm.internal.example@evil.example/v1",  # the server's host as a user name
        "https://LLM.internal.example/v1",  # not exactly the configured address
        "http://llm.internal.example/v1",  # another scheme
    ],
)
def test_another_address_never_gets_the_server_key(address: str) -> None:
    session, _ = update_session(None, SERVER, PageInput(base_url=address, model="mine"))
    s = effective_settings(SERVER, session)
    assert s is not None and s.base_url == address.rstrip("/")
    assert key(s) == "" and SERVER_KEY not in s.model_dump_json()
    assert {"base_url", "model", "api_key"} <= s.from_page


def test_the_same_address_keeps_the_server_key_and_an_own_key_replaces_it() -> None:
    same, _ = update_session(None, SERVER, PageInput(base_url=SERVER.base_url + "/", model="mine"))
    assert key(effective_settings(SERVER, same)) == SERVER_KEY
    own, _ = update_session(None, SERVER, PageInput(base_url="http://127.0.0.1:9/v1", model="m", api_key=" sk-own "))
    assert key(effective_settings(SERVER, own)) == "sk-own"
    at_server, _ = update_session(None, SERVER, PageInput(api_key="sk-own"))  # own key, server's address
    assert key(effective_settings(SERVER, at_server)) == "sk-own"


def test_a_session_key_does_not_follow_a_changed_address() -> None:
    first, notes = update_session(None, SERVER, PageInput(base_url="http://a.example/v1", model="m", api_key="sk-a"))
    assert notes == [] and key(effective_settings(SERVER, first)) == "sk-a"
    kept, notes = update_session(first, SERVER, PageInput(base_url="http://a.example/v1", model="m2"))  # blank key
    assert notes == [] and key(effective_settings(SERVER, kept)) == "sk-a"
    moved, notes = update_session(kept, SERVER, PageInput(base_url="http://b.example/v1", model="m"))
    assert key(effective_settings(SERVER, moved)) == "" and moved.api_key is None
    assert notes and "不会发往新地址" in notes[0]
    back, notes = update_session(first, SERVER, PageInput())  # back to the server: neither key a nor a note
    assert key(effective_settings(SERVER, back)) == SERVER_KEY and notes
    # below the page as well: a key recorded for another address is never used
    forged = SessionSettings(base_url="http://b.example/v1", model="m", api_key=SecretStr("sk-a"), key_for="http://a.example/v1")
    assert key(effective_settings(SERVER, forged)) == ""


def test_without_a_server_a_session_needs_its_own_address() -> None:
    assert effective_settings(None, SessionSettings(timeout=5)) is None
    with pytest.raises(SettingsError, match="没有配置服务器默认大模型"):
        update_session(None, None, PageInput(model="m"))
    session, _ = update_session(None, None, PageInput(base_url="http://127.0.0.1:11434/v1", model="qwen2.5"))
    s = effective_settings(None, session)
    assert s is not None and key(s) == "" and not s.admin_managed
    assert "在“设置”页调大“单次请求超时（秒）”" in s.advice("调大", "timeout")  # nothing set by an administrator


@pytest.mark.parametrize(
    ("page", "words"),
    [
        (PageInput(base_url="ftp://x/v1", model="m"), "http:// 或 https://"),
        (PageInput(base_url="http://x/v1"), "请同时填写“模型名称”"),
        (PageInput(timeout=0.0), "“单次请求超时（秒）”的值超出允许范围"),
        (PageInput(max_output_tokens=10), "“单次输出的令牌数上限”的值超出允许范围"),
    ],
)
def test_unusable_page_values_are_refused_in_chinese(page: PageInput, words: str) -> None:
    with pytest.raises(SettingsError, match=words) as info:
        update_session(None, SERVER, page)
    assert SERVER_KEY not in str(info.value)


def test_server_settings_from_environment_then_secrets() -> None:
    assert server_settings({}, {}) is None
    env = {"GKASSIST_LLM_BASE_URL": "http://env.example/v1", "GKASSIST_LLM_MODEL": "env-model"}
    secrets: dict[str, object] = {
        "GKASSIST_LLM_BASE_URL": "http://secrets.example/v1",
        "GKASSIST_LLM_API_KEY": "sk-from-secrets",
        "GKASSIST_LLM_REASKS": 1,  # TOML gives numbers
    }
    s = server_settings(env, secrets)
    assert s is not None and s.admin_managed and s.from_page == frozenset()
    assert (s.base_url, s.model, key(s), s.max_reasks) == ("http://env.example/v1", "env-model", "sk-from-secrets", 1)
    with pytest.raises(SettingsError, match="GKASSIST_LLM_TIMEOUT"):
        server_settings({**env, "GKASSIST_LLM_TIMEOUT": "soon"})


def test_advice_points_where_the_value_came_from() -> None:
    cli = LLMSettings(base_url="http://x/v1", model="m")
    assert cli.advice("检查", "api_key") == "检查环境变量 GKASSIST_LLM_API_KEY"
    assert cli.shown_url == "http://x/v1"
    assert SERVER.advice("检查", "api_key").startswith("联系管理员检查服务器设置 GKASSIST_LLM_API_KEY")
    page = effective_settings(SERVER, SessionSettings(base_url="http://x/v1", model="m", timeout=5))
    assert page is not None
    assert page.advice("检查", "base_url", "model") == "在“设置”页检查“接口地址”、“模型名称”"
    assert page.advice("调大", "context_budget").startswith("联系管理员调大服务器设置 GKASSIST_LLM_CONTEXT_BUDGET")
    assert set(ENV_FIELDS) >= set(page.from_page)
