"""上年问题整改情况: last year's problems, each with what the clerk entered about it.

The problems are those of last year's 五 (found as rule X9 finds them, reduced to the clause
that names the problem); the clerk's entries (``Report.rectifications``) are matched to them by
text. Read by the template drafter, the rules R1 and R2 and the 工作亮点 page.
"""

from __future__ import annotations

from gkassist.last_year.problems import last_year_problems
from gkassist.model import Rectification, Report


def same_problem(a: str, b: str) -> bool:
    a, b = a.strip().rstrip("。；;"), b.strip().rstrip("。；;")
    return bool(a and b) and (a in b or b in a)


def rectification_items(report: Report) -> list[Rectification]:
    """Last year's problems, each with what the clerk entered about it (empty fields when nothing);
    problems the clerk entered that last year's text does not name come after."""
    last = report.last_year
    text = last.section("s5") if last is not None else ""
    named = last_year_problems(text) if text.strip() else []
    entered = [r for r in report.rectifications if r.problem.strip()]
    items: list[Rectification] = []
    for problem in named:
        match = next((r for r in entered if same_problem(r.problem, problem)), None)
        items.append(
            Rectification(problem=problem, measures=match.measures, result=match.result)
            if match
            else Rectification(problem=problem)
        )
    for r in entered:
        if not any(same_problem(r.problem, i.problem) for i in items):
            items.append(r)
    return items


def entered_nothing(item: Rectification) -> bool:
    return not item.measures.strip() and not item.result.strip()


def set_rectification(report: Report, problem: str, measures: str, result: str) -> bool:
    """Store what the clerk entered about one problem (an entry with both fields empty is removed);
    True when the report changed."""
    problem = problem.strip()
    kept = [r for r in report.rectifications if not same_problem(r.problem, problem)]
    entry = Rectification(problem=problem, measures=measures.strip(), result=result.strip())
    new = kept if entered_nothing(entry) else [*kept, entry]
    if new == report.rectifications:
        return False
    report.rectifications = new
    return True
