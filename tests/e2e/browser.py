"""Driving the app in the browser without fixed waits or pixel positions.

Cells of Streamlit's data editor: the grid (glide-data-grid) paints on a canvas, and inside the
canvas it keeps an accessible table (role=grid, a td per cell, aria-selected on the selected
one). A cell is found there by its row label and column header, selected by focusing that
element and opened with Enter, so nothing depends on the grid's geometry.

Waiting: for a state of the page (the app's script run finished, every image and font loaded),
never for a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # playwright is imported when a test runs, so that collection works without it
    from playwright.sync_api import Locator, Page


def grid_cell(grid: Locator, row_label: str, column: str) -> Locator:
    """The accessible cell of ``grid`` in the row labelled ``row_label``, under header ``column``."""
    header = grid.get_by_role("columnheader", name=column, exact=True, include_hidden=True)
    index = header.get_attribute("aria-colindex")  # waits until the grid has built its table
    label = grid.page.get_by_role("gridcell", name=row_label, exact=True, include_hidden=True)
    row = grid.get_by_role("row", include_hidden=True).filter(has=label)
    return row.locator(f'[role="gridcell"][aria-colindex="{index}"]')


def open_editor(grid: Locator, row_label: str, column: str) -> Locator:
    """Select a cell as the keyboard does and open its editor (Enter); returns the editor.

    The grid's first focus selects its first cell, so: focus the cell, wait until the grid has
    a selection, focus the cell again and wait until it is the selected one."""
    from playwright.sync_api import expect

    cell = grid_cell(grid, row_label, column)
    cell.focus()
    expect(grid.locator('[role="gridcell"][aria-selected="true"]')).to_have_count(1)
    cell.focus()
    expect(cell).to_have_attribute("aria-selected", "true")
    cell.press("Enter")
    editor = grid.page.locator("#portal input, #portal textarea").first
    expect(editor).to_be_editable()
    return editor


def edit_cell(grid: Locator, row_label: str, column: str, value: str) -> None:
    """Type ``value`` into a cell and confirm it with Enter, as a user does."""
    editor = open_editor(grid, row_label, column)
    editor.fill(value)
    editor.press("Enter")


def settled(page: Page) -> None:
    """Wait until the app's script run has finished and the browser has loaded (or given up on)
    every image and font the page shows: everything the page will request has been requested."""
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
    page.wait_for_function("() => document.fonts.status === 'loaded' && [...document.images].every(i => i.complete)")
