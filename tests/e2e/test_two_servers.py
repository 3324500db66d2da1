"""Two app servers on one PostgreSQL database, as a shared deployment runs them behind its proxy:
one report open in two Chromium pages, one page on each server. Edits of different fields from
the two are all kept (in the database and on a reload); the same field edited on both is a
conflict on the second, said in Chinese, and nothing is overwritten."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest

from gkassist.model import Report
from gkassist.storage import ReportStore
from tests.actors import LOCAL, as_user
from tests.e2e.browser import settled
from tests.e2e.server import ARGS, free_port, start_app, stop_app

pytestmark = [pytest.mark.e2e, pytest.mark.pg]
TIMEOUT_MS = 30000  # two servers and two pages on a busy 2-core machine


@pytest.fixture(scope="module")
def servers(request: pytest.FixtureRequest) -> Iterator[tuple[str, str, ReportStore]]:
    from tests.tools import require_tool

    require_tool(request, "chromium")
    db_url = require_tool(request, "postgresql")
    store = ReportStore(db_url)
    procs = []
    try:
        for _ in range(2):
            port = free_port()
            procs.append((start_app(db_url, port), port))
        yield f"http://127.0.0.1:{procs[0][1]}", f"http://127.0.0.1:{procs[1][1]}", store
    finally:
        for proc, _port in procs:
            stop_app(proc)
        store.engine.dispose()


def test_edits_from_two_servers_are_all_kept_and_clashes_are_conflicts(
    servers: tuple[str, str, ReportStore], chromium: str
) -> None:
    from playwright.sync_api import Page, expect, sync_playwright

    first_url, second_url, store = servers
    rid, _ = store.create(Report.new("双服务器测试局", 2024), actor=as_user("建档人"))

    def open_basic(page: Page, url: str, name: str) -> None:
        page.goto(f"{url}/basic?report={rid}&by={quote(name)}")
        settled(page)
        expect(page.get_by_role("heading", name="基本信息")).to_be_visible()
        expect(page.get_by_text("第1版（自动保存）")).to_be_visible()

    def enter(page: Page, label: str, text: str) -> None:
        page.get_by_label(label).fill(text)
        page.get_by_label(label).press("Enter")

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
            expect.set_options(timeout=TIMEOUT_MS)
            pages = []
            for url, name in ((first_url, "甲科员"), (second_url, "乙科员")):
                page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
                page.set_default_timeout(TIMEOUT_MS)
                open_basic(page, url, name)
                pages.append(page)
            on_first, on_second = pages

            # different fields, both from version 1: the second save keeps the first's edit
            enter(on_first, "地址", "人民路1号")
            expect(on_first.get_by_text("第2版（自动保存）")).to_be_visible()
            enter(on_second, "电话", "0791-1234567")
            expect(on_second.get_by_text("第3版（自动保存）")).to_be_visible()
            expect(on_second.get_by_label("地址")).to_have_value("人民路1号")  # the other server's edit shown
            saved, version = store.load(rid, actor=LOCAL)
            assert version == 3
            assert (saved.meta.contact.address, saved.meta.contact.phone) == ("人民路1号", "0791-1234567")
            assert [v.author for v in store.versions(rid, actor=LOCAL)] == ["乙科员", "甲科员", "建档人"]
            on_first.reload()
            settled(on_first)
            expect(on_first.get_by_label("地址")).to_have_value("人民路1号")
            expect(on_first.get_by_label("电话")).to_have_value("0791-1234567")

            # the same field from both, each from version 3: the second is told, nothing overwritten
            on_second.reload()
            settled(on_second)
            enter(on_first, "邮编", "330001")
            expect(on_first.get_by_text("第4版（自动保存）")).to_be_visible()
            enter(on_second, "邮编", "330002")
            expect(on_second.get_by_text("这份报告已被“甲科员”修改")).to_be_visible()
            expect(on_second.get_by_text("本次内容未保存")).to_be_visible()
            expect(on_second.get_by_label("邮编")).to_have_value("330002")  # what was typed stays on the page
            saved, version = store.load(rid, actor=LOCAL)
            assert (version, saved.meta.contact.postcode) == (4, "330001")
            settled(on_second)
            on_second.get_by_role("button", name="重新打开最新版本（放弃本页未保存的修改）").click()
            expect(on_second.get_by_text("本次内容未保存")).to_be_hidden()
            settled(on_second)
            expect(on_second.get_by_label("邮编")).to_have_value("330001")
            browser.close()
    finally:
        store.delete(rid, actor=LOCAL)
