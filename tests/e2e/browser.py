"""Driving the app in the browser without fixed waits or pixel positions (the 数据填报 sheet's
cells: tests/e2e/sheet_driver.py).

Waiting: for a state of the page (the app's script run finished, every image and font loaded),
never for a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # playwright is imported when a test runs, so that collection works without it
    from playwright.sync_api import Page


def settled(page: Page) -> None:
    """Wait until the app's script run has finished and the browser has loaded (or given up on)
    every image and font the page shows: everything the page will request has been requested."""
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
    page.wait_for_function("() => document.fonts.status === 'loaded' && [...document.images].every(i => i.complete)")
