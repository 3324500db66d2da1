"""The drafting desk in Chromium (issue 13): a model's draft with errors is a candidate that cannot
be adopted; fixed in place it checks clean and is adopted; no error box of the earlier text or of
another section stays on the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.test_drafting_desk import CLEAN, WITH_ERRORS
from tests.e2e.server import ARGS, free_port, start_app, stop_app
from tests.fakes.llm_server import FakeLLMServer, Reply

pytestmark = pytest.mark.e2e


def test_candidate_findings_follow_the_text_in_chromium(tmp_path: Path, chromium: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with FakeLLMServer(default=Reply(WITH_ERRORS)) as llm:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {"GKASSIST_LLM_BASE_URL": llm.base_url, "GKASSIST_LLM_MODEL": "m", "NO_PROXY": "127.0.0.1,localhost"}
        proc = start_app(f"sqlite:///{tmp_path / 'desk.db'}", port, env)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
                page = browser.new_page(viewport={"width": 1600, "height": 1000})
                page.set_default_timeout(30000)
                page.goto(url)
                page.get_by_label("您的姓名（记录在每个保存版本上）").fill("王科员")
                page.get_by_label("您的姓名（记录在每个保存版本上）").press("Enter")
                page.get_by_label("机关名称").fill("浏览器测试局")
                page.get_by_label("报告年度").fill("2024")
                page.get_by_text("用内置示例数据开始").click()
                page.get_by_role("button", name="新建报告").click()
                expect(page.get_by_text("已新建并打开").first).to_be_visible()

                page.get_by_role("link", name="起草").click()
                page.get_by_text("大模型", exact=True).click()
                page.get_by_role("button", name="生成草稿").click()
                expect(page.get_by_text("候选稿（大模型）")).to_be_visible(timeout=90000)  # langchain loads first
                expect(page.get_by_text("不能直接采用").first).to_be_visible()
                expect(page.get_by_role("button", name="采用", exact=True)).to_be_disabled()
                n2 = page.get_by_test_id("stAlertContainer").filter(has_text="【错误 N2】")  # the boxes, not the attempts log
                expect(n2).to_have_count(1)  # once, under its sentence

                editor = page.get_by_label("候选稿（可在此修改，修改后重新校验）")
                editor.fill(CLEAN)
                editor.press("Control+Enter")
                expect(n2).to_have_count(0)
                expect(page.get_by_test_id("stAlertContainer").filter(has_text="【错误 X1】")).to_have_count(0)
                adopt = page.get_by_role("button", name="采用", exact=True)
                expect(adopt).to_be_enabled()
                adopt.click()
                expect(page.get_by_role("button", name="撤销采用（恢复采用前的文字）")).to_be_visible()
                expect(page.get_by_text("候选稿（大模型）")).to_have_count(0)
                expect(n2).to_have_count(0)

                page.get_by_text("五、存在的主要问题及改进情况").first.click()
                expect(page.get_by_test_id("stAlertContainer").filter(has_text="一、总体情况第")).to_have_count(0)  # nothing of another section
                browser.close()
        finally:
            stop_app(proc)
