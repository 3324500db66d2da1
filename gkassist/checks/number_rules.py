"""Numbers in the narrative, checked against the tables and the declared figures.

X1: a number (or a zero in words, or 均获维持) that differs from the quantity its phrase names.
X2: a share or year-on-year percentage that differs from the one recomputed from the tables.
X8: a number that nothing supports (no table quantity, no declared figure): a warning.

The classification itself lives in gkassist.grounding; the three rules share one run per
report (registry.shared: computed once per check run).
"""

from __future__ import annotations

from collections.abc import Iterator

from gkassist.checks.registry import implements, make_finding, section_scope, shared
from gkassist.checks.spec import RuleSpec
from gkassist.findings import Finding, Location
from gkassist.grounding.classify import NumberClaim, classify_report
from gkassist.model import Report


def claims_for(report: Report) -> list[NumberClaim]:
    """classify_report without the exempt numbers, computed once per check run (X1, X2 and X8 all need it)."""
    scope = section_scope()
    return list(
        shared(f"number-claims:{id(report)}", lambda: classify_report(report, exempt=False, sections=scope))
    )


def _location(claim: NumberClaim) -> Location:
    return Location(section=claim.section, start=claim.start, end=claim.end)


def _values(claim: NumberClaim) -> dict[str, object]:
    expected = "" if claim.expected is None else _plain(claim)
    return {
        "sentence": claim.sentence,
        "written": claim.text,
        "quantity": claim.quantity or "",
        "expected": expected,
        "cells": "、".join(claim.cells) if claim.cells else "",
        "basis": claim.basis,
        "source": "已申报数字" if claim.basis.startswith("已申报") else "表格",
        "evidence": claim.evidence,
    }


def _plain(claim: NumberClaim) -> str:
    assert claim.expected is not None
    text = format(claim.expected, "f")
    if "." in text and claim.form not in ("share", "change"):
        text = text.rstrip("0").rstrip(".")
    unit = "%" if claim.unit == "%" else claim.unit
    return f"{text}{unit}"


@implements("X1")
def x1_mismatched_number(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    for claim in claims_for(report):
        if (claim.kind == "mismatched" and claim.form in ("count", "zero", "upheld")) or (
            claim.kind == "mismatched" and claim.form == "change" and claim.unit != "%"
        ):
            yield make_finding(spec, _location(claim), **_values(claim))


@implements("X2")
def x2_wrong_share(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    for claim in claims_for(report):
        if claim.kind == "mismatched" and (claim.form == "share" or (claim.form == "change" and claim.unit == "%")):
            yield make_finding(spec, _location(claim), **_values(claim))


@implements("X8")
def x8_ungrounded_number(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    for claim in claims_for(report):
        if claim.kind == "ungrounded":
            values = _values(claim)
            values["reason"] = claim.evidence
            yield make_finding(spec, _location(claim), **values)
