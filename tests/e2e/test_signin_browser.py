"""Sign-in in a real browser: a session survives a reload and a server restart, sign-out ends it,
and a server others can reach refuses to run without sign-in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gkassist.storage.accounts import AccountStore
from tests.actors import admin
from tests.e2e.browser import settled
from tests.e2e.server import ARGS, ROOT, free_port, start_app, stop_app, wait_healthy
from tests.e2e.visible_text import foreign_words, visible_texts

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "out" / "screenshots"
AGENCY = "某某市生态环境局"
PASSWORD = "Correct-Horse-9"  # a test password, hashed by the code under test


def test_a_session_survives_a_reload_and_a_server_restart(tmp_path: Path, chromium: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    db_url = f"sqlite:///{tmp_path / 'signin.db'}"
    accounts = AccountStore(db_url)
    accounts.add_agency(AGENCY, actor=admin("测试"))
    accounts.add_user("zhang", PASSWORD, "clerk", [AGENCY], actor=admin("测试"), display_name="张三")
    accounts.engine.dispose()
    port = free_port()
    env = {"GKASSIST_AUTH": "local"}
    SHOTS.mkdir(parents=True, exist_ok=True)
    proc = start_app(db_url, port, env)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.set_default_timeout(20000)
            page.goto(f"http://127.0.0.1:{port}/")
            expect(page.get_by_role("textbox", name="账号")).to_be_visible()
            settled(page)
            assert not foreign_words(visible_texts(page))  # the form speaks Chinese
            page.get_by_role("textbox", name="账号").fill("zhang")
            page.get_by_role("textbox", name="密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            signed_in = page.get_by_text("已登录：张三（填报人）")
            expect(signed_in).to_be_visible()
            expect(page.get_by_role("button", name="新建报告")).to_be_visible()
            page.screenshot(path=str(SHOTS / "20-signed-in.png"), full_page=True)

            page.reload()
            expect(signed_in).to_be_visible()
            expect(page.get_by_role("textbox", name="密码")).to_have_count(0)

            stop_app(proc)  # the server goes away and comes back
            proc = start_app(db_url, port, env)
            page.reload()
            expect(signed_in).to_be_visible()
            expect(page.get_by_role("textbox", name="密码")).to_have_count(0)

            page.get_by_role("button", name="退出登录").click()
            expect(page.get_by_role("textbox", name="密码")).to_be_visible()
            page.reload()  # the cookie is gone and its session deleted: the form again
            expect(page.get_by_role("textbox", name="密码")).to_be_visible()
            expect(signed_in).to_have_count(0)
            browser.close()
    finally:
        stop_app(proc)
    actions = [e.action for e in AccountStore(db_url).audit_entries(actor=admin())]
    assert actions[-2:] == ["sign_in", "sign_out"]


def test_a_server_others_can_reach_refuses_to_run_without_sign_in(tmp_path: Path, chromium: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "GKASSIST_AUTH"}
    env["GKASSIST_DATABASE_URL"] = f"sqlite:///{tmp_path / 'exposed.db'}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address", "0.0.0.0"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        wait_healthy(proc, port)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            expect(page.get_by_text("拒绝启动").first).to_be_visible(timeout=20000)
            expect(page.get_by_text("GKASSIST_AUTH=local").first).to_be_visible()
            expect(page.get_by_role("button", name="新建报告")).to_have_count(0)
            browser.close()
        proc.wait(timeout=20)  # and the server stops
    finally:
        stop_app(proc)
    out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
    assert "拒绝启动" in out and "GKASSIST_AUTH=local" in out
