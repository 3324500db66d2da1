"""六、其他需要报告的事项: the information-processing fee, then a sub-heading per matter the clerk
gave material for (年度工作要点落实情况, 人大代表建议和政协提案办理, 其他), and nothing for a matter
without material."""

from __future__ import annotations

import itertools
import re

import pytest

from gkassist.drafting import draft_section
from gkassist.drafting.inputs import section_highlights
from gkassist.examples import load_example
from gkassist.model import Report
from gkassist.names import other_matters

MATERIAL = {
    "年度工作要点落实情况": "对照年度政务公开工作要点，逐项落实重点领域信息公开任务。",
    "人大代表建议和政协提案办理": "建议和提案办理复文按规定公开。",
    "其他": "组织开展“政府开放日”活动。",
}
TITLES = {"年度工作要点落实情况": "年度工作要点落实情况", "人大代表建议和政协提案办理": "人大代表建议和政协提案办理", "其他": "其他事项"}


def _report(year: int = 2024) -> Report:
    report = load_example("example-2021")
    report.meta.year = year
    return report


def _headings(text: str) -> list[str]:
    return re.findall(r"^（([一二三四五六])）(.+)$", text, re.M)


@pytest.mark.parametrize(
    "given", [c for k in range(len(MATERIAL) + 1) for c in itertools.combinations(other_matters(), k)]
)
def test_each_matter_appears_only_with_material(given: tuple[str, ...]) -> None:
    report = _report()
    report.highlights.update({m: MATERIAL[m] for m in given})
    result = draft_section(report, "s6", "template").result
    assert result.findings == [], [f.message for f in result.findings]
    heads = _headings(result.text)
    assert heads[0] == ("一", "信息处理费收取情况")
    if given:
        assert [h for _n, h in heads[1:]] == [TITLES[m] for m in other_matters() if m in given]
        for m in given:
            assert MATERIAL[m] in result.text
        assert "无其他需要报告的事项" not in result.text
    else:
        assert heads[1:] == [("二", "其他事项")] and "无其他需要报告的事项" in result.text
    assert [n for n, _h in heads] == list("一二三四")[: len(heads)]  # numbered without a gap


def test_a_matter_whose_only_sentence_is_left_out_leaves_no_empty_heading() -> None:
    report = _report()
    report.highlights["年度工作要点落实情况"] = "全年完成工作要点任务37项。"  # a figure declared nowhere
    report.highlights["其他"] = MATERIAL["其他"]
    result = draft_section(report, "s6", "template").result
    assert [h for _n, h in _headings(result.text)] == ["信息处理费收取情况", "其他事项"]
    assert "年度工作要点落实情况" not in result.text
    assert any("37" in o.reason_zh for o in result.omissions)


def test_before_the_fee_regime_only_the_matters_are_written() -> None:
    report = _report(2019)
    report.highlights["其他"] = MATERIAL["其他"]
    text = draft_section(report, "s6", "template").result.text
    assert _headings(text) == [("一", "其他事项")] and "信息处理费" not in text


def test_the_prompt_of_six_gets_the_matters_only() -> None:
    report = _report()
    report.highlights.update({"主动公开": "全年主动公开信息。", "其他": MATERIAL["其他"]})
    assert section_highlights(report, "s6") == {"其他": MATERIAL["其他"]}
