"""Core benchmarks: full check, import throughput (text, HTML), CLI cold start."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from gkassist.checks import check_report
from gkassist.examples import SEED_TEXT, load_example
from gkassist.export.markdown import render_markdown
from gkassist.model import Report

ROOT = Path(__file__).resolve().parent.parent
Result = tuple[str, float, str, str]  # name, measured, unit, target


def median_ms(fn: Callable[[], object], runs: int = 200) -> float:
    fn()  # warm caches (layouts, rule specs, regexes)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def report_with_long_narrative() -> Report:
    report = load_example("example-2021")
    s1 = report.section("s1")
    while len(s1) < 3000:  # repeat the grounded text so every sentence stays checkable
        s1 += "\n" + report.section("s1")
    report.sections["s1"] = s1[:3000]
    return report


def throughput(fn: Callable[[], object], seconds: float = 1.5) -> float:
    fn()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        count += 1
    return count / (time.perf_counter() - start)


def cold_start_s(runs: int = 5) -> float:
    exe = Path(sys.executable).parent / "gkassist"
    target = str(ROOT / "gkassist" / "examples" / "example-2021.json")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(exe), "check", target], capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run() -> list[Result]:
    from gkassist.importers import import_bytes

    report = report_with_long_narrative()
    seed = SEED_TEXT.read_bytes()
    fixtures = ROOT / "tests" / "fixtures" / "html"
    html = (fixtures / "trs-2021-utf8.html").read_bytes()
    large = (fixtures / "large" / "portal-large-2023.html").read_bytes()
    results: list[Result] = [
        ("完整校验（2021格式，3000字叙述）中位数", median_ms(lambda: check_report(report)), "ms", "≤ 2 ms"),
        ("导入吞吐量：文本（示例年报）", throughput(lambda: import_bytes(seed, "seed.txt")), "份/秒", "≥ 100 份/秒"),
    ]
    results.append(("导入吞吐量：HTML（11 KB 门户页）", throughput(lambda: import_bytes(html, "page.html")), "份/秒", "≥ 100 份/秒"))
    results.append(("导入吞吐量：HTML（79 KB 带导航的门户页）", throughput(lambda: import_bytes(large, "page.html")), "份/秒", "≥ 100 份/秒"))
    results.append(("Markdown 导出中位数", median_ms(lambda: render_markdown(report), runs=100), "ms", "—"))
    results.append(("gkassist check 冷启动（整个进程）", cold_start_s(), "s", "≤ 0.6 s"))
    return results
