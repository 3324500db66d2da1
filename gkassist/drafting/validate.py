"""Validation of a drafted section: the same checks as human text, limited to that section."""

from __future__ import annotations

from collections.abc import Callable

from gkassist.findings import Finding
from gkassist.model import SECTION_TITLES, Report, SectionId

Validator = Callable[[Report, SectionId, str], list[Finding]]


def with_section(report: Report, section_id: SectionId, text: str) -> Report:
    """A deep copy of the report with one section replaced; the original is never touched."""
    copy = report.model_copy(deep=True)
    copy.sections[section_id] = text
    return copy


def section_findings(report: Report, section_id: SectionId, text: str) -> list[Finding]:
    """``check_report`` on the report with the draft in place, filtered to the drafted section."""
    from gkassist.checks import check_report

    title = SECTION_TITLES[section_id]
    return [f for f in check_report(with_section(report, section_id, text)) if f.location.section == title]


def blocking(findings: list[Finding]) -> list[Finding]:
    """Findings that call for a re-ask (errors and warnings; info is advice only)."""
    return [f for f in findings if f.severity in ("error", "warning")]
