"""The narrowed checks give the same answers as the full ones: classification without exempt
numbers or limited to some sections, and the drafted-section re-check."""

from __future__ import annotations

import pytest

from gkassist.checks import check_report
from gkassist.checks.engine import narrative_rule_codes
from gkassist.drafting.template import template_text
from gkassist.drafting.validate import section_findings, with_section
from gkassist.examples import SEED_TEXT, load_example
from gkassist.grounding import classify_report
from gkassist.importers import import_file
from gkassist.model import Report
from tests.corpus import PARTIAL

CORPUS = PARTIAL


def _reports() -> list[tuple[str, Report]]:
    out = [("seed", import_file(SEED_TEXT).report), ("example-2021", load_example("example-2021"))]
    for path in sorted(CORPUS.glob("P*.txt"))[:8]:
        out.append((path.stem, import_file(path).report))
    return [(name, r) for name, r in out if r is not None]


REPORTS = _reports()


def test_the_reports_are_there() -> None:
    """The seed, the example and eight partial reports, every one imported."""
    assert [name for name, _ in REPORTS][:2] == ["seed", "example-2021"] and len(REPORTS) == 10


@pytest.mark.parametrize(("name", "report"), REPORTS, ids=[n for n, _ in REPORTS])
def test_classification_without_exempt_numbers_drops_only_those(name: str, report: Report) -> None:
    full = classify_report(report)
    assert any(c.kind == "exempt" for c in full) or name.startswith("P")
    assert classify_report(report, exempt=False) == [c for c in full if c.kind != "exempt"]


@pytest.mark.parametrize(("name", "report"), REPORTS, ids=[n for n, _ in REPORTS])
def test_classification_of_some_sections_equals_the_full_run_filtered(name: str, report: Report) -> None:
    full = classify_report(report)
    for scope in ({"s1"}, {"s5", "s6"}, {"opening"}):
        assert classify_report(report, sections=scope) == [c for c in full if c.section in scope]


def _unscoped(report: Report, sid: str, text: str) -> list[object]:
    """The drafted-section check as it was before narrowing: every narrative rule on every section
    (every section judged as a candidate, as the drafted one is)."""
    draft = with_section(report, sid, text)  # type: ignore[arg-type]
    return [f for f in check_report(draft, codes=narrative_rule_codes(), candidate=True) if f.location.section == sid]


@pytest.mark.parametrize(("name", "report"), REPORTS[:2], ids=[n for n, _ in REPORTS[:2]])
@pytest.mark.parametrize("sid", ["s1", "s5", "s6"])
def test_drafted_section_check_equals_the_full_check_for_that_section(name: str, report: Report, sid: str) -> None:
    with_last = report.model_copy(update={"last_year": report.model_copy()})
    texts = [template_text(report, sid), report.section(sid), "2023年，本机关收到申请999件。XX"]  # type: ignore[arg-type]
    for candidate in (report, with_last):
        for text in texts:
            assert section_findings(candidate, sid, text) == _unscoped(candidate, sid, text)  # type: ignore[arg-type]
