"""R1: one of last year's problems has no 整改措施 or 整改结果 entered (the 工作亮点 page has a
pair of fields per problem). The rule reads the clerk's entries, not the text: a drafted 五
claims nothing about such a problem, so the check list is where the gap is said."""

from __future__ import annotations

from collections.abc import Iterator

from gkassist.checks.registry import implements, make_finding
from gkassist.checks.spec import RuleSpec
from gkassist.findings import Finding, Location
from gkassist.last_year.rectifications import entered_nothing, rectification_items
from gkassist.model import Report


@implements("R1", last_year=True)
def r1_rectification_not_entered(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    if report.last_year is None:
        return
    for number, item in enumerate(rectification_items(report), start=1):
        if entered_nothing(item):  # one address per problem: acknowledging one leaves the others open
            yield make_finding(spec, Location(field="rectifications", item=number), problem=item.problem)
