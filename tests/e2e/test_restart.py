"""The server restarts mid-way: nothing typed before is lost, and a refresh reopens the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from gkassist.storage import ReportStore
from tests.actors import LOCAL
from tests.e2e.server import ARGS, ROOT, free_port, start_app, stop_app

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "out" / "screenshots"


def test_server_restart_loses_nothing(tmp_path: Path, chromium: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    db_url = f"sqlite:///{tmp_path / 'restart.db'}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    proc = start_app(db_url, port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(20000)
            page.goto(url)
            page.get_by_label("机关名称").fill("重启测试局")
            page.get_by_label("报告年度").fill("2024")
            page.get_by_role("button", name="新建报告").click()
            expect(page.get_by_text("已新建并打开").first).to_be_visible()

            page.get_by_role("link", name="基本信息").click()
            address = page.get_by_label("地址")
            address.fill("某某市人民路1号")
            address.press("Enter")
            page.get_by_label("电话").fill("0791-1234567")
            page.get_by_label("电话").press("Enter")
            expect(page.get_by_text("第3版").first).to_be_visible()  # created + two autosaves

            stop_app(proc)  # the server goes away mid-way
            proc = start_app(db_url, port)

            page.reload()  # the address keeps ?report=<id>: the same report opens again
            expect(page.get_by_label("地址")).to_have_value("某某市人民路1号")
            expect(page.get_by_label("电话")).to_have_value("0791-1234567")
            page.screenshot(path=str(SHOTS / "06-after-restart.png"), full_page=True)
            browser.close()
    finally:
        stop_app(proc)

    summary = next(s for s in ReportStore(db_url).list_reports(actor=LOCAL) if s.agency == "重启测试局")
    saved, _ = ReportStore(db_url).load(summary.id, actor=LOCAL)
    assert saved.meta.contact.address == "某某市人民路1号"
    assert saved.meta.contact.phone == "0791-1234567"
