"""Numbers in the narrative, checked against the tables and the declared figures.

X1: a number (or a zero in words, or 均获维持) that differs from the quantity its phrase names.
X2: a share or year-on-year percentage that differs from the one recomputed from the tables.
X8: a number that nothing supports (no table quantity, no declared figure): a warning.

The classification itself lives in gkassist.grounding; the three rules share one run per
report (cached on the report's content, so the engine's three calls classify once).
"""

from __future__ import annotations

from collections.abc import Iterator

from gkassist.checks.registry import implements, make_finding
from gkassist.checks.spec import RuleSpec
from gkassist.findings import Finding, Location
from gkassist.grounding.classify import NumberClaim, classify_report
from gkassist.model import Report

_last: list[tuple[tuple[object, ...], list[NumberClaim]]] = []  # one (fingerprint, claims) entry


def _fingerprint(report: Report) -> tuple[object, ...]:
    tables = tuple(
        (tid, t.layout, tuple((r, c, cell.raw) for r, cols in t.cells.items() for c, cell in cols.items()),
         tuple(sorted(t.column_units.items())))
        for tid, t in report.tables.items()
    )
    last = _fingerprint(report.last_year) if report.last_year is not None else None
    return (
        report.meta.format, report.meta.opening, tuple(sorted(report.sections.items())),
        tuple((d.label, d.value, d.unit) for d in report.declared), tables, last,
    )


def claims_for(report: Report) -> list[NumberClaim]:
    """classify_report, remembered for the last report seen (the engine asks three times)."""
    key = _fingerprint(report)
    entry = _last[0] if _last else None  # read once: another thread may replace it
    if entry is not None and entry[0] == key:
        return list(entry[1])
    claims = classify_report(report)
    _last[:] = [(key, claims)]
    return list(claims)


def _location(claim: NumberClaim) -> Location:
    return Location(section=claim.section_title, start=claim.start, end=claim.end)


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
