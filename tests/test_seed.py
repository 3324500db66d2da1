"""The published seed report: import, check, re-render (golden file), every figure kept."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from gkassist.checks import check_report
from gkassist.examples import SEED_TEXT
from gkassist.export.markdown import render_markdown
from gkassist.importers import import_file
from gkassist.importers.markdown import import_markdown

GOLDEN = Path(__file__).parent / "golden" / "seed-2024-changjiang-gxj.md"
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def _seed_markdown() -> str:
    report = import_file(SEED_TEXT).report
    assert report is not None
    return render_markdown(report, status="draft", open_findings=check_report(report))


def test_seed_matches_golden_markdown() -> None:
    # Regenerate after an intended change:  python -c "from tests.test_seed import regenerate; regenerate()"
    assert _seed_markdown() == GOLDEN.read_text(encoding="utf-8")


def regenerate() -> None:
    GOLDEN.write_text(_seed_markdown(), encoding="utf-8")


def _table_numbers_in_seed() -> Counter[str]:
    text = SEED_TEXT.read_text(encoding="utf-8")
    tables = text[text.index("二、主动公开政府信息情况") : text.index("五、存在的主要问题及改进情况")]
    tokens = [t.strip() for line in tables.splitlines() for t in line.split("|")]
    return Counter(t for t in tokens if _NUMBER.match(t))


def _table_numbers_in_export(markdown: str) -> Counter[str]:
    body = markdown[markdown.index("## 二、主动公开政府信息情况") : markdown.index("## 五、存在的主要问题及改进情况")]
    cells = [c.strip() for line in body.splitlines() if line.startswith("| ") for c in line.strip("| ").split(" | ")[1:]]
    return Counter(c for c in cells if _NUMBER.match(c))


def test_every_table_figure_of_the_original_is_in_the_export() -> None:
    original = _table_numbers_in_seed()
    assert sum(original.values()) > 200
    assert _table_numbers_in_export(_seed_markdown()) == original


def test_seed_narrative_kept_and_round_trips() -> None:
    report = import_file(SEED_TEXT).report
    assert report is not None
    assert "发布各类信息76条" in report.section("s1")
    assert "信息处理费" in report.section("s6")
    back = import_markdown(render_markdown(report)).report
    assert back is not None and back.model_dump() == report.model_dump()


def test_seed_findings() -> None:
    """The seed is a 2024 report drawn with the 2019 table 二: F2 is a real error; no arithmetic errors."""
    report = import_file(SEED_TEXT).report
    assert report is not None
    errors = {f.code for f in check_report(report) if f.severity == "error"}
    assert errors == {"F2"}
