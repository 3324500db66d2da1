"""Runs every rule on a report and returns all findings at once (never stops at the first).

Rules come from rules/checks/*.yaml. A spec with an ``identity`` is evaluated by
identities.py; any other spec must be implemented by a function registered with
``@implements(code)`` in one of RULE_MODULES. New code rules (e.g. narrative number
grounding) go in a new module listed here.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from gkassist.checks import identities
from gkassist.checks.registry import IMPLEMENTATIONS, NEEDS, check_run, checking_candidate
from gkassist.checks.rulebook import load_specs
from gkassist.checks.spec import RuleSpec
from gkassist.findings import Finding, sort_findings
from gkassist.model import Report

RULE_MODULES = (
    "gkassist.checks.cell_rules",
    "gkassist.checks.structure_rules",
    "gkassist.checks.text_rules",
    "gkassist.checks.number_rules",
    "gkassist.checks.cross_year_rules",
    "gkassist.checks.prose_rules",
    "gkassist.checks.year_rules",
    "gkassist.checks.rectification_rules",
    "gkassist.checks.claim_rules",
)
# Modules whose rules read the narrative: a drafted section only needs these re-run.
NARRATIVE_RULE_MODULES = frozenset(
    {
        "gkassist.checks.text_rules",
        "gkassist.checks.number_rules",
        "gkassist.checks.cross_year_rules",
        "gkassist.checks.prose_rules",
        "gkassist.checks.year_rules",
        "gkassist.checks.claim_rules",
    }
)


def _load_modules() -> None:
    for name in RULE_MODULES:
        importlib.import_module(name)


def active_specs() -> list[RuleSpec]:
    """Every rule spec, after checking that each code rule has an implementation and vice versa."""
    _load_modules()
    specs = load_specs()
    if _CHECKED.get("specs") is not specs:  # checked once per loaded rule set, not on every check
        _check_implementations(specs)
        _CHECKED["specs"] = specs
    return list(specs.values())


_CHECKED: dict[str, dict[str, RuleSpec]] = {}


def _check_implementations(specs: dict[str, RuleSpec]) -> None:
    missing = [c for c, s in specs.items() if s.identity is None and c not in IMPLEMENTATIONS]
    orphans = [c for c in IMPLEMENTATIONS if c not in specs]
    if missing or orphans:
        raise RuntimeError(f"rules without implementation: {missing}; implementations without spec: {orphans}")
    for code, (cases, phrases, last_year) in NEEDS.items():
        spec = specs[code]
        if cases != set(spec.cases) or not phrases <= set(spec.phrases) or last_year != spec.reads_last_year:
            raise RuntimeError(
                f"rule {code}: the code raises cases {sorted(cases)}, reads phrases {sorted(phrases)} and "
                f"{'reads' if last_year else 'does not read'} last year's report; its rule file declares cases "
                f"{sorted(spec.cases)}, phrases {sorted(spec.phrases)} and reads_last_year: {spec.reads_last_year}"
            )


def narrative_rule_codes() -> set[str]:
    """Codes of the rules that look at narrative text (placeholders, numbers, fees, 雷同 …)."""
    active_specs()
    return {code for code, fn in IMPLEMENTATIONS.items() if fn.__module__ in NARRATIVE_RULE_MODULES}


def table_rule_codes(table: str | None = None) -> set[str]:
    """Codes of the rules that read only the tables and the meta data (everything not narrative);
    with ``table`` (s2/s3/s4), without the arithmetic identities of the other tables."""
    narrative = narrative_rule_codes()
    return {
        spec.code
        for spec in active_specs()
        if spec.code not in narrative and (table is None or spec.identity is None or spec.identity.table == table)
    }


def run_rule(report: Report, spec: RuleSpec) -> list[Finding]:
    if report.meta.format not in spec.formats and not spec.identity:
        return []
    if spec.drafts_only and not checking_candidate():
        return []
    if spec.min_year is not None and report.meta.year < spec.min_year:
        return []
    if spec.identity is not None:
        return list(identities.evaluate(report, spec))
    return list(IMPLEMENTATIONS[spec.code](report, spec))


def check_report(
    report: Report, codes: set[str] | None = None, sections: Iterable[str] | None = None, candidate: bool = False
) -> list[Finding]:
    """All findings of the rules in ``codes`` (default: all). ``sections`` (s1, s5, s6, opening)
    limits what the narrative-number and 雷同 rules read, for re-checking one drafted section;
    ``candidate``: those sections hold a drafter's candidate, so the drafts-only rules run too."""
    findings: list[Finding] = []
    with check_run(sections, candidate):
        for spec in active_specs():
            if codes is None or spec.code in codes:
                findings.extend(run_rule(report, spec))
    return sort_findings(findings)
