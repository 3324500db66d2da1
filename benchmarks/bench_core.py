"""Core benchmarks: full check, import throughput (text, HTML), CLI cold start."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.timing import median_ms
from gkassist.checks import check_report
from gkassist.examples import SEED_TEXT, load_example
from gkassist.export.markdown import render_markdown
from gkassist.model import Report

ROOT = Path(__file__).resolve().parent.parent
Result = tuple[str, float, str, str]  # name, measured, unit, target


def report_with_long_narrative(kind: str = "dense") -> Report:
    """The complete 2021 example with a 3,000-character section 一.

    dense: the example's own statistics paragraphs repeated (nearly every clause states a figure);
    real: the published seed report's narrative (prose with a few figures), as most reports read.
    """
    report = load_example("example-2021")
    if kind == "real":
        from gkassist.importers import import_file

        seed = import_file(SEED_TEXT).report
        assert seed is not None
        base = "\n".join(seed.section(s) for s in ("s1", "s5", "s6"))
    else:
        base = report.section("s1")
    s1 = base
    while len(s1) < 3000:
        s1 += "\n" + base
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
    real = report_with_long_narrative("real")
    tables_only = load_example("example-2021")
    tables_only.sections = {}
    seed = SEED_TEXT.read_bytes()
    fixtures = ROOT / "tests" / "fixtures" / "html"
    html = (fixtures / "trs-2021-utf8.html").read_bytes()
    large = (fixtures / "large" / "portal-large-2023.html").read_bytes()
    crawled = (ROOT / "tests" / "fixtures" / "real" / "203.txt").read_bytes()  # digits run together
    results: list[Result] = [
        ("完整校验（2021格式，3000字真实年报叙述）中位数", median_ms(lambda: check_report(real)), "ms", "≤ 2 ms"),
        ("完整校验（2021格式，3000字密集统计叙述）中位数", median_ms(lambda: check_report(report)), "ms", "≤ 2 ms"),
        ("表格与形式规则（不含叙述）中位数", median_ms(lambda: check_report(tables_only)), "ms", "参考"),
        ("导入吞吐量：文本（示例年报）", throughput(lambda: import_bytes(seed, "seed.txt")), "份/秒", "≥ 100 份/秒"),
    ]
    results.append(
        (
            "导入吞吐量：HTML（11 KB 门户页）",
            throughput(lambda: import_bytes(html, "page.html")),
            "份/秒",
            "≥ 100 份/秒",
        )
    )
    results.append(
        (
            "导入吞吐量：HTML（79 KB 带导航的门户页）",
            throughput(lambda: import_bytes(large, "page.html")),
            "份/秒",
            "≥ 100 份/秒",
        )
    )
    results.append(
        (
            "导入吞吐量：爬虫纯文本（表格数字连写）",
            throughput(lambda: import_bytes(crawled, "203.txt")),
            "份/秒",
            "≥ 100 份/秒",
        )
    )
    results.append(("Markdown 导出中位数", median_ms(lambda: render_markdown(report), runs=100), "ms", "—"))
    results.append(("gkassist check 冷启动（整个进程）", cold_start_s(), "s", "≤ 0.6 s"))
    return results
