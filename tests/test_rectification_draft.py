"""五's 上年度问题整改情况: last year's problems as problems, and only what the clerk entered about each."""

from __future__ import annotations

from gkassist.drafting import draft_section
from gkassist.drafting.inputs import section_highlights
from gkassist.drafting.validate import section_findings
from gkassist.last_year.problems import problem_clause
from gkassist.last_year.rectifications import last_year_problems, rectification_items
from gkassist.model import Rectification, Report

LAST_S5 = (
    "（一）存在的主要问题\n"
    "一是本局政府信息公开工作取得了新的进展，但主动公开的及时性还不够；"
    "二是政策解读形式单一，2023年仅发布解读3篇；三是加强队伍建设。\n"
    "（二）改进措施\n下一步，本局将加强培训。"
)


def _report(rectifications: list[Rectification] | None = None) -> Report:
    last = Report.new("某市某局", 2023)
    last.sections["s5"] = LAST_S5
    report = Report.new("某市某局", 2024)
    report.last_year = last
    report.rectifications = rectifications or []
    return report


def test_problem_clause_drops_praise_figures_and_lead_words() -> None:
    assert problem_clause("工作取得了新的进展，但主动公开的及时性还不够") == "主动公开的及时性还不够"
    assert problem_clause("政策解读形式单一，2023年仅发布解读3篇") == "政策解读形式单一"
    assert problem_clause("但也存在公开信息深度有待提升等问题") == "公开信息深度有待提升"
    assert problem_clause("存在的主要问题：队伍建设有待加强") == "队伍建设有待加强"


def test_measures_listed_as_items_are_not_problems() -> None:
    assert last_year_problems(LAST_S5) == ["主动公开的及时性还不够", "政策解读形式单一"]


def test_nothing_entered_lists_the_problems_claims_nothing_and_says_so() -> None:
    draft = draft_section(_report(), "s5", "template").result
    part1 = draft.text.split("（二）")[0]
    assert "主动公开的及时性还不够" in part1 and "取得了新的进展" not in part1
    for claim in ("已明确责任人", "总体良好", "整改到位", "已完成", "逐项落实"):
        assert claim not in draft.text
    assert any("上年问题「主动公开的及时性还不够」未填写整改情况" in n for n in draft.notes)
    assert any("上年问题「政策解读形式单一」未填写整改情况" in n for n in draft.notes)


def test_entered_rectification_is_written_and_only_for_its_problem() -> None:
    entered = Rectification(problem="主动公开的及时性还不够", measures="建立信息发布提醒机制", result="重点信息当日发布")
    draft = draft_section(_report([entered]), "s5", "template").result
    assert "针对“主动公开的及时性还不够”的问题，建立信息发布提醒机制；重点信息当日发布。" in draft.text
    assert not any("主动公开的及时性还不够" in n for n in draft.notes)
    assert any("政策解读形式单一" in n for n in draft.notes)


def test_a_problem_the_clerk_entered_beyond_last_years_text_is_kept() -> None:
    extra = Rectification(problem="信息公开指南更新不及时", result="已于6月更新指南")
    items = rectification_items(_report([extra]))
    assert [i.problem for i in items][-1] == "信息公开指南更新不及时"


def test_stored_reports_without_rectifications_still_load() -> None:
    data = Report.new("某局", 2024).model_dump(mode="json")
    data.pop("rectifications")
    assert Report.model_validate(data).rectifications == []


def test_the_invented_claim_of_the_issue_is_a_warning_on_a_draft() -> None:
    """The model's 五 of the issue: "已明确责任人和整改时限…整改情况总体良好" with nothing entered."""
    text = (
        "（一）上年度问题整改情况\n对照上年度报告查找的问题，我局已明确责任人和整改时限，整改情况总体良好。\n"
        "（二）存在的主要问题\n一是公开平台功能有待完善。\n（三）改进措施\n下一步，我局将加强培训。"
    )
    r2 = [f for f in section_findings(_report(), "s5", text) if f.code == "R2"]
    assert len(r2) == 1 and r2[0].severity == "warning"
    assert "总体良好" in r2[0].message and "「主动公开的及时性还不够」" in r2[0].message
    assert r2[0].location.section == "s5" and text[r2[0].location.start : r2[0].location.end] == "总体良好"
    # once the clerk entered a result for every problem, the same sentence has its basis
    entered = [
        Rectification(problem="主动公开的及时性还不够", result="重点信息当日发布"),
        Rectification(problem="政策解读形式单一", result="推出图解解读"),
    ]
    assert not [f for f in section_findings(_report(entered), "s5", text) if f.code == "R2"]


def test_template_drafts_claim_nothing_whatever_was_entered() -> None:
    for entered in ([], [Rectification(problem="主动公开的及时性还不够", measures="建立提醒机制")]):
        result = draft_section(_report(entered), "s5", "template").result
        assert not [f for f in result.findings if f.code == "R2"], result.text


def test_the_prompt_of_five_names_problems_and_only_what_was_entered() -> None:
    entered = Rectification(problem="主动公开的及时性还不够", measures="建立信息发布提醒机制")
    highlights = section_highlights(_report([entered]), "s5")
    assert highlights["上年问题一"] == "问题：主动公开的及时性还不够。整改措施：建立信息发布提醒机制"
    assert highlights["上年问题二"].startswith("问题：政策解读形式单一。未填写整改情况")
    assert not any("取得了新的进展" in v for v in highlights.values())


def test_each_problem_without_entries_has_its_own_address_and_acknowledgement() -> None:
    """R1 points at one entry of 上年问题整改情况 each: acknowledging one problem leaves the others open."""
    from gkassist.checks.engine import check_report
    from gkassist.findings import parse_address
    from gkassist.ui.findings_view import open_warnings, where_to_fix  # what the 校验与导出 page lists

    report = _report()
    r1 = [f for f in check_report(report) if f.code == "R1"]
    assert len(r1) >= 2
    addresses = [f.location.address for f in r1]
    assert len(set(addresses)) == len(addresses)
    assert all(parse_address(a) == f.location for a, f in zip(addresses, r1, strict=True))
    assert "上年问题整改情况第1项" in where_to_fix(r1[0]) and "工作亮点" in where_to_fix(r1[0])
    from gkassist.acknowledgements import acknowledge

    assert acknowledge(report, r1[0], "已核实")
    still_open = {f.location.address for f in open_warnings(report, check_report(report)) if f.code == "R1"}
    assert still_open == set(addresses[1:])
