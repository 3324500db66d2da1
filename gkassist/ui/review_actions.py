"""What the review pages (对照上年, 批量审核) do, as plain functions: no Streamlit here."""

from __future__ import annotations

from collections.abc import Sequence

from gkassist.audit.runner import AuditResult
from gkassist.compare import Comparison, compare_reports
from gkassist.compare.tables import PRESENCE_ZH, TableComparison
from gkassist.findings import SEVERITY_ZH
from gkassist.last_year.similarity import percent
from gkassist.model import Report

STATUS_MARK = {"unchanged": "＝", "changed": "～", "new": "＋", "dropped": "－"}


# ---------------------------------------------------------------- 对照上年


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
    """Check uploaded report files one by one in a child process with the import limits
    (gkassist.isolation); never raises, unreadable files get a reason."""
    from gkassist.isolation.runner import audit_isolated

    return audit_isolated(files)


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
