"""Real published reports (tests/fixtures/real): cell accuracy of tables 三/四 and false errors.

    python -m benchmarks.bench_corpus [-v]     per-file table (and, with -v, every wrong cell and error)

A false error is an error-severity finding on a report whose labels (NNN.labels.json) do not
list it as a real error of the published report.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from gkassist.checks import check_report
from gkassist.findings import Finding
from gkassist.importers import ReportReadError, import_file
from tests.corpus import Accuracy, accuracy, load_expected, real_reports

# Errors the published reports really contain (labels.json, "certain"): file stem -> rule codes.
REAL_ERRORS: dict[str, frozenset[str]] = {"202": frozenset({"A2"})}
Result = tuple[str, float, str, str]


@dataclass
class FileResult:
    path: Path
    accuracy: Accuracy | None
    false_errors: list[Finding]
    failure: str = ""


def evaluate(path: Path) -> FileResult:
    expected = load_expected(path)
    try:
        result = import_file(path)
    except ReportReadError as err:
        return FileResult(path, None, [], str(err))
    assert result.report is not None
    allowed = REAL_ERRORS.get(path.name.split(".")[0], frozenset())
    errors = [f for f in check_report(result.report) if f.severity == "error" and f.code not in allowed]
    return FileResult(path, accuracy(result.report, expected), errors)


def run() -> list[Result]:
    results = [evaluate(p) for p in real_reports()]
    right = sum(r.accuracy.right for r in results if r.accuracy)
    wrong = sum(len(r.accuracy.wrong) for r in results if r.accuracy)
    total = sum(len(load_expected(r.path).cells) - _s2_count(r.path) for r in results)
    false_errors = sum(len(r.false_errors) for r in results)
    failed = sum(1 for r in results if r.failure)
    return [
        ("真实报告 表三/四 单元格正确率", 100 * right / total, "%", "≥ 99 %"),
        ("真实报告 表三/四 读错的单元格", wrong, "个", "0"),
        ("真实报告 误报错误（每份报告平均）", false_errors / len(results), "条", "0"),
        ("真实报告 无法导入的文件", failed, "份", "0"),
    ]


def _s2_count(path: Path) -> int:
    return sum(1 for cid in load_expected(path).cells if cid[0] == "s2")


def main() -> None:
    verbose = "-v" in sys.argv
    for r in (evaluate(p) for p in real_reports()):
        if r.accuracy is None:
            print(f"{r.path.name:10} 无法导入：{r.failure[:80]}")
            continue
        acc = r.accuracy
        codes = ",".join(f.code for f in r.false_errors) or "-"
        print(f"{r.path.name:10} 三/四 {acc.right:3}/{acc.total:3}  读错 {len(acc.wrong):2}  漏读 {len(acc.missing):2}  误报 {codes}")
        if verbose:
            for cid, got, want in acc.wrong:
                print(f"    读错 {cid}: {got!r}，应为 {want!r}")
            for cid, want in acc.missing:
                print(f"    漏读 {cid}: 应为 {want!r}")
            for f in r.false_errors:
                print(f"    误报 {f.code} {f.message[:160]}")
    for label, value, unit, target in run():
        print(f"{label}: {value:.2f} {unit}（目标 {target}）")


if __name__ == "__main__":
    main()
