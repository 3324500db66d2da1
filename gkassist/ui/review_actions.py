"""What the review pages (对照上年, 批量审核) do, as plain functions: no Streamlit here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from gkassist.audit.runner import AuditResult, audit_bytes
from gkassist.compare import Comparison, compare_reports
from gkassist.compare.narrative import percent
from gkassist.compare.tables import PRESENCE_ZH, TableComparison
from gkassist.findings import SEVERITY_ZH
from gkassist.model import Report
from gkassist.storage import ReportStore, ReportSummary

STATUS_MARK = {"unchanged": "＝", "changed": "～", "new": "＋", "dropped": "－"}


# ---------------------------------------------------------------- 对照上年


def last_year_candidates(store: ReportStore, report: Report, current_id: int | None = None) -> list[ReportSummary]:
    """Stored reports of the same agency for the year before (newest first), the open one excluded."""
    agency = report.meta.agency.strip()
    return [
        s for s in store.list_reports()
        if s.year == report.meta.year - 1 and s.agency.strip() == agency and s.id != current_id
    ]


def attach_stored(report: Report, store: ReportStore, report_id: int) -> str:
    last, _ = store.load(report_id)
    last.last_year = None
    report.last_year = last
    return f"已将{last.meta.agency}{last.meta.year}年度报告作为上年报告。"


@dataclass
class AttachOutcome:
    ok: bool
    messages: list[tuple[str, str]] = field(default_factory=list)  # (error|warning|info, Chinese text)


def attach_uploaded(report: Report, data: bytes, filename: str) -> AttachOutcome:
    """Read an uploaded file as last year's report (kept for comparison; no cell is pre-filled)."""
    from gkassist.importers import ReportReadError, import_bytes

    try:
        result = import_bytes(data, filename)
    except ReportReadError as exc:
        return AttachOutcome(False, [("error", f"无法读取“{filename}”：{exc}")])
    last = result.report
    if last is None:
        return AttachOutcome(False, [("error", f"“{filename}”中没有读到年度报告的内容。")])
    messages = [("warning" if d.level == "warning" else "info", d.message) for d in result.diagnostics]
    if last.meta.year != report.meta.year - 1:
        messages.append(("warning", f"上传的是{last.meta.year}年度的报告，不是{report.meta.year - 1}年度的报告，请核对。"))
    last.last_year = None
    report.last_year = last
    messages.insert(0, ("info", f"已读取{last.meta.agency or filename}{last.meta.year}年度报告作为上年报告。"))
    return AttachOutcome(True, messages)


def comparison(report: Report) -> Comparison | None:
    return compare_reports(report.last_year, report) if report.last_year is not None else None


def table_rows(table: TableComparison, changed_only: bool = False) -> list[dict[str, str]]:
    """Rows for a read-only grid: one line per cell, with last year, this year and the change."""
    out = []
    for row in table.rows:
        for c in row.cells:
            if changed_only and not c.delta and row.presence == "both" and c.last.raw == c.this.raw:
                continue
            out.append({
                "项目": row.label,
                "栏目": c.column,
                "上年": (c.last.raw or "（空）") if row.presence != "this" else "—",
                "本年": (c.this.raw or "（空）") if row.presence != "last" else "—",
                "变化": c.change_zh(),
                "标记": "变化最大" if c.highlight else PRESENCE_ZH[row.presence],
            })
    return out


def section_label(score: float, checked: bool, over: bool) -> str:
    if not checked:
        return f"雷同比例{percent(score)}（内容较短或不在检查范围，不判定）"
    return f"雷同比例{percent(score)}" + ("，超过提示阈值" if over else "")


# ---------------------------------------------------------------- 批量审核


def audit_uploads(files: Sequence[tuple[str, bytes]]) -> list[AuditResult]:
    """Check uploaded report files one by one (never raises; unreadable files get a reason)."""
    return [audit_bytes(name, data) for name, data in files]


def audit_table(results: Sequence[AuditResult]) -> list[dict[str, str]]:
    rows = []
    for r in results:
        top = r.top(1)
        rows.append({
            "文件": r.file,
            "机关": r.agency,
            "年度": str(r.year or ""),
            "错误": str(r.errors) if r.readable else "",
            "警告": str(r.warnings) if r.readable else "",
            "最主要的问题": top[0] if top else ("" if r.readable else f"无法读取：{r.reason}"),
        })
    return rows


def audit_csv(results: Sequence[AuditResult]) -> bytes:
    """The same summary table as ``gkassist audit --csv`` (formula cells neutralised)."""
    from gkassist.audit.runner import summary_csv_text

    return summary_csv_text(results).encode("utf-8-sig")


def severity_zh(severity: str) -> str:
    return SEVERITY_ZH.get(severity, severity)
