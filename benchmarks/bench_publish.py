"""Publishing benchmarks: .docx and HTML export of a complete report (median of repeated runs)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from gkassist.examples import load_example
from gkassist.export.docx import render_docx
from gkassist.export.gate import export_report
from gkassist.export.html import render_html
from gkassist.importers import import_bytes


def _median_ms(fn: Callable[[], object], repeat: int = 15) -> float:
    fn()  # warm-up: imports, layout and style caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run() -> list[tuple[str, float, str, str]]:
    report = load_example("example-2021")
    docx_bytes = render_docx(report)
    return [
        ("publish.docx_render", _median_ms(lambda: render_docx(report)), "ms", "<= 200"),
        ("publish.docx_export_gated", _median_ms(lambda: export_report(report, "docx")), "ms", "<= 200"),
        ("publish.html_render", _median_ms(lambda: render_html(report)), "ms", "<= 50"),
        ("publish.html_export_gated", _median_ms(lambda: export_report(report, "html")), "ms", "<= 200"),
        ("publish.docx_import", _median_ms(lambda: import_bytes(docx_bytes, name="r.docx"), repeat=7), "ms", "<= 500"),
    ]


if __name__ == "__main__":
    for name, value, unit, target in run():
        print(f"{name}\t{value:.1f} {unit}\t(target {target})")
