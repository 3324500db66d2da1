"""Golden files for the template drafter: three agencies' inputs — the seed, the bundled example,
and two real published reports (tests/fixtures/real) each used as last year's report of its
agency, so 五 names real problems from last year's text.

Regenerate after an intended wording change:
    python -c "from tests.test_drafting_golden import regenerate; regenerate()"
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gkassist.drafting import draft_section
from gkassist.examples import SEED_TEXT, load_example
from gkassist.importers import import_file
from gkassist.model import Report

GOLDEN = Path(__file__).parent / "golden" / "drafts"
SECTIONS = ("s1", "s5", "s6")


REAL = Path(__file__).parent / "fixtures" / "real"
LAST_YEARS = {"real-207": "207.txt", "real-211": "211.txt"}


def _with_last_year(name: str) -> Report:
    """This year's report of the agency of a real report: the real report's tables and highlights
    carried into the next year, its text as last year's report."""
    last = import_file(REAL / name).report
    assert last is not None
    this = Report.new(last.meta.agency, last.meta.year + 1, last.meta.format)
    for table_id, table in last.tables.items():
        this.tables[table_id] = table.model_copy(deep=True)
    this.last_year = last
    return this


def _reports() -> dict[str, Report]:
    seed = import_file(SEED_TEXT).report
    assert seed is not None
    out = {"seed-2024": seed, "example-2021": load_example("example-2021")}
    out.update({key: _with_last_year(name) for key, name in LAST_YEARS.items()})
    return out


def _draft(report: Report, sid: str) -> str:
    result = draft_section(report, sid, "template").result
    assert result.findings == [], [f.message for f in result.findings]
    return result.text + "\n"


CASES = [(name, sid) for name in ("seed-2024", "example-2021", *LAST_YEARS) for sid in SECTIONS]


@pytest.mark.parametrize(("name", "sid"), CASES)
def test_template_draft_matches_golden(name: str, sid: str) -> None:
    report = _reports()[name]
    assert _draft(report, sid) == (GOLDEN / f"{name}-{sid}.txt").read_text(encoding="utf-8")


def regenerate() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    reports = _reports()
    for name, sid in CASES:
        (GOLDEN / f"{name}-{sid}.txt").write_text(_draft(reports[name], sid), encoding="utf-8")
