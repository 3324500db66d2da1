"""Rules that compare the narrative with last year's report (need ``report.last_year``).

X6: a section copies last year's text (雷同 share over the threshold in rules/compare.yaml).
X9: none of the problems listed in last year's 五 is mentioned in this year's 五, and there is
    not even a general statement that they were rectified (the 对照上年 page still lists each
    problem as not named).
The cross-year table identities (A6, C2, D3) are declarative (rules/checks/*.yaml).
"""

from __future__ import annotations

from collections.abc import Iterator

from gkassist.checks.registry import implements, make_finding, section_scope
from gkassist.checks.spec import RuleSpec
from gkassist.findings import Finding, Location
from gkassist.last_year.config import compare_config
from gkassist.last_year.problems import extract_problems, names_a_problem, problem_clause, problem_status
from gkassist.last_year.similarity import percent, section_similarity
from gkassist.model import Report


@implements("X6", last_year=True)
def x6_copied_text(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    last = report.last_year
    if last is None:
        return
    cfg = compare_config().similarity
    scope = section_scope()
    for sid in cfg.sections:
        if scope is not None and sid not in scope:
            continue
        result = section_similarity(last, report, sid)
        if result.over_threshold:
            yield make_finding(
                spec, Location(section=sid), score=percent(result.score), threshold=percent(cfg.warn_share)
            )


@implements("X9", last_year=True)
def x9_last_year_problems(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    last = report.last_year
    if last is None or not report.section("s5").strip():
        return
    problems = extract_problems(last.section("s5"))
    if not problems:
        return
    status = problem_status(problems, report.section("s5"))
    if not any(s.addressed for s in status):  # a general "问题已整改" sentence names none of them
        named = [p for p in problems if names_a_problem(p) and len(problem_clause(p)) >= 6] or problems  # not 存在问题 or measures
        listed = "；".join(f"“{p}”" for p in named)
        yield make_finding(spec, Location(section="s5"), problems=listed)
