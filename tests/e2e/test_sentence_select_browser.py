"""Issue 13 in Chromium: clicking a finding on the 起草 page (or Enter on it) selects its sentence in
the text area it was computed from, in the section's text and in a candidate's."""

from __future__ import annotations

from pathlib import Path

import pytest

from gkassist.storage import ReportStore
from tests.actors import as_user
from tests.app.test_drafting_desk import WITH_ERRORS, WRONG, a_report
from tests.e2e.browser import settled
from tests.e2e.server import ARGS, free_port, start_app, stop_app

pytestmark = pytest.mark.e2e
SELECTED = "el => el.value.substring(el.selectionStart, el.selectionEnd)"


def test_clicking_a_finding_selects_its_sentence(tmp_path: Path, chromium: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30000)  # a loaded machine: the first script runs take seconds

    db_url = f"sqlite:///{tmp_path / 'select.db'}"
    report = a_report()
    report.sections["s1"] = "😀" + WITH_ERRORS  # a character outside the BMP: the browser counts it twice
    rid, _ = ReportStore(db_url).create(report, actor=as_user("王科员"))
    port = free_port()
    proc = start_app(db_url, port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.set_default_timeout(30000)
            page.goto(f"http://127.0.0.1:{port}/drafting?report={rid}")
            text = page.get_by_role("textbox", name="一、总体情况", exact=True)
            expect(text).to_have_value("😀" + WITH_ERRORS, timeout=60000)
            finding = page.get_by_test_id("stAlertContainer").filter(has_text="【错误 N2】")
            expect(finding).to_have_count(1)
            expect(text).not_to_be_focused()

            finding.click()
            expect(text).to_be_focused()
            assert text.evaluate(SELECTED) == WRONG

            # a candidate's findings select in the candidate's own text area
            page.get_by_role("button", name="生成草稿").click()
            editor = page.get_by_label("候选稿（可在此修改，修改后重新校验）")
            expect(editor).to_be_visible(timeout=60000)
            editor.fill("😀" + WITH_ERRORS)
            editor.press("Control+Enter")
            in_candidate = page.get_by_test_id("stAlertContainer").filter(has_text="【错误 N2】")
            expect(in_candidate).to_have_count(2)  # the candidate's and the section's
            settled(page)
            in_candidate = in_candidate.first
            in_candidate.click()
            expect(editor).to_be_focused()
            assert editor.evaluate(SELECTED) == WRONG

            # from the keyboard: a finding's box takes the focus, Enter selects the sentence
            box = page.locator('[class*="st-key-gksel-"]').filter(has_text="【错误 N2】").last  # the section's
            box.focus()
            expect(text).not_to_be_focused()
            box.press("Enter")
            expect(text).to_be_focused()
            assert text.evaluate(SELECTED) == WRONG
            browser.close()
    finally:
        stop_app(proc)
