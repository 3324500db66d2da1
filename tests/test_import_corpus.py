"""The real published reports of tests/fixtures/real, as portal HTML and as an archive
crawler's plain text (digits run together): every cell of tables 三/四 comes through, no
cell of table 二 is read wrong, and the three narrative parts are found.

The expected cells are typed by hand from the published pages (NNN.cells.json); the
measurement is the one benchmarks/bench_corpus.py reports.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gkassist.checks import check_report
from gkassist.importers import import_file
from tests.corpus import accuracy, load_expected, real_reports

TEXT_AND_HTML = [p for p in real_reports() if p.suffix in (".txt", ".html")]  # PDFs: tests of the PDF importer


def test_the_corpus_is_there() -> None:
    assert len(TEXT_AND_HTML) >= 10


@pytest.mark.parametrize("path", TEXT_AND_HTML, ids=lambda p: p.name)
def test_tables_three_and_four_read_in_full(path: Path) -> None:
    report = import_file(path).report
    assert report is not None
    acc = accuracy(report, load_expected(path))
    assert acc.wrong == [] and acc.missing == [], (acc.wrong, acc.missing)


@pytest.mark.parametrize("path", TEXT_AND_HTML, ids=lambda p: p.name)
def test_table_two_never_read_wrong(path: Path) -> None:
    """Table 二 has no identities to decide a run like '693665': such a row may stay blank
    (with a note), but a filled cell is always the printed one."""
    report = import_file(path).report
    assert report is not None
    acc = accuracy(report, load_expected(path), tables=("s2",))
    assert acc.wrong == []


@pytest.mark.parametrize("path", TEXT_AND_HTML, ids=lambda p: p.name)
def test_narrative_parts_and_opening_found(path: Path) -> None:
    result = import_file(path)
    report = result.report
    assert report is not None
    assert all(report.sections.get(s, "").strip() for s in ("s1", "s5", "s6"))
    assert (report.meta.opening or "").startswith(("根据", "本报告"))  # not the page's breadcrumb or metadata
    assert not [f for f in check_report(report) if f.code == "F1"]
    assert report.meta.agency and report.meta.year
