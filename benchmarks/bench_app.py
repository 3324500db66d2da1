"""Browser app: server time of a 数据填报 rerun after a cell edit, and the first page load.

Rerun times are the page script's own run time on the server (app.py records it), not AppTest's
wall time, which includes its polling sleeps.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from gkassist.examples import load_example
from gkassist.storage import ReportStore
from gkassist.ui import actions

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
Result = tuple[str, float, str, str]


def _open(page: str, db_url: str):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    store = ReportStore(db_url)
    report = actions.report_from_example(load_example("example-2021"), "基准测试局", 2024)
    rid, version = store.create(report, "基准")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["report"] = report
    at.session_state["report_id"] = rid
    at.session_state["version"] = version
    at.switch_page(f"gkassist/ui/pages/{page}.py")
    at.run()
    return at


def rerun_times(db_url: str, runs: int = 30) -> tuple[float, float, float]:
    """Median ms of a 数据填报 rerun with one cell edit (checks + autosave), of the same page rerun
    with no edit, and of a rerun of the nearly empty 设置 page."""
    tables = _open("tables", db_url)
    key = f"grid_{tables.session_state['report_id']}_{tables.session_state['gen']}_s3_main"
    edit_ms = []
    for i in range(runs):
        tables.session_state[key] = {"edited_rows": {0: {"自然人": str(20 + i % 2)}}, "added_rows": [], "deleted_rows": []}
        tables.run()
        edit_ms.append(tables.session_state["_page_run_ms"])
    same_page_ms = []
    for _ in range(runs):
        tables.run()
        same_page_ms.append(tables.session_state["_page_run_ms"])
    bare = _open("settings", db_url)
    bare_ms = []
    for _ in range(runs):
        bare.run()
        bare_ms.append(bare.session_state["_page_run_ms"])
    return statistics.median(edit_ms), statistics.median(same_page_ms), statistics.median(bare_ms)


def first_page_load_s(db_url: str) -> float | None:
    """From `streamlit run` to the 报告列表 heading visible in Chromium (None without Chromium)."""
    if not Path("/usr/bin/chromium").exists():
        return None
    from playwright.sync_api import expect, sync_playwright

    from tests.e2e.server import ARGS, free_port, start_app, stop_app

    port = free_port()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page()  # the browser is ready before the clock starts
        start = time.perf_counter()
        proc = start_app(db_url, port)
        try:
            page.goto(f"http://127.0.0.1:{port}/")
            expect(page.get_by_role("heading", name="报告列表")).to_be_visible(timeout=30000)
            elapsed = time.perf_counter() - start
        finally:
            stop_app(proc)
            browser.close()
    return elapsed


def run() -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/bench.db"
        os.environ["GKASSIST_DATABASE_URL"] = db_url
        edit, same, bare = rerun_times(db_url)
        results: list[Result] = [
            ("数据填报页：改一个单元格后重跑（含校验与自动保存）", edit, "ms", "≤ 150 ms"),
            ("数据填报页：无改动重跑（同页渲染）", same, "ms", "参考"),
            ("设置页（几乎空白）重跑", bare, "ms", "参考"),
            ("改动重跑 / 同页无改动重跑", edit / same, "倍", "≤ 2 倍"),
            ("改动重跑 / 设置页重跑", edit / bare, "倍", "≤ 2 倍"),
        ]
        load = first_page_load_s(db_url)
        if load is not None:
            results.append(("streamlit run 后首次打开页面", load, "s", "≤ 3 s"))
    return results
