"""The reviewer's pages in Chromium: from the home on 批量审核 to the reviewer's view of a report
(same tab, same session), where the printed tables stand side by side and the changed cells are
visibly marked (the style survives Streamlit's HTML sanitising) with the change as their tip."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gkassist.examples import load_example
from gkassist.storage import ReportStore
from gkassist.ui import forms
from tests.actors import LOCAL
from tests.e2e.browser import settled
from tests.e2e.server import ARGS, free_port, start_app, stop_app

pytestmark = pytest.mark.e2e
TIMEOUT_MS = 20000  # a first page load on a busy 2-core machine takes several seconds
AGENCY = "并排测试局"


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    from tests.tools import require_tool

    require_tool(request, "chromium")
    db_url = f"sqlite:///{tmp_path_factory.mktemp('reviewer') / 'e2e.db'}"
    this = forms.report_from_example(load_example("example-2021"), AGENCY, 2024)
    last = forms.report_from_example(load_example("example-2021"), AGENCY, 2023)
    last.table("s3").set("new", "total", "24")
    this.last_year = last
    rid = ReportStore(db_url).create(this, actor=LOCAL)[0]
    port = free_port()
    proc = start_app(db_url, port)
    try:
        yield f"http://127.0.0.1:{port}", rid
    finally:
        stop_app(proc)


def test_home_opens_the_reviewers_view_with_changed_cells_marked(server: tuple[str, int], chromium: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, rid = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        page.goto(f"{url}/audit")
        expect(page.get_by_text("共1份报告，当前显示1份")).to_be_visible()
        page.get_by_role("link", name="打开审核视图").click()
        expect(page).to_have_url(f"{url}/review?report={rid}")
        expect(page.get_by_role("heading", name=f"{AGENCY} 2024年度")).to_be_visible()
        settled(page)
        marked = page.locator("div.gk-cmp td.biggest")
        expect(marked).to_have_count(2)  # the same cell, last year's side and this year's
        expect(marked.first).to_have_attribute("title", "上年 24，本年 30，变化 +6（+25%）")
        background = marked.first.evaluate("td => getComputedStyle(td).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
        plain = page.locator("div.gk-cmp td:not(.changed):not(.biggest)").first
        assert plain.evaluate("td => getComputedStyle(td).backgroundColor") != background
        boxes = [page.locator("div.gk-cmp").nth(i).bounding_box() for i in (2, 3)]  # 表三, last year and this
        assert all(boxes) and boxes[0]["x"] < boxes[1]["x"] and abs(boxes[0]["y"] - boxes[1]["y"]) < 40  # type: ignore[index]
        browser.close()
