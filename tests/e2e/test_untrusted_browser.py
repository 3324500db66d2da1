"""In a real browser, untrusted text stays text and no traceback is shown.

1. A stored report whose agency, narrative, cells and notes carry a markdown image, an HTML
   image and links to example.invalid; its "last year's report" is uploaded on 基本信息 and an
   audited file on 批量审核, with the same attack in file name and text. Every page is visited;
   Playwright records every request: none leaves 127.0.0.1, and no <img> or <a> points outside.
2. A script that raises, run from the project folder (so .streamlit/config.toml applies), shows
   the Chinese box and no exception type, message or traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gkassist.storage import ReportStore
from tests.actors import as_user
from tests.e2e.browser import settled
from tests.e2e.server import ARGS, ROOT, free_port, start_app, stop_app
from tests.tools import require_tool
from tests.untrusted import ATTACK, OUTSIDE, hostile_report, hostile_seed_text

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "out" / "screenshots"
PAGES = ["基本信息", "数据填报", "工作亮点", "起草", "对照上年", "校验与导出", "批量审核", "审核", "设置", "报告列表"]


@pytest.fixture(scope="module")
def hostile_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    require_tool(request, "chromium")  # no server when there is no browser
    folder = tmp_path_factory.mktemp("untrusted")
    db_url = f"sqlite:///{folder / 'untrusted.db'}"
    ReportStore(db_url).create(hostile_report(), actor=as_user("测试员" + ATTACK))
    upload = folder / "上年报告.txt"  # the browser sends the name; the attack is in the text
    upload.write_text(hostile_seed_text(extra="（上年）"), encoding="utf-8")
    port = free_port()
    proc = start_app(db_url, port)
    try:
        yield f"http://127.0.0.1:{port}", upload
    finally:
        stop_app(proc)


def _shown(page: Any) -> str:
    """The page's visible text, without the invisible word joiners that keep URLs unlinked."""
    return str(page.inner_text("body")).replace("\u2060", "")


def _no_markup_to_outside(page: Any, where: str) -> None:
    for selector in (f'img[src*="{OUTSIDE}"]', f'a[href*="{OUTSIDE}"]', f'[style*="{OUTSIDE}"]'):
        found = page.locator(selector)
        assert found.count() == 0, (where, selector, [found.nth(i).evaluate("e => e.parentElement.outerHTML") for i in range(found.count())])


def test_every_page_shows_the_attack_as_text_and_fetches_nothing_outside(
    hostile_server: tuple[str, Path], chromium: str
) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, upload = hostile_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    requests: list[str] = []
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000})

        def guard(route: Any) -> None:  # record and stop anything that is not the app itself
            if route.request.url.startswith((url, "data:", "blob:")):
                route.continue_()
            else:
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.set_default_timeout(30000)

        def seen(request: Any) -> None:
            requests.append(request.url)
            if not request.url.startswith((url, "data:", "blob:")):
                outside.append(request.url)

        page.on("request", seen)
        page.goto(url)
        expect(page.get_by_role("heading", name="报告列表")).to_be_visible()
        expect(page.get_by_role("button", name="打开").first).to_be_visible()
        settled(page)
        assert outside == [], outside  # the report list shows the agency (and its images) first
        assert ATTACK in _shown(page)  # the agency, as typed
        page.get_by_role("button", name="打开").first.click()
        expect(page.get_by_text("已打开", exact=False).first).to_be_visible()

        # 基本信息: import last year's report from a file whose text carries the attack
        page.get_by_role("link", name="基本信息").click()
        expect(page.get_by_role("heading", name="基本信息")).to_be_visible()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
        page.get_by_role("button", name="读取上年报告").click()
        # the file is of the report's own year: refused (issue 14) until overridden on purpose
        page.get_by_test_id("stCheckbox").filter(has_text="仍然使用这份").click()
        page.get_by_role("button", name="确认使用").click()
        expect(page.get_by_text("已读取上年报告").first).to_be_visible()
        _no_markup_to_outside(page, "基本信息")

        for name in PAGES:
            page.get_by_role("link", name=name, exact=True).click()  # 审核 is also in 批量审核
            expect(page.get_by_role("heading", name=name, exact=True).first).to_be_visible()
            if name == "起草":  # stream a template draft (a candidate, adopted)
                page.get_by_role("button", name="生成草稿").click()
                page.get_by_role("button", name="采用", exact=True).click()  # the draft is a candidate
                expect(page.get_by_text("起草方式：内置模板").first).to_be_visible()
            if name == "对照上年":
                for tab in ("叙述对照", "上年问题整改", "表格对照"):
                    page.get_by_role("tab", name=tab).click()
                expect(page.get_by_text("雷同比例").first).to_be_attached()
                assert "[x](http://example.invalid/md.png)" in _shown(page)
            if name == "校验与导出":
                expect(page.get_by_text("写道").first).to_be_visible()  # findings quoting sentences
                assert "![x](http://example.invalid/md.png)" in _shown(page)
            if name == "批量审核":
                page.get_by_role("tab", name="上传文件审核").click()
                page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
                page.get_by_role("button", name="开始审核").click()
                expect(page.get_by_text("共审核1份", exact=False)).to_be_visible()
            settled(page)  # every image or font the page asks for has been requested
            assert outside == [], (name, outside)
            _no_markup_to_outside(page, name)
            page.screenshot(path=str(SHOTS / f"untrusted-{PAGES.index(name):02d}.png"), full_page=True)
        browser.close()
    assert len(requests) > 20  # the recorder saw the app's own traffic
    assert outside == [], outside
    assert not any(OUTSIDE in r for r in requests)


def test_an_exception_shows_the_chinese_box_and_no_traceback(tmp_path: Path, chromium: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    script = tmp_path / "crash.py"
    script.write_text(
        "import streamlit as st\n"
        "from gkassist.ui.localize import localize_streamlit_chrome\n"
        "localize_streamlit_chrome()\n"
        "st.title('出错测试')\n"
        "raise RuntimeError('cannot open /srv/gkassist/secret-path.db')\n",
        encoding="utf-8",
    )
    port = free_port()
    proc = start_app(f"sqlite:///{tmp_path / 'x.db'}", port, script=str(script))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.set_default_timeout(30000)
            page.goto(f"http://127.0.0.1:{port}")
            box = page.get_by_test_id("stException")
            expect(box).to_be_attached()
            after = box.evaluate("el => getComputedStyle(el, '::after').content")
            html = page.content()
            shown = page.inner_text("body")
            page.screenshot(path=str(tmp_path / "crash.png"))
            browser.close()
    finally:
        stop_app(proc)
    assert "本页出错" in after and "请刷新页面后重试" in after
    for secret in ("secret-path", "RuntimeError", "Traceback", 'File "', "crash.py"):
        assert secret not in html, secret
    assert "This app has encountered an error" not in shown  # the English box is hidden
