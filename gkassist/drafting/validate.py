"""Validation of a drafted section: the same checks as human text, limited to that section."""

from __future__ import annotations

from collections.abc import Callable

from gkassist.findings import Finding
from gkassist.model import Report, SectionId

Validator = Callable[[Report, SectionId, str], list[Finding]]


def with_section(report: Report, section_id: SectionId, text: str) -> Report:
    """A copy of the report with one section replaced; the original is never touched.

    Only the sections mapping is new: the checks read tables and last year's report, never write them.
    """
    return report.model_copy(update={"sections": {**report.sections, section_id: text}})


def section_findings(report: Report, section_id: SectionId, text: str, candidate: bool = True) -> list[Finding]:
    """The narrative rules on the report with the draft in place, filtered to the drafted section.

    Table rules are skipped (a draft cannot change what they find), and the number and 雷同
    rules read only the drafted section. ``candidate`` (the default): the text is a drafter's
    candidate, so the drafts-only rules (prose, repetition, sub-headings) judge it too; pass
    False for text the clerk typed.
    """
    from gkassist.checks import check_report
    from gkassist.checks.engine import narrative_rule_codes

    draft = with_section(report, section_id, text)
    findings = check_report(draft, codes=narrative_rule_codes(), sections={section_id}, candidate=candidate)
    return [f for f in findings if f.location.section == section_id]


def rejections(findings: list[Finding]) -> list[Finding]:
    """The findings that make a candidate no draft at all: errors of the rules marked
    ``rejects_draft`` (the prompt echoed, not prose, repeated sentences, missing sub-headings)."""
    from gkassist.checks.rulebook import load_specs

    specs = load_specs()
    return [f for f in findings if f.severity == "error" and f.code in specs and specs[f.code].rejects_draft]


def blocking(findings: list[Finding]) -> list[Finding]:
    """Findings that call for a re-ask (errors and warnings; info is advice only)."""
    return [f for f in findings if f.severity in ("error", "warning")]
