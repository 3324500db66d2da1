"""Audit throughput: a temp folder of seed-text copies and the bundled HTML fixtures, 2 workers.

Target ≥ 100 reports/s on the 2-core machine (import + all rules per file, process start included).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from gkassist.audit.runner import audit_folder
from gkassist.examples import SEED_TEXT

ROOT = Path(__file__).resolve().parent.parent
HTML = sorted((ROOT / "tests" / "fixtures" / "html").glob("*.html"))
Result = tuple[str, float, str, str]


def _folder(base: Path, texts: int, html_copies: int) -> Path:
    base.mkdir()
    for i in range(texts):
        shutil.copy(SEED_TEXT, base / f"seed{i:04d}.txt")
    for i in range(html_copies):
        for f in HTML:
            shutil.copy(f, base / f"{f.stem}-{i:03d}.html")
    return base


def _rate(folder: Path, workers: int) -> float:
    start = time.perf_counter()
    results = audit_folder(folder, workers=workers)
    elapsed = time.perf_counter() - start
    assert all(r.readable for r in results)
    return len(results) / elapsed


def run() -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        texts = _folder(Path(tmp) / "text", 300, 0)
        mixed = _folder(Path(tmp) / "mixed", 300, 10)  # 300 text + 30 HTML pages
        return [
            ("批量审核吞吐（300份文本，2进程）", _rate(texts, 2), "份/秒", "≥ 100 份/秒"),
            ("批量审核吞吐（300份文本＋30份网页，2进程）", _rate(mixed, 2), "份/秒", "≥ 100 份/秒"),
            ("批量审核吞吐（300份文本，单进程）", _rate(texts, 1), "份/秒", "参考"),
        ]


if __name__ == "__main__":
    for name, value, unit, target in run():
        print(f"{name}: {value:,.1f} {unit}（目标 {target}）")
