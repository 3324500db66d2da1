"""Findings are data: every check produces these, and the CLI, UI and export gate consume them."""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import Field

from gkassist.strict import Strict

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
SEVERITY_ZH: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}


class Location(Strict):
    """Where a finding points: a table cell/row/column, a text span, or a meta field."""

    table: str | None = None  # 二 / 三 / 四
    row: str | None = None  # row label as printed
    column: str | None = None  # column label as printed
    row_path: str | None = None  # group labels + row label, joined with ·
    column_path: str | None = None  # header path, e.g. 行政诉讼·复议后起诉·总计
    section: str | None = None  # section title, e.g. 一、总体情况, or 开头段落
    start: int | None = None  # character span in the section text
    end: int | None = None
    field: str | None = None  # meta field, e.g. publication_date

    def describe(self) -> str:
        """Chinese description of the place, for messages and lists."""
        if self.table:
            parts = [f"表{self.table}"]
            if self.row_path or self.row:
                parts.append(f"“{self.row_path or self.row}”行")
            if self.column_path or self.column:
                parts.append(f"“{self.column_path or self.column}”列")
            return "".join(parts)
        if self.section:
            if self.start is not None:
                return f"{self.section}第{self.start + 1}–{self.end}字"
            return self.section
        if self.field:
            return f"基本信息·{FIELD_ZH.get(self.field, self.field)}"
        return "全文"


FIELD_ZH = {
    "agency": "机关名称",
    "year": "报告年度",
    "format": "报告格式",
    "period": "统计期限",
    "publication_date": "发布日期",
    "contact": "联系方式",
    "level": "报告主体",
}


class Finding(Strict):
    code: str
    severity: Severity
    message: str
    location: Location = Location()
    values: dict[str, str] = Field(default_factory=dict)
    # The cells a table-wide finding is about (G1: every blank cell of the table), so screens
    # can mark each one's row; the message lists them in words.
    cells: tuple[Location, ...] = ()

    @property
    def key(self) -> str:
        """Stable identity used to acknowledge this finding. A finding about a set of cells
        changes its key when the set changes: a new blank cell needs a new acknowledgement."""
        loc = self.location
        place = loc.table or loc.section or loc.field or ""
        detail = f"{loc.row_path or loc.row or ''}|{loc.column_path or loc.column or ''}"
        span = f"{loc.start}-{loc.end}" if loc.start is not None else ""
        key = f"{self.code}:{place}:{detail}:{span}"
        if self.cells:
            listed = "\n".join(c.describe() for c in self.cells)
            key += ":" + hashlib.sha1(listed.encode()).hexdigest()[:10]
        return key


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.code))
