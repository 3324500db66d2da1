"""Test doubles: a local OpenAI-compatible server (llm_server) and report builders (below)."""

from __future__ import annotations

from decimal import Decimal

from gkassist.examples import load_example
from gkassist.model import DeclaredFigure, Report

OUTCOME_ROWS_2021 = [
    "r_open",
    "r_partial",
    "r_deny_1",
    "r_deny_2",
    "r_deny_3",
    "r_deny_4",
    "r_deny_5",
    "r_deny_6",
    "r_deny_7",
    "r_deny_8",
    "r_unable_1",
    "r_unable_2",
    "r_unable_3",
    "r_noproc_1",
    "r_noproc_2",
    "r_noproc_3",
    "r_noproc_4",
    "r_noproc_5",
    "r_other_1",
    "r_other_2",
    "r_other_3",
]
OUTCOME_ROWS_2019 = [r for r in OUTCOME_ROWS_2021 if not r.startswith("r_other")] + ["r_other"]
ORG_COLS = ("biz", "research", "public_welfare", "legal_service", "other_org")


def _set_row(report: Report, row: str, natural: int, orgs: tuple[int, ...] = (0, 0, 0, 0, 0)) -> None:
    t = report.table("s3")
    t.set(row, "natural", natural)
    for col, v in zip(ORG_COLS, orgs, strict=True):
        t.set(row, col, v)
    t.set(row, "total", natural + sum(orgs))


def make_report(
    base: str = "example-2021",
    *,
    agency: str | None = None,
    year: int | None = None,
    new: tuple[int, tuple[int, ...]] = (20, (5, 1, 1, 1, 2)),
    carried_in: int = 3,
    outcomes: dict[str, int] | None = None,
    carried_out: int | None = None,
    review: tuple[int, int, int, int] = (2, 1, 0, 1),
    direct: tuple[int, int, int, int] = (1, 0, 0, 1),
    after: tuple[int, int, int, int] = (1, 0, 0, 0),
    declared: list[tuple[str, str, str]] | None = None,
    highlights: dict[str, str] | None = None,
    last_year_s5: str | None = None,
    sections: dict[str, str] | None = None,
) -> Report:
    """A report built from a bundled example with the given figures; table 三 and 四 balance.

    ``outcomes`` maps outcome rows to counts (all in the 自然人 column); by default everything
    received is answered (予以公开) except ``carried_out`` (default: equals ``carried_in``).
    """
    r = load_example(base)
    if agency is not None:
        r.meta.agency = agency
    if year is not None:
        r.meta.year = year
    rows = OUTCOME_ROWS_2021 if r.meta.format == "gk2021" else OUTCOME_ROWS_2019
    natural, orgs = new
    received = natural + sum(orgs) + carried_in
    out = carried_in if carried_out is None else carried_out
    if outcomes is None:
        outcomes = {"r_open": received - out}
    t = r.table("s3")
    t.cells = {}
    _set_row(r, "new", natural, orgs)
    _set_row(r, "carried_in", carried_in)
    for row in rows:
        _set_row(r, row, outcomes.get(row, 0))
    _set_row(r, "r_total", sum(outcomes.values()))
    _set_row(r, "carried_out", out)
    s4 = r.table("s4")
    for prefix, values in (("review", review), ("direct", direct), ("after", after)):
        for suffix, v in zip(("upheld", "corrected", "other", "pending"), values, strict=True):
            s4.set("cases", f"{prefix}_{suffix}", v)
        s4.set("cases", f"{prefix}_total", sum(values))
    if declared is not None:
        r.declared = [DeclaredFigure(label=lbl, value=Decimal(v), unit=u) for lbl, v, u in declared]
    if highlights is not None:
        r.highlights = highlights
    if last_year_s5 is not None:
        last = load_example(base)
        last.meta.year = r.meta.year - 1
        last.sections = {"s5": last_year_s5}
        r.last_year = last
    if sections is not None:
        r.sections = dict(sections)  # type: ignore[arg-type]
    return r
