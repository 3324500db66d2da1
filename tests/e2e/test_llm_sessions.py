"""Two browser sessions on one real `streamlit run` server (issue 11): the server's LLM settings
come from its environment, each session's from its own 设置 page, and the server's key never
goes to an address a visitor typed. The server runs without a secrets.toml and says nothing
about it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.server import ARGS, free_port, start_app, stop_app
from tests.fakes.llm_server import FakeLLMServer, Reply

pytestmark = pytest.mark.e2e

SERVER_KEY = "sk-server-SECRET-e2e-5150"


def test_two_browser_sessions_keep_their_own_llm(tmp_path: Path, chromium: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with FakeLLMServer(default=Reply("好")) as admin_llm, FakeLLMServer(default=Reply("好")) as visitor_llm:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        proc = start_app(
            f"sqlite:///{tmp_path / 'sessions.db'}",
            port,
            {
                "GKASSIST_LLM_BASE_URL": admin_llm.base_url,
                "GKASSIST_LLM_MODEL": "admin-model",
                "GKASSIST_LLM_API_KEY": SERVER_KEY,
                "NO_PROXY": "127.0.0.1,localhost",
            },
        )
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
                visitor = browser.new_context().new_page()  # two contexts: two browser sessions
                colleague = browser.new_context().new_page()
                for page in (visitor, colleague):
                    page.set_default_timeout(20000)
                    page.goto(f"{url}/settings")
                    expect(page.get_by_text("本会话正在使用服务器默认大模型")).to_be_visible()
                    assert str(admin_llm.port) not in page.content() and "admin-model" not in page.content()

                for label, value in (("接口地址", visitor_llm.base_url), ("模型名称", "visitor-model")):
                    visitor.get_by_label(label).fill(value)
                    visitor.get_by_label(label).press("Enter")
                visitor.get_by_role("button", name="测试连接").click()
                expect(visitor.get_by_text("连接成功").first).to_be_visible(timeout=60000)  # langchain loads on first use
                assert len(visitor_llm.requests) == 1 and not admin_llm.requests
                assert SERVER_KEY not in str(visitor_llm.requests[0].headers)

                colleague.reload()  # the colleague's session is untouched by the visitor's settings
                expect(colleague.get_by_text("本会话正在使用服务器默认大模型")).to_be_visible()
                assert str(visitor_llm.port) not in colleague.content()
                colleague.get_by_role("button", name="测试连接").click()
                expect(colleague.get_by_text("连接成功").first).to_be_visible(timeout=60000)
                assert len(admin_llm.requests) == 1 and len(visitor_llm.requests) == 1
                assert admin_llm.requests[0].headers["authorization"] == f"Bearer {SERVER_KEY}"
                browser.close()
        finally:
            stop_app(proc)
        output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
    assert "Traceback" not in output and "secrets" not in output.lower(), output[-2000:]
