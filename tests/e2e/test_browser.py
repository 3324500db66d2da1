"""End to end in a real browser: Debian Chromium driven by Playwright against `streamlit run app.py`.

Walks the journey: create a report, enter a wrong total, see the finding, fix it, draft
一、总体情况 with the template drafter, acknowledge the warnings, download the markdown and
submit and approve it, compare it with the export of the saved report. Screenshots go to out/screenshots/.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gkassist.export.gate import export_report
from gkassist.storage import ReportStore
from gkassist.storage.audit_log import read_entries
from tests.actors import LOCAL
from tests.e2e.server import ARGS, ROOT, free_port, start_app, stop_app
from tests.e2e.sheet_driver import cell
from tests.tools import require_tool

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "out" / "screenshots"
NEW_APPLICATIONS = "一、本年新收政府信息公开申请数量"


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    require_tool(request, "chromium")  # no server when there is no browser
    db_url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}"
    port = free_port()
    proc = start_app(db_url, port)
    try:
        yield f"http://127.0.0.1:{port}", db_url
    finally:
        stop_app(proc)


def test_full_journey_in_chromium(server: tuple[str, str], chromium: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, db_url = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1800, "height": 1000}, accept_downloads=True)
        page.set_default_timeout(20000)
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((url, "data:", "blob:")) else None)
        page.goto(url)

        # 1. create a report from the example data
        expect(page.get_by_role("heading", name="报告列表")).to_be_visible()
        page.get_by_label("您的姓名（记录在每个保存版本上）").fill("王科员")
        page.get_by_label("您的姓名（记录在每个保存版本上）").press("Enter")
        page.get_by_label("机关名称").fill("浏览器测试局")
        page.get_by_label("报告年度").fill("2024")
        page.get_by_text("用内置示例数据开始").click()
        page.get_by_role("button", name="新建报告").click()
        expect(page.get_by_text("已新建并打开").first).to_be_visible()
        page.screenshot(path=str(SHOTS / "01-report-list.png"), full_page=True)

        # 1b. 基本信息: Streamlit's own English words on the file uploader are replaced by Chinese
        page.get_by_role("link", name="基本信息").click()
        expect(page.get_by_role("heading", name="基本信息")).to_be_visible()
        dropzone = page.get_by_test_id("stFileUploaderDropzone").first
        expect(dropzone).to_be_visible()
        shown = dropzone.evaluate(
            """zone => [...zone.querySelectorAll('p, [data-testid="stFileUploaderDropzoneInstructions"] span')].map(
                   el => [getComputedStyle(el).fontSize, getComputedStyle(el, '::after').content])"""
        )
        assert all(size == "0px" for size, _ in shown), shown
        assert any("选择文件" in after for _, after in shown) and any("拖到此处" in after for _, after in shown)
        page.screenshot(path=str(SHOTS / "01b-basic-info.png"), full_page=True)

        # 2. 数据填报: a wrong total in 表三, the finding, the fix
        page.get_by_role("link", name="数据填报").click()
        expect(page.get_by_text("本表没有发现问题").first).to_be_visible()
        target = cell(page, "s3.new.total")
        target.click()
        target.fill("999")
        started = time.monotonic()
        target.press("Enter")
        expect(page.locator("li.gk-error").filter(has_text="总计（999）").first).to_be_visible()
        print(f"\n[e2e] edit -> finding shown: {time.monotonic() - started:.2f} s")
        expect(page.locator('td.gk-marker[data-row="new"]')).to_contain_text("A3")  # the grid names the rule in the row
        expect(page.locator("li.gk-error").filter(has_text="【错误 A3】").first).to_be_visible()
        page.screenshot(path=str(SHOTS / "02-wrong-total.png"), full_page=True)
        page.get_by_role("button", name="按明细填写合计").click()
        expect(page.get_by_text("由“999”改为").first).to_be_visible()
        expect(page.get_by_text("本表没有发现问题").first).to_be_visible()
        page.screenshot(path=str(SHOTS / "03-fixed.png"), full_page=True)

        # 3. 起草: 一、总体情况 with the template drafter (a candidate beside the text, adopted)
        page.get_by_role("link", name="起草").click()
        page.get_by_role("button", name="生成草稿").click()
        page.get_by_role("button", name="采用", exact=True).click()  # the draft is a candidate
        expect(page.get_by_text("起草方式：内置模板").first).to_be_visible()
        expect(page.get_by_role("button", name="撤销采用（恢复采用前的文字）")).to_be_visible()
        page.screenshot(path=str(SHOTS / "04-draft.png"), full_page=True)

        # 4. 校验与导出: acknowledge every warning, then download the checked markdown
        page.get_by_role("link", name="校验与导出").click()
        expect(page.get_by_role("heading", name="校验与导出")).to_be_visible()
        status = page.get_by_text(re.compile(r"待确认警告(\d+)条"))
        pending = int(re.search(r"待确认警告(\d+)条", status.first.inner_text()).group(1))  # type: ignore[union-attr]
        assert pending >= 1  # the example has no publication date yet: F4
        for left in range(pending - 1, -1, -1):
            page.get_by_role("button", name="已核实，确认此警告").first.click()
            expect(page.get_by_text(f"待确认警告{left}条")).to_be_visible()
        expect(page.get_by_role("button", name="已核实，确认此警告")).to_have_count(0)
        # 5. the review loop (the single user does both steps): only an approved report gets the 正式稿
        expect(page.get_by_role("button", name="下载 Markdown 正式稿（发布用，不含元数据）")).to_have_count(0)
        page.get_by_role("button", name="提交审核").click()
        expect(page.get_by_text("状态：待审核").first).to_be_visible()
        page.get_by_role("button", name="通过审核").click()
        expect(page.get_by_text("状态：已通过").first).to_be_visible()
        download_button = page.get_by_role("button", name="下载 Markdown 正式稿（发布用，不含元数据）")
        expect(download_button).to_be_enabled()
        page.screenshot(path=str(SHOTS / "05-export.png"), full_page=True)
        with page.expect_download() as info:
            download_button.click()
        downloaded = Path(info.value.path()).read_text(encoding="utf-8")
        browser.close()

    store = ReportStore(db_url)
    summary = next(s for s in store.list_reports(actor=LOCAL) if s.agency == "浏览器测试局")
    saved, _ = store.load(summary.id, actor=LOCAL)
    outcome = export_report(saved, "md", metadata=False)  # the markdown for publication
    assert outcome.allowed and downloaded == outcome.text and not downloaded.startswith("---")
    exports = [e for e in read_entries(store.engine) if e.action == "export"]  # made on the click, and recorded
    assert [(e.actor, e.target, e.detail["kind"]) for e in exports] == [("王科员", f"报告{summary.id}", "正式稿")]
    first_sentence = saved.section("s1").split("。")[0]
    assert "浏览器测试局" in downloaded and first_sentence in downloaded and "（一）主动公开" in downloaded
    assert saved.table("s3").get("new", "total").raw != "999"
    assert saved.acknowledgements and all(a.at and a.note == "由王科员确认" for a in saved.acknowledgements)
    assert summary.version > 3 and summary.updated_by == "王科员"
    assert outside == [], outside
