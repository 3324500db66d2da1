"""Numbers in the narrative, checked against the tables and the declared figures.

X1: a number (or a zero in words, or 均获维持) that differs from the quantity its phrase names.
X2: a share or year-on-year percentage that differs from the one recomputed from the tables.
X8: a number that nothing supports (no table quantity, no declared figure): a warning.
X10: digits no reader can check (٣٠, ३०, 𝟑𝟎: any but ASCII and full-width), wherever they appear.

The classification itself lives in gkassist.grounding; the three rules share one run per
report (registry.shared: computed once per check run).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from gkassist.checks.registry import compose_finding, implements, make_finding, section_scope, shared
from gkassist.checks.spec import RuleSpec
from gkassist.findings import Finding, Location
from gkassist.grounding.classify import NumberClaim, classify_report, narrative_sections
from gkassist.grounding.numerals import FOREIGN_DIGIT_RE, digits_to_decimal
from gkassist.layouts import TableLayout
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


@implements("X1", cases=("negative",))
def x1_mismatched_number(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    for claim in claims_for(report):
        if (claim.kind == "mismatched" and claim.form in ("count", "zero", "whole")) or (
            claim.kind == "mismatched" and claim.form == "change" and claim.unit != "%"
        ):
            # a count below zero that nothing is compared with (收到申请-30件): wrong by itself
            negative = claim.form == "count" and claim.expected is None and claim.value is not None and claim.value < 0
            yield compose_finding(spec, _location(claim), _values(claim), case="negative" if negative else None)


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


@implements("X10")
def x10_foreign_digits(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    scope = section_scope()
    for sid, _, text in narrative_sections(report):
        if scope is None or sid in scope:
            for m in FOREIGN_DIGIT_RE.finditer(text):
                loc = Location(section=sid, start=m.start(), end=m.end())
                yield make_finding(spec, loc, **_digit_values(m.group(), text, m.start(), m.end()))
    if scope is not None:
        return  # re-checking one drafted section: only its text
    for text, place in _other_texts(report):
        found = FOREIGN_DIGIT_RE.search(text) if not text.isascii() else None
        if found is not None:  # one finding per cell or name
            yield make_finding(spec, place(), **_digit_values(found.group(), text, found.start(), found.end()))


def _digit_values(written: str, text: str, start: int, end: int) -> dict[str, object]:
    context = text[max(0, start - 12) : end + 12].replace("\n", " ")
    return {"written": written, "value": digits_to_decimal(written), "context": context}


def _other_texts(report: Report) -> Iterator[tuple[str, Callable[[], Location]]]:
    """Every typed or imported string outside the narrative, with a way to say where it is (made only for
    the few strings flagged: this runs on every check): cells, extra rows' labels, units in headers, names
    of declared figures and highlights, the agency's name and contact."""
    for table_id, table in report.tables.items():
        layout = report.layout_of(table_id)
        cell = partial(Location, format=layout.format, table=layout.id)
        # nearly every cell is ASCII: one pass to find the others
        odd = [(row_id, col_id, c.raw) for row_id, cells in table.cells.items() for col_id, c in cells.items()
               if not c.raw.isascii()]
        for row_id, col_id, raw in odd:
            yield raw, partial(cell, row=row_id, column=col_id)
        for extra in table.extra_rows:
            for col_id, c in extra.cells.items():
                yield c.raw, partial(cell, row=extra.parent, sub_row=extra.label, column=col_id)
            yield extra.label, partial(cell, row=extra.parent, sub_row=extra.label)
        for col_id, unit in table.column_units.items():  # a unit printed in a header (单位：万元)
            yield unit, partial(_column_location, layout, col_id)
    for d in report.declared:
        yield f"{d.label} {d.unit}", partial(Location, field="declared")
    for name, text in report.highlights.items():
        yield f"{name} {text}", partial(Location, field="highlights")
    meta = report.meta
    yield meta.agency, partial(Location, field="agency")
    contact = meta.contact
    yield (" ".join(v for v in (contact.office, contact.address, contact.postcode, contact.phone) if v),
           partial(Location, field="contact"))


def _column_location(layout: TableLayout, col_id: str) -> Location:
    """The column of a header unit; the table when the id names no column of its layout."""
    if any(c.id == col_id for b in layout.blocks for c in b.columns):
        return Location(format=layout.format, table=layout.id, column=col_id)
    return Location(table=layout.id)
