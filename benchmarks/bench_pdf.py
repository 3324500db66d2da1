"""PDF import of a real published report (tests/fixtures/real/211.pdf: 6 pages, WPS-made,
ruled tables), median on one core. Target ≤ 0.5 s.

Beside it, the floor: what pdfplumber itself costs on the same file with no gkassist logic,
(a) opening the file and interpreting every page once (the one parse our reader needs), and
(b) the library doing the whole job its own way (characters, words and ruled tables of
every page). The ratios say how much of the import time is the library's.
"""

from __future__ import annotations

import io
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "tests" / "fixtures" / "real" / "211.pdf"
RUNS = 15
Result = tuple[str, float, str, str]


def _import(data: bytes) -> None:
    from gkassist.importers import import_bytes

    result = import_bytes(data, name=REPORT.name)
    assert result.report is not None


def _parse_only(data: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            _ = (page.chars, page.lines, page.rects, page.curves, page.images)


def _library_job(data: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_words()
            for table in page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"}):
                table.extract()


def _interleaved(fns: list[Callable[[], None]], runs: int) -> list[float]:
    """Median CPU ms of each function (single-threaded work: CPU time is what one core spends,
    and is hardly changed by other processes sharing the machine), run in turns after one
    warm-up each, so that what load remains weighs on all of them alike."""
    for fn in fns:
        fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, bucket in zip(fns, times, strict=True):
            start = time.process_time()
            fn()
            bucket.append((time.process_time() - start) * 1000)
    return [statistics.median(t) for t in times]


def run() -> list[Result]:
    data = REPORT.read_bytes()
    ours, parse, job = _interleaved([lambda: _import(data), lambda: _parse_only(data), lambda: _library_job(data)], RUNS)
    return [
        ("PDF 导入（211.pdf，6页，单核，中位数）", ours, "ms", "≤ 500 ms"),
        ("  下限 a：pdfplumber 打开并解析每页（字符、线条）", parse, "ms", "参考"),
        ("  下限 b：pdfplumber 提取每页的词和表格", job, "ms", "参考"),
        ("  导入 ÷ 下限 a", ours / parse, "倍", "参考"),
        ("  导入 ÷ 下限 b", ours / job, "倍", "参考"),
        ("  本系统自身开销（导入 − 下限 a）", ours - parse, "ms", "参考"),
    ]


if __name__ == "__main__":
    for label, value, unit, target in run():
        print(f"{label}: {value:,.2f} {unit}（目标 {target}）")
