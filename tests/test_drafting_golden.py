"""Golden files for the template drafter: the seed and a report with non-zero tables.

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


def _reports() -> dict[str, Report]:
    seed = import_file(SEED_TEXT).report
    assert seed is not None
    return {"seed-2024": seed, "example-2021": load_example("example-2021")}


def _draft(report: Report, sid: str) -> str:
    result = draft_section(report, sid, "template").result
    assert result.findings == [], [f.message for f in result.findings]
    return result.text + "\n"


CASES = [(name, sid) for name in ("seed-2024", "example-2021") for sid in SECTIONS]


@pytest.mark.parametrize(("name", "sid"), CASES)
def test_template_draft_matches_golden(name: str, sid: str) -> None:
    report = _reports()[name]
    assert _draft(report, sid) == (GOLDEN / f"{name}-{sid}.txt").read_text(encoding="utf-8")


def regenerate() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    reports = _reports()
    for name, sid in CASES:
        (GOLDEN / f"{name}-{sid}.txt").write_text(_draft(reports[name], sid), encoding="utf-8")
