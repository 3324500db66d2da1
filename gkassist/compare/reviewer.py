"""Everything the reviewer's view shows of one report, computed once: this year against the
last year's report the clerk attached (when there is one), the cross-year verdicts, and the
findings with the clerk's acknowledgements.

The findings are the report's one list (``check_report``, as 校验与导出 shows them and as
submission counts them); the verdicts pick their rules' findings from it, and the other
findings are listed once, apart from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gkassist.checks import check_report
from gkassist.compare.core import Comparison, compare_reports
from gkassist.compare.side_by_side import TableDiff, table_diffs
from gkassist.compare.verdicts import (
    Verdict,
    acknowledgement_text,
    identity_verdicts,
    rectification_verdict,
    similarity_verdict,
)
from gkassist.findings import Finding, sort_findings
from gkassist.layouts import TableId
from gkassist.model import Report


@dataclass
class ReviewData:
    report: Report
    findings: list[Finding]  # all of them, sorted by severity then rule
    comparison: Comparison | None  # None: no last year's report attached
    diffs: dict[TableId, TableDiff] = field(default_factory=dict)
    identities: list[Verdict] = field(default_factory=list)
    similarity: Verdict | None = None
    rectification: Verdict | None = None

    @property
    def verdicts(self) -> list[Verdict]:
        return [*self.identities, *(v for v in (self.similarity, self.rectification) if v is not None)]

    @property
    def other_findings(self) -> list[Finding]:
        """The findings not stated in a cross-year verdict."""
        stated = {id(f) for v in self.verdicts for f in v.findings}
        return [f for f in self.findings if id(f) not in stated]

    def counts(self) -> dict[str, int]:
        """错误, warnings still open, warnings the clerk acknowledged, 提示."""
        warnings = [f for f in self.findings if f.severity == "warning"]
        acked = sum(1 for f in warnings if self.acknowledgement(f))
        return {
            "error": sum(1 for f in self.findings if f.severity == "error"),
            "open_warning": len(warnings) - acked,
            "acknowledged": acked,
            "info": sum(1 for f in self.findings if f.severity == "info"),
        }

    def acknowledgement(self, finding: Finding) -> str:
        return acknowledgement_text(finding, self.report.acknowledgements) if finding.severity == "warning" else ""


def review_data(report: Report) -> ReviewData:
    """The reviewer's view of ``report`` (never changed: the comparison works on copies)."""
    findings = sort_findings(check_report(report))
    if report.last_year is None:
        return ReviewData(report, findings, None)
    cmp = compare_reports(report.last_year, report)
    return ReviewData(
        report, findings, cmp,
        diffs=table_diffs(cmp.tables),
        identities=identity_verdicts(cmp, findings),
        similarity=similarity_verdict(cmp, findings),
        rectification=rectification_verdict(cmp, findings),
    )
