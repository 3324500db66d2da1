"""Audit many reports: import and check every report file of a folder, one summary row each.

Nothing stops the run: a file that cannot be read (or that breaks an importer) gets a row with
the reason, and a file name that is not UTF-8 is shown escaped (safetext.py), never a crash. Files are checked in 2 worker processes (ProcessPoolExecutor, chunked); the parent
warms the rule specs and layouts first so forked workers start with them loaded.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from gkassist.audit.safetext import csv_row, printable
from gkassist.findings import SEVERITY_ZH, Finding, render_finding
from gkassist.layouts import format_name

REPORT_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".txt", ".text", ".md", ".markdown", ".docx", ".pdf", ".json")
SUMMARY_HEADER = ("文件", "机关", "年度", "格式", "错误数", "警告数", "主要问题1", "主要问题2", "主要问题3", "无法读取的原因")
FINDINGS_HEADER = ("文件", "代码", "级别", "位置", "内容")


@dataclass
class AuditResult:
    file: str
    readable: bool
    agency: str = ""
    year: int | None = None
    format: str = ""
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    reason: str = ""  # why the file could not be read
    findings: list[dict[str, str]] = field(default_factory=list)  # code, severity, address, where, message (sorted)
    diagnostics: list[str] = field(default_factory=list)

    def top(self, n: int = 3) -> list[str]:
        return [render_finding(Finding.model_validate({k: f[k] for k in ("code", "severity", "message")})) for f in self.findings[:n]]

    def summary_row(self) -> list[str]:
        top = [*self.top(), "", "", ""][:3]
        if not self.readable:
            return [self.file, "", "", "", "", "", "", "", "", self.reason]
        return [self.file, self.agency, str(self.year or ""), format_name(self.format),
                str(self.errors), str(self.warnings), *top, ""]

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["top"] = self.top()
        return data


def list_report_files(folder: Path) -> list[Path]:
    """Report files directly in ``folder`` and its sub-folders, by name; hidden files skipped."""
    return sorted(
        p for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def audit_bytes(name: str, data: bytes) -> AuditResult:
    """Import and check one report; never raises. Every text of the result encodes (printable)."""
    return _printable_result(_audit_bytes(printable(name), data))


def _printable_result(result: AuditResult) -> AuditResult:
    """A report's own text may hold lone surrogates (a JSON archive's \\udcff): escape them once
    here, so the CSV, JSON and terminal writers never meet them."""
    result.agency, result.reason = printable(result.agency), printable(result.reason)
    result.findings = [{k: printable(v) for k, v in f.items()} for f in result.findings]
    result.diagnostics = [printable(d) for d in result.diagnostics]
    return result


def _audit_bytes(name: str, data: bytes) -> AuditResult:
    from gkassist.checks import check_report
    from gkassist.importers import ReportReadError, import_bytes

    try:
        if not data.strip():
            raise ReportReadError("文件是空的，没有可导入的内容。")
        imported = import_bytes(data, name=name)
        report = imported.report
        if report is None:
            return AuditResult(name, False, reason="未能识别出年度报告的内容。")
        findings = check_report(report)
    except ReportReadError as exc:
        return AuditResult(name, False, reason=str(exc))
    except Exception as exc:  # an importer or rule bug must not stop the batch
        return AuditResult(name, False, reason=f"处理该文件时程序出错（{type(exc).__name__}），请把文件交给系统维护人员。")
    return AuditResult(
        file=name,
        readable=True,
        agency=report.meta.agency,
        year=report.meta.year,
        format=report.meta.format,
        errors=sum(1 for f in findings if f.severity == "error"),
        warnings=sum(1 for f in findings if f.severity == "warning"),
        infos=sum(1 for f in findings if f.severity == "info"),
        findings=[
            {"code": f.code, "severity": f.severity, "address": f.location.address, "where": f.location.describe(),
             "message": f.message}
            for f in findings
        ],
        diagnostics=[d.message for d in imported.diagnostics],
    )


def audit_path(path: str, root: str = "") -> AuditResult:
    name = printable(str(Path(path).relative_to(root)) if root else Path(path).name)
    from gkassist.importers import ReportReadError
    from gkassist.importers.bounds import read_file

    try:
        data = read_file(Path(path))  # stops at the file size limit; devices and pipes refused
    except ReportReadError as exc:
        return AuditResult(name, False, reason=printable(str(exc)))
    return audit_bytes(name, data)


def _audit_chunk(args: tuple[str, str]) -> AuditResult:
    return audit_path(*args)


def warm() -> None:
    """Load rule specs, layouts and the number vocabulary once, before the workers fork."""
    from gkassist.checks import check_report
    from gkassist.examples import load_example

    check_report(load_example("example-2021"))
    check_report(load_example("example-2019"))


def _chunksize(n: int, workers: int) -> int:
    return max(1, min(32, n // (workers * 8)))


def iter_audit(
    paths: Sequence[Path], root: Path | None = None, workers: int = 2
) -> Iterator[AuditResult]:
    """Results in the order of ``paths``; uses ``workers`` processes when there is enough work."""
    jobs = [(str(p), str(root) if root else "") for p in paths]
    if workers <= 1 or len(jobs) < 4:
        for job in jobs:
            yield _audit_chunk(job)
        return
    warm()
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for result in pool.map(_audit_chunk, jobs, chunksize=_chunksize(len(jobs), workers)):
                done += 1
                yield result
    except Exception:  # a worker died (e.g. killed): finish the rest in this process
        for job in jobs[done:]:
            yield _audit_chunk(job)


class Progress:
    """A plain-text progress bar on a terminal stream, redrawn with \\r (at most 10 times a second)."""

    def __init__(self, total: int, stream: IO[str] | None = None, enabled: bool | None = None, width: int = 30) -> None:
        self.total, self.width = total, width
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.start = time.perf_counter()
        self.last_draw = 0.0
        self.done = 0

    def line(self) -> str:
        frac = self.done / self.total if self.total else 1.0
        filled = int(frac * self.width)
        elapsed = max(time.perf_counter() - self.start, 1e-9)
        rate = self.done / elapsed
        return f"审核进度 [{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} {frac * 100:3.0f}% {rate:.0f}份/秒"

    def update(self, done: int) -> None:
        self.done = done
        now = time.perf_counter()
        if self.enabled and (now - self.last_draw >= 0.1 or done >= self.total):
            self.last_draw = now
            self.stream.write("\r" + self.line())
            self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\r" + self.line() + "\n")
            self.stream.flush()


def audit_folder(
    folder: Path, workers: int = 2, progress: Callable[[int, int], None] | None = None
) -> list[AuditResult]:
    paths = list_report_files(folder)
    results = []
    for i, result in enumerate(iter_audit(paths, root=folder, workers=workers), start=1):
        results.append(result)
        if progress is not None:
            progress(i, len(paths))
    return results


def findings_path(out: Path, fmt: str) -> Path:
    return out.with_name(f"{out.stem}-findings.{'jsonl' if fmt == 'jsonl' else 'csv'}")


def summary_csv_text(results: Iterable[AuditResult]) -> str:
    """The summary table as CSV text; every cell through csv_row (no formula, always encodable)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(SUMMARY_HEADER)
    for r in results:
        writer.writerow(csv_row(r.summary_row()))
    return buf.getvalue()


def write_summary_csv(results: Iterable[AuditResult], out: Path) -> None:
    with out.open("w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel opens the Chinese correctly
        fh.write(summary_csv_text(results))


def write_findings(results: Iterable[AuditResult], out: Path, fmt: str = "csv") -> None:
    if fmt == "jsonl":
        with out.open("w", encoding="utf-8") as fh:
            for r in results:
                for f in r.findings:
                    fh.write(json.dumps({"file": r.file, **f}, ensure_ascii=False) + "\n")
        return
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(FINDINGS_HEADER)
        for r in results:
            for f in r.findings:
                writer.writerow(
                    csv_row([r.file, f["code"], SEVERITY_ZH.get(f["severity"], f["severity"]), f["where"], f["message"]])
                )
