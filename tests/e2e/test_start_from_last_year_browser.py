"""从上年报告开始 in Chromium (issue 14): upload last year's report (the seed, 2024) on 报告列表;
the 2025 report opens with its contact and 上年结转 carried over, one summary links to each place,
and this year's own file is then refused as last year's."""

from __future__ import annotations

from pathlib import Path

import pytest

from gkassist.examples import SEED_TEXT
from tests.e2e.server import ARGS, free_port, start_app, stop_app

pytestmark = pytest.mark.e2e


def test_start_from_an_uploaded_last_year_file_in_chromium(tmp_path: Path, chromium: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    upload = tmp_path / "昌江区工信局2024年报.txt"
    upload.write_bytes(SEED_TEXT.read_bytes())
    port = free_port()
    proc = start_app(f"sqlite:///{tmp_path / 'start.db'}", port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.set_default_timeout(30000)
            page.goto(f"http://127.0.0.1:{port}")
            expect(page.get_by_role("heading", name="新建空白报告")).to_be_visible()
            expect(page.get_by_role("heading", name="从上年报告开始")).to_be_visible()

            page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(upload))
            page.get_by_role("button", name="从上年报告开始").click()
            expect(page.get_by_text("已新建并打开").first).to_be_visible(timeout=90000)  # the child process reads it
            expect(page.get_by_text("2025年度").first).to_be_visible()
            expect(page.get_by_text("共7列").first).to_be_visible()
            expect(page.get_by_text("已预填")).to_have_count(0)  # one summary, no box per column
            main = page.get_by_test_id("stMainBlockContainer")
            for place in ("联系方式", "五、存在的主要问题及改进情况", "上年报告（对照基准）"):
                expect(main.get_by_role("link", name=place, exact=True)).to_be_visible()

            main.get_by_role("link", name="联系方式", exact=True).click()
            expect(page.get_by_role("heading", name="基本信息")).to_be_visible()
            expect(page.get_by_label("电话")).to_have_value("0798-8335879")
            expect(page.get_by_label("邮编")).to_have_value("333000")
            expect(page.get_by_text("当前上年报告：").first).to_contain_text("2024年度报告")

            # this year's own file (a 2025 report) as last year's: refused, nothing changed
            own = tmp_path / "本年2025.txt"
            own.write_text(SEED_TEXT.read_text(encoding="utf-8").replace("2024年", "2025年"), encoding="utf-8")
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(own))
            page.get_by_role("button", name="重新导入上年报告").click()
            expect(page.get_by_text("同一年度").first).to_be_visible(timeout=90000)
            expect(page.get_by_role("button", name="确认使用")).to_be_disabled()
            browser.close()
    finally:
        stop_app(proc)
