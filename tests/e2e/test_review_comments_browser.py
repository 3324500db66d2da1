"""Review comments in Chromium: a cell with an open comment is flagged in the 数据填报 grid, focusing
it shows the comment, and marking the comment resolved under the table removes the flag."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from gkassist.examples import load_example
from gkassist.places import cell_name
from gkassist.storage import ReportStore
from gkassist.storage.comments import CommentStore
from gkassist.ui import comments_view, forms
from tests.actors import as_user
from tests.e2e.server import ARGS, free_port, start_app, stop_app
from tests.e2e.sheet_driver import cell, cell_box, open_table
from tests.tools import require_tool

pytestmark = pytest.mark.e2e
CELL = "s3.new.natural"


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ReportStore]]:
    require_tool(request, "chromium")
    db_url = f"sqlite:///{tmp_path_factory.mktemp('comments') / 'comments.db'}"
    store = ReportStore(db_url)
    port = free_port()
    proc = start_app(db_url, port)
    try:
        yield f"http://127.0.0.1:{port}", store
    finally:
        stop_app(proc)


@pytest.fixture
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        try:
            yield instance
        finally:
            instance.close()


def new_page(browser: Any) -> Any:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.set_default_timeout(20000)
    return page


def test_a_commented_cell_is_flagged_until_the_comment_is_resolved(server: tuple[str, ReportStore], browser: Any) -> None:
    from playwright.sync_api import expect

    url, store = server
    report = forms.report_from_example(load_example("example-2021"), "浏览器测试局", 2024)
    rid, _ = store.create(report, actor=as_user("测试员"))
    comments = CommentStore(store.engine)
    cid = comments.add(rid, comments_view.cell_anchor(report, CELL), "自然人申请数请与台账核对。", actor=as_user("审核员"))

    page = new_page(browser)
    open_table(page, url, rid)
    expect(cell_box(page, CELL)).to_have_class(re.compile(r"\bgk-comment\b"))
    expect(cell(page, CELL)).to_have_attribute("data-comment", "open")
    expect(cell_box(page, "s3.new.biz")).not_to_have_class(re.compile(r"\bgk-comment\b"))
    cell(page, CELL).focus()
    expect(page.locator(".gk-bar")).to_contain_text("自然人申请数请与台账核对。")
    expect(page.get_by_text(cell_name(report.table("s3").layout, "s3", "new", "natural"), exact=False).first).to_be_visible()

    page.locator(f".st-key-cmt_box_{cid}").get_by_role("button", name="标为已解决").click()
    expect(page.get_by_text("已标为已解决。")).to_be_visible()
    expect(cell_box(page, CELL)).not_to_have_class(re.compile(r"\bgk-comment\b"))
    assert not comments.comments(rid, actor=as_user("测试员"))[0].is_open
