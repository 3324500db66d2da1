"""The real published reports of tests/fixtures/real, as portal HTML, an archive crawler's
plain text (digits run together), pdftotext output and a published PDF: every cell of
tables 三/四 comes through, no cell of table 二 is read wrong, the three narrative parts are
found, and no error is raised that the published report does not really have.

The expected cells are typed by hand from the published pages (NNN.cells.json); the
measurement is the one benchmarks/bench_corpus.py reports.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.bench_corpus import REAL_ERRORS
from gkassist.checks import check_report
from gkassist.importers import import_file
from tests.corpus import accuracy, load_expected, real_reports

REPORTS = real_reports()  # every form: .html, .txt, .pdf


def test_the_corpus_is_there() -> None:
    assert len(REPORTS) >= 12
    assert {p.suffix for p in REPORTS} == {".html", ".txt", ".pdf"}


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_no_false_error(path: Path) -> None:
    """Errors block publication: on a published report only its real errors (labels.json) may be errors."""
    report = import_file(path).report
    assert report is not None
    allowed = REAL_ERRORS.get(path.name.split(".")[0], frozenset())
    false = [f"{f.code} {f.message}" for f in check_report(report) if f.severity == "error" and f.code not in allowed]
    assert false == []


def test_the_real_table_error_is_still_found() -> None:
    """202 prints （七）总计 21 (自然人 20) while its outcome rows add up to 27 (26)."""
    report = import_file(next(p for p in REPORTS if p.name == "202.html")).report
    assert report is not None
    columns = {f.location.column for f in check_report(report) if f.code == "A2"}
    assert columns == {"natural", "total"}


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_tables_three_and_four_read_in_full(path: Path) -> None:
    report = import_file(path).report
    assert report is not None
    acc = accuracy(report, load_expected(path))
    assert acc.wrong == [] and acc.missing == [], (acc.wrong, acc.missing)


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_table_two_never_read_wrong(path: Path) -> None:
    """Table 二 has no identities to decide a run like '693665': such a row may stay blank
    (with a note), but a filled cell is always the printed one."""
    report = import_file(path).report
    assert report is not None
    acc = accuracy(report, load_expected(path), tables=("s2",))
    assert acc.wrong == []


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_narrative_parts_and_opening_found(path: Path) -> None:
    result = import_file(path)
    report = result.report
    assert report is not None
    assert all(report.sections.get(s, "").strip() for s in ("s1", "s5", "s6"))
    assert (report.meta.opening or "").startswith(("根据", "本报告"))  # not the page's breadcrumb or metadata
    assert not [f for f in check_report(report) if f.code == "F1"]
    assert report.meta.agency and report.meta.year
