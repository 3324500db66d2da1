"""Chinese everywhere (issue 14), in Chromium: every page, with a report open and data in it, shows
no Latin-letter word outside the allow-list (tests/e2e/ascii_allow.yaml); when the server stops,
Streamlit's connection-lost dialog speaks Chinese (as does its page-not-found dialog).

The pages walked are the list STOPS below: a new page is one more line (its name in the
navigation, a text that shows it has loaded, and optionally what to do there first).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from gkassist.examples import load_example
from gkassist.storage import ReportStore
from gkassist.ui import forms
from tests.actors import as_user
from tests.e2e.browser import settled
from tests.e2e.server import ARGS, ROOT, free_port, start_app, stop_app
from tests.e2e.visible_text import foreign_words, visible_texts

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "out" / "screenshots"


def _draft_candidate(page: Page) -> None:
    """The drafting desk with a template candidate beside the text."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="生成草稿").click()
    expect(page.get_by_role("button", name="放弃")).to_be_visible(timeout=60000)


def _open_calendar(page: Page) -> None:
    """The date field of 发布日期 is empty (its placeholder shows) and its calendar is open."""
    from playwright.sync_api import expect

    field = page.get_by_test_id("stDateInput").filter(has_text="发布日期")
    expect(field).to_be_visible()
    field.get_by_role("spinbutton").first.click()


def _type_without_enter(page: Page) -> None:
    """A text field typed in and not yet confirmed shows Streamlit's key hint under it."""
    from playwright.sync_api import expect

    page.get_by_label("地址", exact=True).fill("某某路1号")
    expect(page.get_by_test_id("InputInstructions").first).to_be_visible()


def _type_in_text_area(page: Page) -> None:
    """The same for a text area (its hint names Ctrl+Enter)."""
    from playwright.sync_api import expect

    page.get_by_role("textbox", name="一、总体情况", exact=True).fill("本机关认真落实《条例》。")
    expect(page.get_by_test_id("InputInstructions").first).to_be_visible()


def _leave_alone(page: Page) -> None:
    """Close what an act opened and let what it typed be committed (a click on a link during that
    rerun would be lost), so that the walk goes on from a quiet page."""
    from playwright.sync_api import expect

    page.keyboard.press("Escape")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    expect(page.get_by_test_id("InputInstructions")).to_have_count(0)
    settled(page)


# A word of Streamlit's chrome appears in the page, and the same word as a report's text (in a
# markdown element): the page script translates the first and leaves the second alone.
_CHROME_AND_REPORT_TEXT = """
async () => {
  const chrome = document.createElement("span");
  const report = document.createElement("div");
  report.setAttribute("data-testid", "stMarkdownContainer");
  report.innerHTML = "<p></p>";
  document.body.append(chrome, report);
  chrome.textContent = "Close";
  report.firstChild.textContent = "Close";
  await new Promise(r => setTimeout(r, 50));
  const seen = [chrome.textContent, report.textContent];
  chrome.remove();
  report.remove();
  return seen;
}
"""


@dataclass(frozen=True)
class Stop:
    link: str  # the page's name in the navigation
    ready: str  # a heading the page shows once loaded
    acts: tuple[Callable[[Page], None], ...] = ()  # what a user does there; the page is read after each


STOPS = [
    Stop("报告列表", "报告列表"),
    Stop("基本信息", "基本信息", (_open_calendar, _type_without_enter)),
    Stop("数据填报", "数据填报"),
    Stop("工作亮点", "工作亮点"),
    Stop("起草", "起草", (_draft_candidate, _type_in_text_area)),
    Stop("对照上年", "对照上年"),
    Stop("校验与导出", "校验与导出"),
    Stop("批量审核", "批量审核"),
    Stop("审核", "审核"),
    Stop("设置", "设置"),
    Stop("审计记录", "审计记录"),
]


def _stored_report(db_url: str) -> int:
    report = forms.report_from_example(load_example("example-2021"), "浏览器中文测试局", 2024)
    report.meta.publication_date = None  # an empty date field shows its placeholder
    rid, _ = ReportStore(db_url).create(report, actor=as_user("王科员"))
    return rid


@pytest.fixture
def app(tmp_path: Path, chromium: str) -> Iterator[tuple[str, int, dict[str, subprocess.Popen[bytes]]]]:
    db_url = f"sqlite:///{tmp_path / 'zh.db'}"
    rid = _stored_report(db_url)
    port = free_port()
    proc = start_app(db_url, port)
    holder = {"proc": proc}
    try:
        yield f"http://127.0.0.1:{port}", rid, holder
    finally:
        stop_app(holder["proc"])


def test_every_page_and_the_connection_dialog_speak_chinese(
    app: tuple[str, int, dict[str, subprocess.Popen[bytes]]], chromium: str
) -> None:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30000)  # a loaded machine: the first script runs take seconds

    url, rid, holder = app
    assert STOPS, "no pages to walk"
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.set_default_timeout(30000)
        page.goto(f"{url}/?report={rid}")
        page.wait_for_function("() => window.__gkChromeZh === true")  # the page script has run
        assert page.evaluate(_CHROME_AND_REPORT_TEXT) == ["关闭", "Close"]  # chrome translated, a report's text not
        for stop in STOPS:
            page.get_by_role("link", name=stop.link, exact=True).click()
            expect(page.get_by_role("heading", name=stop.ready, exact=True)).to_be_visible()
            settled(page)
            problems += [f"{stop.link}｜{w}" for w in foreign_words(visible_texts(page))]
            for act in stop.acts:
                act(page)
                problems += [f"{stop.link}·{act.__name__}｜{w}" for w in foreign_words(visible_texts(page))]
                _leave_alone(page)

        page.goto(f"{url}/no-such-page?report={rid}")  # an address that names no page
        expect(page.get_by_role("dialog")).to_contain_text("找不到该页面")
        problems += [f"找不到页面｜{w}" for w in foreign_words(visible_texts(page))]
        page.keyboard.press("Escape")
        expect(page.get_by_role("dialog")).to_have_count(0)

        local = browser.new_page(viewport={"width": 1200, "height": 800})  # on "localhost" Streamlit's
        local.goto(f"{url.replace('127.0.0.1', 'localhost')}/settings?report={rid}")  # dialog adds a command line
        expect(local.get_by_role("heading", name="设置", exact=True)).to_be_visible()
        settled(local)
        page.bring_to_front()

        stop_app(holder["proc"])  # the server goes away mid-session
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text("与服务器的连接已断开", timeout=60000)
        expect(dialog).to_contain_text("页面会自动重新连接")
        page.screenshot(path=str(SHOTS / "14-connection-lost.png"))
        problems += [f"断线后｜{w}" for w in foreign_words(visible_texts(page))]
        local.bring_to_front()
        expect(local.get_by_role("dialog")).to_contain_text("与服务器的连接已断开")
        local.screenshot(path=str(SHOTS / "14-connection-lost-localhost.png"))
        problems += [f"断线后（localhost）｜{w}" for w in foreign_words(visible_texts(local))]
        browser.close()
    assert not problems, "Latin-letter words a user sees:\n" + "\n".join(problems)
