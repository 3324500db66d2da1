"""Driving the 数据填报 sheet (the grid component, gkassist/ui/components/sheet.js) in the browser.

Cells are inputs named by their address (data-address="s3.new.natural"); Playwright's CSS
locators reach into the component's shadow root. Waiting is for a state of the page, never
for a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page


def cell(page: Page, address: str) -> Locator:
    return page.locator(f'input[data-address="{address}"]')


def cell_box(page: Page, address: str) -> Locator:
    """The table cell around an input: it carries the mark (class gk-error / gk-warning)."""
    return page.locator(f'td:has(> input[data-address="{address}"])')


def type_into(page: Page, address: str, value: str, key: str = "Enter") -> None:
    """Focus a cell, replace its text and leave it with ``key`` (Enter moves down, Tab right)."""
    target = cell(page, address)
    target.click()
    target.fill(value)
    target.press(key)


def wait_saved(page: Page, address: str, value: str) -> None:
    """Until the server has applied the edit: the sheet shows the text and nothing is pending."""
    from playwright.sync_api import expect

    expect(cell(page, address)).to_have_value(value)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")


def open_table(page: Page, url: str, rid: int, table_numeral: str | None = None) -> None:
    """The 数据填报 page of a report, on 表三 or the table whose radio label starts with 表 numeral."""
    from playwright.sync_api import expect

    page.goto(f"{url}/tables?report={rid}")
    expect(page.locator("table.gk-table").first).to_be_visible(timeout=60000)  # a fresh server loads the rules first
    if table_numeral is not None:
        page.get_by_test_id("stRadio").get_by_text(table_numeral, exact=False).first.click()
        expect(page.locator('.gk-sheet[data-table]').first).to_be_visible()
