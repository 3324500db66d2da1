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
from gkassist.model import Rectification, Report

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


# What a clerk entered on the 工作亮点 page for each agency: highlights that repeat a table or
# declared figure (written once), matters for 六, and 整改措施/整改结果 for some of last year's
# problems only (the others are listed as problems, with no claim).
CLERK_INPUT: dict[str, tuple[dict[str, str], list[Rectification]]] = {
    "example-2021": (
        {
            "主动公开": "全年通过门户网站发布政策解读18篇，以图解、问答等形式解读重点政策。",
            "依申请公开": "本年度共收到政府信息公开申请30件，全部在法定期限内答复。",
            "人大代表建议和政协提案办理": "承办人大代表建议和政协委员提案，建议和提案办理复文按规定公开。",
        },
        [],
    ),
    "real-207": (
        {"年度工作要点落实情况": "对照本年度政务公开工作要点，逐项明确责任处室和完成时限。"},
        [
            Rectification(
                problem="处室主动公开意识有待加强",
                measures="组织各处室学习《条例》，将主动公开纳入处室年度考核",
                result="各处室均明确了信息公开联络员",
            )
        ],
    ),
    "real-211": (
        {"其他": "本年度组织开展“政府开放日”活动，邀请群众代表参观政务服务中心。"},
        [
            Rectification(
                problem="政务公开队伍建设还需进一步加强",
                measures="各单位明确专职政务公开工作人员",
            )
        ],
    ),
}


def _reports() -> dict[str, Report]:
    seed = import_file(SEED_TEXT).report
    assert seed is not None
    out = {"seed-2024": seed, "example-2021": load_example("example-2021")}
    out.update({key: _with_last_year(name) for key, name in LAST_YEARS.items()})
    for key, (highlights, rectifications) in CLERK_INPUT.items():
        out[key].highlights.update(highlights)
        out[key].rectifications = list(rectifications)
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
