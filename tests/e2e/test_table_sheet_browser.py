"""The 数据填报 sheet in Chromium: the printed tables fit the page at 1366×768 and 1920×1080 (every
column header inside the viewport, no horizontal scrolling), keyboard movement, pasting a block
from a spreadsheet, and cells of failing identities marked with their findings.

Screenshots go to a temporary folder of each test."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gkassist.examples import load_example
from gkassist.model import Report
from gkassist.storage import ReportStore
from gkassist.ui import forms
from tests.actors import LOCAL, as_user
from tests.e2e.server import ARGS, free_port, start_app, stop_app
from tests.e2e.sheet_driver import cell, cell_box, open_table, type_into
from tests.tools import require_tool

pytestmark = pytest.mark.e2e
VIEWPORTS = [(1366, 768), (1920, 1080)]
TABLE_LABELS = {"s2": "二、主动公开", "s3": "三、收到和处理", "s4": "四、政府信息公开行政复议"}


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ReportStore]]:
    require_tool(request, "chromium")  # no server when there is no browser
    db_url = f"sqlite:///{tmp_path_factory.mktemp('sheet') / 'sheet.db'}"
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


def example(store: ReportStore) -> int:
    rid, _ = store.create(forms.report_from_example(load_example("example-2021"), "浏览器测试局", 2024), actor=as_user("测试员"))
    return rid


def new_page(browser: Any, width: int = 1366, height: int = 768) -> Any:
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(20000)
    return page


def show_table(page: Any, table_id: str) -> None:
    from playwright.sync_api import expect

    if table_id != "s3":
        page.get_by_text(TABLE_LABELS[table_id]).first.click()
    expect(page.locator(f'.gk-sheet[data-table="{table_id}"]')).to_be_visible()


def saved_cell(store: ReportStore, rid: int, table: str, row: str, col: str) -> str:
    return store.load(rid, actor=LOCAL)[0].table(table).get(row, col).raw  # type: ignore[arg-type]


def wait_for_saved(page: Any, store: ReportStore, rid: int, expected: dict[str, str]) -> None:
    """Until the stored report holds every expected cell text (address → raw)."""
    import time

    deadline = time.monotonic() + 15
    while True:
        got = {a: saved_cell(store, rid, *a.split(".")) for a in expected}
        if got == expected or time.monotonic() > deadline:
            break
        page.wait_for_timeout(100)
    assert got == expected


# ---------------------------------------------------------------- fits the screen


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
@pytest.mark.parametrize("table_id", ["s3", "s4", "s2"])
def test_every_column_is_visible_without_horizontal_scrolling(
    server: tuple[str, ReportStore], browser: Any, tmp_path: Path, table_id: str, width: int, height: int
) -> None:
    url, store = server
    page = new_page(browser, width, height)
    open_table(page, url, example(store))
    show_table(page, table_id)
    page.screenshot(path=str(tmp_path / f"{table_id}-{width}x{height}.png"), full_page=True)
    heads = page.locator(f'.gk-sheet[data-table="{table_id}"] th.gk-colhead, .gk-sheet[data-table="{table_id}"] th.gk-marker')
    boxes = heads.evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {text: e.textContent, left: r.left, right: r.right, cut: e.scrollWidth > e.clientWidth + 1}; })"
    )
    assert len(boxes) >= 2
    for box in boxes:
        assert box["left"] >= 0 and box["right"] <= width, (table_id, width, box)
        assert not box["cut"], box  # the header wraps; it is never cut off
    overflow = page.locator(f'.gk-sheet[data-table="{table_id}"]').evaluate(
        """sheet => { const out = [];
             for (let n = sheet; n; n = n.parentElement || (n.getRootNode() && n.getRootNode().host)) {
               if (n.scrollWidth > n.clientWidth + 1 && getComputedStyle(n).overflowX !== 'visible') out.push(n.tagName); }
             return {page: document.documentElement.scrollWidth > window.innerWidth, scrolled: out}; }"""
    )
    assert overflow == {"page": False, "scrolled": []}, overflow
    if table_id == "s3":  # 总计 and the findings marker on screen at once
        for text in ("总计", "校验"):
            assert any(b["text"] == text for b in boxes)


# ---------------------------------------------------------------- keyboard and paste


def test_keyboard_moves_like_a_spreadsheet_and_edits_are_saved(server: tuple[str, ReportStore], browser: Any) -> None:
    from playwright.sync_api import expect

    url, store = server
    rid = example(store)
    page = new_page(browser)
    open_table(page, url, rid)
    cell(page, "s3.new.natural").click()
    page.keyboard.press("Tab")
    expect(cell(page, "s3.new.biz")).to_be_focused()
    page.keyboard.type("7")
    page.keyboard.press("Enter")  # down, as in a spreadsheet
    expect(cell(page, "s3.carried_in.biz")).to_be_focused()
    page.keyboard.press("ArrowRight")  # the moved-to cell's text is selected: arrows move
    expect(cell(page, "s3.carried_in.research")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(cell(page, "s3.new.research")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowDown")
    expect(cell(page, "s3.carried_in.biz")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(cell(page, "s3.carried_in.natural")).to_be_focused()
    wait_for_saved(page, store, rid, {"s3.new.biz": "7"})
    expect(cell(page, "s3.new.biz")).to_have_value("7")
    expect(cell_box(page, "s3.new.total")).to_have_class("gk-total gk-error")  # the typed total is not rewritten: A3 says so
    assert saved_cell(store, rid, "s3", "new", "total") == "30"


def test_a_block_pasted_from_a_spreadsheet_fills_from_the_focused_cell(server: tuple[str, ReportStore], browser: Any) -> None:
    from playwright.sync_api import expect

    url, store = server
    rid = example(store)
    page = new_page(browser)
    open_table(page, url, rid)
    target = cell(page, "s3.r_deny_1.natural")
    target.click()
    block = "1\t\t/\r\n4\tabc\t6\r\n"  # as Excel and WPS put it on the clipboard: a blank, a "/" and text among numbers
    target.evaluate(
        """(el, text) => { const data = new DataTransfer(); data.setData('text/plain', text);
             el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true, composed: true})); }""",
        block,
    )
    expect(cell(page, "s3.r_deny_2.research")).to_have_value("6")
    wait_for_saved(page, store, rid, {
        "s3.r_deny_1.natural": "1", "s3.r_deny_1.biz": "", "s3.r_deny_1.research": "/",
        "s3.r_deny_2.natural": "4", "s3.r_deny_2.biz": "abc", "s3.r_deny_2.research": "6",
    })
    assert store.load(rid, actor=LOCAL)[0].table("s3").get("r_deny_1", "biz").state == "blank"  # blank stays blank, never 0
    expect(cell_box(page, "s3.r_deny_2.biz")).to_have_class("gk-error")  # the text is kept and reported
    expect(cell(page, "s3.r_deny_2.biz")).to_have_attribute("title", re.compile("不是数字"))


# ---------------------------------------------------------------- marks


def test_cells_of_a_failing_column_identity_are_marked_and_linked(server: tuple[str, ReportStore], browser: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    url, store = server
    rid = example(store)
    page = new_page(browser)
    open_table(page, url, rid)
    type_into(page, "s3.carried_out.research", "5")  # A1 down the 科研机构 column, A3 along row 四
    for address in ("s3.new.research", "s3.carried_in.research", "s3.r_total.research", "s3.carried_out.research"):
        expect(cell_box(page, address)).to_have_class(re.compile("gk-error"))
        expect(cell(page, address)).to_have_attribute("title", re.compile("A1"))
    expect(cell_box(page, "s3.r_open.research")).not_to_have_class(re.compile("gk-error"))
    expect(page.locator('td.gk-marker[data-row="carried_out"]')).to_contain_text("A1")
    cell(page, "s3.new.research").focus()  # focusing a marked cell shows its finding
    expect(page.locator(".gk-bar")).to_contain_text("【错误 A1】")
    a1 = page.locator("li.gk-error").filter(has_text="【错误 A1】")
    a1.get_by_text("定位到单元格").click()
    expect(cell(page, "s3.new.research")).to_be_focused()
    page.screenshot(path=str(tmp_path / "marked.png"), full_page=True)


def test_a6_marks_carried_in(server: tuple[str, ReportStore], browser: Any) -> None:
    from playwright.sync_api import expect

    url, store = server
    this = forms.report_from_example(load_example("example-2021"), "浏览器测试局", 2024)
    last: Report = load_example("example-2021")
    last.meta.year = 2023
    last.table("s3").set("carried_out", "natural", "9")
    this.last_year = last
    rid, _ = store.create(this, actor=as_user("测试员"))
    page = new_page(browser)
    open_table(page, url, rid)
    expect(cell_box(page, "s3.carried_in.natural")).to_have_class(re.compile("gk-error"))
    expect(cell(page, "s3.carried_in.natural")).to_have_attribute("title", re.compile("A6"))
    expect(page.locator('td.gk-marker[data-row="carried_in"]')).to_contain_text("A6")
