"""N3: a year other than the report year where a clause states the year's work.

N2 (an error) catches the section that opens with another year and "2023年，我局…". N3 (a
warning) reads the opening paragraph and sections 一、五、六, drafted or typed, for a year that
opens a clause and is followed by what it did: "。2023年，共收到申请…", "2023年全年…",
"2023年昌江区工业和信息化局…". Real reports name other years legitimately, and none of these
opens such a clause: last year's report or problems ("针对2023年度报告中提出的问题"), a
period ("自2019年以来"), a law (《条例》(2019年修订)), last year's accounts ("2023年政府决算"),
a date ("截至2025年1月22日", "2022年7月正式开通"), next year's plan ("2025年，我局将…").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gkassist.checks.registry import implements, make_finding, section_scope
from gkassist.checks.spec import RuleSpec
from gkassist.checks.text_rules import N2_SECTIONS, n2_year_matches
from gkassist.findings import Finding, Location
from gkassist.model import NARRATIVE_SECTIONS, Report
from gkassist.names import OPENING

# A clause opens at the start of the text, after a sentence or clause break, or after a
# sub-heading marker such as （一）.
_CLAUSE_START = "。；;！？!?\n：:，,）)"
_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年(度)?")
_PLAN = re.compile(r"\s*[,，]?\s*(?:我|本)?\S{0,3}?(?:将|拟|计划|准备|力争|要)")


def _opens_clause(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t\u3000")
    return not before or before[-1] in _CLAUSE_START


def _states_work(text: str, end: int, agency: str, subjects: tuple[str, ...]) -> bool:
    """What follows the year is its work: a comma, a subject (我局, 本机关, the agency) or 全年/共…"""
    rest = text[end : end + 40].lstrip(" \t\u3000")
    if rest[:1] in ("，", ","):
        rest = rest[1:].lstrip(" \t\u3000")
        return not re.match(r"\d|[一二三四五六七八九十]+月", rest)  # "2023年，1月…" reads as a date
    return any(rest.startswith(s) for s in subjects) or bool(agency and rest.startswith(agency))


def _sections(report: Report) -> Iterator[tuple[str, str]]:
    """(section id, text) of the narrative parts N3 reads, within this run's scope."""
    scope = section_scope()
    if report.meta.opening and (scope is None or "opening" in scope):
        yield OPENING, report.meta.opening
    for sid in NARRATIVE_SECTIONS:
        if scope is None or sid in scope:
            yield sid, report.section(sid)


def other_year_claims(text: str, year: int, agency: str, subjects: tuple[str, ...]) -> Iterator[re.Match[str]]:
    """Years other than ``year`` that open a clause stating that year's work."""
    for m in _YEAR.finditer(text):
        found = int(m.group(1))
        if found == year or not _opens_clause(text, m.start()):
            continue
        if found > year and _PLAN.match(text, m.end(), m.end() + 10):
            continue
        if _states_work(text, m.end(), agency, subjects):
            yield m


@implements("N3", phrases=("subjects",))
def n3_other_year_claims(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    year = report.meta.year
    subjects = spec.phrases["subjects"]
    for sid, text in _sections(report):
        n2_spans = {m.start(1) for m, _ in n2_year_matches(text, year)} if sid in N2_SECTIONS else set()
        for m in other_year_claims(text, year, report.meta.agency or "", subjects):
            if m.start(1) in n2_spans:  # already an N2 error
                continue
            context = text[max(0, m.start() - 12) : m.end() + 16].replace("\n", " ")
            yield make_finding(
                spec, Location(section=sid, start=m.start(1), end=m.end()), found=m.group(1), year=year, context=context
            )
