"""Browser app: server time of a 数据填报 rerun after a cell edit and the time the browser takes from
the edit to its finding on screen (the first page load after `streamlit run` is
benchmarks/bench_first_load.py).

Reruns are measured on a real `streamlit run` server driven by Chromium (benchmarks/rerun_server.py
logs each script run's server time): AppTest recompiles the page scripts on every run and cannot
run a fragment alone, so its times are not what the server does.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from gkassist.access import Actor
from gkassist.examples import load_example
from gkassist.storage import ReportStore
from gkassist.ui import forms

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium")  # Debian's chromium (apt-get install -y chromium fonts-noto-cjk)
EDITED = "s3.new.total"  # a typed total off its parts: each edit shows a new A3 finding
RERUNS = 20
# In the page: from the Enter that commits the cell (the sheet's own key handler sends the edit)
# to the next painted frame after the finding that quotes the new total is in the list.
_EDIT_TO_FINDING_JS = """(input, want) => new Promise(resolve => {
  const root = input.getRootNode();
  const start = performance.now();
  const shown = () => [...root.querySelectorAll('li.gk-error')].some(li => li.textContent.includes(want));
  const observer = new MutationObserver(() => {
    if (shown()) { observer.disconnect(); requestAnimationFrame(() => resolve(performance.now() - start)); }
  });
  observer.observe(root, {subtree: true, childList: true, characterData: true});
  input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, composed: true, cancelable: true}));
})"""
Result = tuple[str, float, str, str]


def _runs(log: Path) -> list[dict[str, Any]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


def _runs_after(log: Path, count: int, timeout_s: float = 20, quiet_s: float = 0.3) -> dict[str, Any]:
    """Every script run an action caused (the log's records after ``count``, until none has
    come for ``quiet_s``), summed: an edit that caused two reruns costs both."""
    deadline = time.monotonic() + timeout_s
    seen, last_change = count, time.monotonic()
    while time.monotonic() < deadline:
        n = len(_runs(log))
        if n != seen:
            seen, last_change = n, time.monotonic()
        elif n > count and time.monotonic() - last_change >= quiet_s:
            new = _runs(log)[count:]
            return {"ms": sum(r["ms"] for r in new), "runs": len(new), "fragment": all(r["fragment"] for r in new)}
        time.sleep(0.02)
    raise TimeoutError("no script run was logged")


def rerun_times(db_url: str, runs: int = RERUNS) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[float]] | None:
    """Server times (ms) of 数据填报 reruns after a cell edit in the browser, of reruns of the
    nearly empty 设置 page (after typing in a field), on a real `streamlit run` server; and the
    browser-observed ms from each edit to its finding on screen."""
    if CHROMIUM is None:
        return None
    from playwright.sync_api import expect, sync_playwright

    from tests.e2e.server import ARGS, free_port, stop_app, wait_healthy
    from tests.e2e.sheet_driver import cell

    store = ReportStore(db_url)
    report = forms.report_from_example(load_example("example-2021"), "基准测试局", 2024)
    rid, _ = store.create(report, actor=Actor.single_user("基准"))
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "runs.jsonl"
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.rerun_server", str(log), "run", "app.py",
             "--server.port", str(port), "--server.address", "127.0.0.1"],
            cwd=ROOT, env={**os.environ, "GKASSIST_DATABASE_URL": db_url},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        try:
            wait_healthy(proc, port)
            url = f"http://127.0.0.1:{port}"
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                tables = browser.new_page(viewport={"width": 1800, "height": 1000})
                settings = browser.new_page(viewport={"width": 1800, "height": 1000})
                for page in (tables, settings):
                    page.set_default_timeout(20000)
                tables.goto(f"{url}/tables?report={rid}")
                expect(cell(tables, EDITED)).to_be_visible(timeout=60000)
                settings.goto(f"{url}/settings?report={rid}")
                expect(settings.get_by_role("heading", name="设置")).to_be_visible()
                field = settings.get_by_label("模型名称")
                seen: list[float] = []

                def edit_cell_once(i: int) -> None:
                    target = cell(tables, EDITED)
                    target.click()
                    target.fill(str(900 + i))
                    seen.append(float(target.evaluate(_EDIT_TO_FINDING_JS, f"总计（{900 + i}）")))

                def type_field(i: int) -> None:
                    field.fill(f"model-{i}")
                    field.press("Enter")

                edits, bare, browser_ms = [], [], []
                for i in range(runs + 3):  # interleaved, so drift in machine speed hits both alike
                    for act, out in ((edit_cell_once, edits), (type_field, bare)):
                        count = len(_runs(log))
                        act(i)
                        run = _runs_after(log, count)
                        if i >= 3:  # the first rounds warm the caches
                            out.append(run)
                            if act is edit_cell_once:
                                browser_ms.append(seen[-1])
                browser.close()
        finally:
            stop_app(proc)
    return edits, bare, browser_ms


def run() -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/bench.db"
        os.environ["GKASSIST_DATABASE_URL"] = db_url
        measured = rerun_times(db_url)
        if measured is None:
            results.append(("数据填报页重跑（需要 chromium，未测）", float("nan"), "ms", "≤ 150 ms"))
        else:
            edits, bare, browser_ms = measured
            edit_ms = statistics.median(r["ms"] for r in edits)
            bare_ms = statistics.median(r["ms"] for r in bare)
            fragment_share = sum(r["fragment"] for r in edits) / len(edits)
            runs_per_edit = statistics.mean(r["runs"] for r in edits)
            results += [
                (f"数据填报页：浏览器里改一个单元格后的服务端重跑（含校验与自动保存；"
                 f"每次改动{runs_per_edit:.1f}次运行，片段重跑占{fragment_share:.0%}）",
                 edit_ms, "ms", "≤ 150 ms"),
                ("设置页（几乎空白）：输入后的服务端重跑", bare_ms, "ms", "参考"),
                ("改动重跑 / 设置页重跑", edit_ms / bare_ms, "倍", "≤ 2 倍"),
                ("数据填报页：浏览器里从改单元格到问题显示（中位数）", statistics.median(browser_ms), "ms", "≤ 300 ms"),
                ("数据填报页：浏览器里从改单元格到问题显示（最慢）", max(browser_ms), "ms", "参考"),
            ]
    return results
