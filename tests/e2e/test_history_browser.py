"""History you can use, in Chromium: the clerk's name survives a reload and is recorded on every
version; text typed and not applied survives a page switch (and the page switch happens); leaving
the app with such text asks first; the version line follows the saves of a table edit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from gkassist.examples import load_example
from gkassist.storage import ReportStore
from gkassist.ui import forms
from tests.actors import LOCAL, as_user
from tests.e2e.browser import settled
from tests.e2e.server import ARGS, free_port, start_app, stop_app
from tests.e2e.sheet_driver import cell, type_into

pytestmark = pytest.mark.e2e
TIMEOUT_MS = 20000  # a first page load on a busy 2-core machine takes several seconds
NAME_LABEL = "您的姓名（记录在每个保存版本上）"
NEW_APPLICATIONS = "s3.new.natural"  # 表三 本年新收 · 自然人


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ReportStore]]:
    from tests.tools import require_tool

    require_tool(request, "chromium")
    db_url = f"sqlite:///{tmp_path_factory.mktemp('history') / 'e2e.db'}"
    store = ReportStore(db_url)
    port = free_port()
    proc = start_app(db_url, port)
    try:
        yield f"http://127.0.0.1:{port}", store
    finally:
        stop_app(proc)


def _report(store: ReportStore, agency: str) -> int:
    report = forms.report_from_example(load_example("example-2021"), agency, 2024)
    return store.create(report, actor=as_user("建档人"))[0]


def test_name_survives_reload_and_is_recorded(server: tuple[str, ReportStore], chromium: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, store = server
    rid = _report(store, "署名测试局")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        page.goto(url)
        page.get_by_label(NAME_LABEL).fill("王科员")
        page.get_by_label(NAME_LABEL).press("Enter")
        expect(page).to_have_url(f"{url}/?by={quote('王科员')}")
        page.reload()
        settled(page)
        expect(page.get_by_label(NAME_LABEL)).to_have_value("王科员")
        page.goto(url)  # the bare address typed again: the cookie remembers
        settled(page)
        expect(page.get_by_label(NAME_LABEL)).to_have_value("王科员")
        expect(page).to_have_url(f"{url}/?by={quote('王科员')}")
        # open the report, reload on another page, save there: the version carries the name
        page.get_by_role("button", name="打开").first.click()
        page.get_by_role("link", name="工作亮点").click()
        expect(page.get_by_role("heading", name="工作亮点")).to_be_visible()
        page.reload()
        settled(page)
        area = page.get_by_label("主动公开")
        area.fill("重新加载后写的亮点。")
        area.press("Control+Enter")
        expect(page.get_by_text("第2版（自动保存）")).to_be_visible()
        browser.close()
    history = store.versions(rid, actor=LOCAL)
    assert [(v.version, v.author) for v in history] == [(2, "王科员"), (1, "建档人")]


def test_typed_text_is_kept_when_switching_pages(server: tuple[str, ReportStore], chromium: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, store = server
    rid = _report(store, "切换页面测试局")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        page.goto(f"{url}/?report={rid}&by={quote('李科员')}")
        settled(page)
        page.get_by_role("link", name="工作亮点").click()
        area = page.get_by_label("主动公开")
        area.click()
        page.keyboard.type("尚未离开文本框就切换页面。")  # no blur, no Ctrl+Enter
        page.get_by_role("link", name="数据填报").click()
        expect(page.get_by_role("heading", name="数据填报")).to_be_visible()  # the page switch is not swallowed
        report, version = store.load(rid, actor=LOCAL)
        assert report.highlights["主动公开"].endswith("尚未离开文本框就切换页面。")
        expect(page.get_by_text(f"第{version}版（自动保存）")).to_be_visible()

        # a table edit reruns only the grid's fragment: the version line still follows it
        expect(cell(page, NEW_APPLICATIONS)).to_be_visible(timeout=60000)
        type_into(page, NEW_APPLICATIONS, "321")
        expect(page.get_by_text(f"第{version + 1}版（自动保存）")).to_be_visible()
        assert store.load(rid, actor=LOCAL)[0].table("s3").get("new", "natural").raw == "321"

        # the same on 起草, leaving for 报告列表 through the sidebar
        page.get_by_role("link", name="起草").click()
        section = page.get_by_role("textbox", name="一、总体情况")
        section.click()
        page.keyboard.press("Control+End")
        page.keyboard.type("起草页未保存的一句。")
        page.get_by_role("link", name="报告列表").click()
        expect(page.get_by_role("heading", name="报告列表")).to_be_visible()
        assert store.load(rid, actor=LOCAL)[0].section("s1").endswith("起草页未保存的一句。")
        assert store.versions(rid, actor=LOCAL)[0].author == "李科员"
        browser.close()


def test_leaving_the_app_with_typed_text_asks_first(server: tuple[str, ReportStore], chromium: str) -> None:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect, sync_playwright

    url, store = server
    rid = _report(store, "关闭页面测试局")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        page.goto(f"{url}/?report={rid}")
        settled(page)
        page.get_by_role("link", name="工作亮点").click()
        expect(page.get_by_role("heading", name="工作亮点")).to_be_visible()
        settled(page)
        page.get_by_label("依申请公开").click()
        page.keyboard.type("还没有保存的文字。")
        asked: list[str] = []
        page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))  # stay on the page
        with pytest.raises(PlaywrightError):  # the dismissed prompt aborts the navigation
            page.goto("about:blank", timeout=10000)
        assert asked == ["beforeunload"]
        # still on the page: the text is there, and it has been applied and saved
        expect(page.get_by_label("依申请公开")).to_have_value("还没有保存的文字。")
        expect(page.get_by_text("第2版（自动保存）")).to_be_visible()
        assert store.load(rid, actor=LOCAL)[0].highlights["依申请公开"] == "还没有保存的文字。"
        browser.close()


def test_a_name_that_looks_like_markup_stays_a_name(server: tuple[str, ReportStore], chromium: str) -> None:
    """The name goes into the cookie through a script: none can break out of it."""
    from playwright.sync_api import expect, sync_playwright

    url, _ = server
    hostile = "</script><img src=x onerror=alert(1)>\"';alert(2)//"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url)
        page.get_by_label(NAME_LABEL).fill(hostile)
        page.get_by_label(NAME_LABEL).press("Enter")
        expect(page).to_have_url(re.compile(r"\?by=%3C%2Fscript%3E"))
        settled(page)
        page.goto(url)
        settled(page)
        expect(page.get_by_label(NAME_LABEL)).to_have_value(hostile)
        assert dialogs == [] and page.locator('img[src="x"]').count() == 0
        browser.close()


def test_the_last_page_chosen_wins_while_a_save_is_held(server: tuple[str, ReportStore], chromium: str) -> None:
    """A page link clicked while a just-typed field saves is held until the save ends; a second
    click on another page during that wait replaces the first, never followed by a jump back."""
    from playwright.sync_api import expect, sync_playwright

    url, _store = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)
        expect(page.get_by_role("heading", name="报告列表")).to_be_visible()
        page.get_by_label("机关名称").fill("切换页面测试局")
        page.get_by_label("报告年度").fill("2024")
        page.get_by_text("用内置示例数据开始").click()  # the year field is applied: its save starts
        page.get_by_role("button", name="新建报告").click()
        expect(page.get_by_text("已新建并打开").first).to_be_visible()
        page.get_by_role("link", name="基本信息").click()  # held while the save's rerun ends
        page.get_by_role("link", name="数据填报").click()  # the clerk changes their mind at once
        expect(page.get_by_role("heading", name="数据填报")).to_be_visible()
        settled(page)
        page.wait_for_function(  # the held click must not fire later and take the clerk elsewhere
            "() => new Promise(r => setTimeout(() => r(true), 2500))"
        )
        expect(page.get_by_role("heading", name="数据填报")).to_be_visible()
        browser.close()
