"""A candidate must be report prose (P1–P4) and name the report year (N3): built from what small
models really wrote, and never raised against the sections of real published reports."""

from __future__ import annotations

from functools import cache

import pytest

from gkassist.checks import check_report
from gkassist.drafting.facts import build_facts, facts_block
from gkassist.drafting.inputs import last_year_text, prompt_values, section_highlights
from gkassist.drafting.prompts import list_prompts, prompt_for_section
from gkassist.drafting.template import template_text
from gkassist.drafting.validate import rejections, section_findings
from gkassist.examples import SEED_TEXT, load_example
from gkassist.findings import Finding
from gkassist.importers import import_file
from gkassist.model import Report, SectionId
from tests.corpus import real_reports

PROSE_CODES = {"P1", "P2", "P3", "P4"}
AGENCY = "昌江区工业和信息化局"

# What SmolLM2-135M wrote for 一、总体情况 (issue 13): numbered lines with only years in them.
NUMBERED_NONSENSE = (
    "1. 2024年昌江区工业和信息化局的确定，制订实际上是启进了新航行\n"
    "2. 2024年昌江区工业和信息化局的确定，制订实际上是启进了新航行的方向\n"
    "3. 2024年的开始，实际上是新的航行了\n"
    "4. 2023年的确定，2024年的制订实际上是一个美好的时候"
)


def _report(agency: str = AGENCY) -> Report:
    report = load_example("example-2021")
    report.meta.agency = agency
    return report


def _candidate(sid: SectionId, text: str, report: Report | None = None) -> list[Finding]:
    return section_findings(report or _report(), sid, text)


def _codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


@cache
def _real() -> list[tuple[str, Report]]:
    out = []
    for path in real_reports():
        if path.suffix == ".pdf":  # 211.txt is the same report
            continue
        report = import_file(path).report
        assert report is not None, path.name
        out.append((path.name, report))
    return out


# ---------------------------------------------------------------- real reports are never rejected


def test_real_published_sections_are_never_rejected_as_drafts() -> None:
    """Every 一、五、六 of the real corpus, judged as if a model had written it: no rejection."""
    judged = []
    for name, report in _real():
        for sid in ("s1", "s5", "s6"):
            text = report.section(sid)  # type: ignore[arg-type]
            if not text.strip():
                continue
            judged.append((name, sid))
            rejected = rejections(section_findings(report, sid, text))  # type: ignore[arg-type]
            assert not rejected, (name, sid, [f.message for f in rejected])
    assert len(judged) >= 25 and {sid for _, sid in judged} == {"s1", "s5", "s6"}


def test_real_reports_raise_no_prose_or_year_finding_as_typed_text() -> None:
    reports = _real()
    assert reports
    for name, report in reports:
        found = [f for f in check_report(report) if f.code in PROSE_CODES | {"N3"}]
        assert not found, (name, [f.message for f in found])


@pytest.mark.parametrize("base", ["example-2021", "example-2019", "seed"])
@pytest.mark.parametrize("sid", ["s1", "s5", "s6"])
def test_template_drafts_are_prose(base: str, sid: SectionId) -> None:
    report = import_file(SEED_TEXT).report if base == "seed" else load_example(base)
    assert report is not None
    found = [f for f in _candidate(sid, template_text(report, sid), report) if f.code in PROSE_CODES | {"N3"}]
    assert not [f for f in found if f.severity == "error"], [f.message for f in found]
    assert not rejections(found)


# ---------------------------------------------------------------- P2 not prose


@pytest.mark.parametrize(
    "text",
    [
        NUMBERED_NONSENSE,
        NUMBERED_NONSENSE.replace("\n", "。"),  # the same as one paragraph
        "2024年，昌江区工业和信息化局的确定，制订实际上是启进了新航行，我们的航行是一个新的开始，也是一个美好的时候。"
        "他们在这里的时候，我们一起去看看吧，天气很好，大家都很开心。",
        "In 2024, the bureau did a lot of work on information disclosure and published 356 items on its website.",
    ],
)
def test_nonsense_is_rejected_with_a_chinese_reason(text: str) -> None:
    found = rejections(_candidate("s1", text))
    assert "P2" in _codes(found)
    p2 = next(f for f in found if f.code == "P2")
    assert "不能采用" in p2.message and "模板草稿" in p2.message


def test_the_agency_name_does_not_make_nonsense_on_topic() -> None:
    """工业和信息化局 contains 信息: the name alone must not pass a nonsense sentence."""
    assert "P2" in _codes(_candidate("s5", NUMBERED_NONSENSE))
    other = _report("某某市生态环境局")
    text = NUMBERED_NONSENSE.replace(AGENCY, "某某市生态环境局")
    assert "P2" in _codes(_candidate("s5", text, other))


def test_typed_text_is_not_judged_by_the_drafts_only_rules() -> None:
    report = _report()
    report.sections["s1"] = NUMBERED_NONSENSE
    assert not _codes(check_report(report)) & {"P2", "P3", "P4"}
    assert not _codes(section_findings(report, "s1", NUMBERED_NONSENSE, candidate=False)) & {"P2", "P3", "P4"}


# ---------------------------------------------------------------- P1 the prompt echoed


def _rendered_prompt(sid: SectionId) -> tuple[str, str]:
    report = load_example("example-2021")
    values = prompt_values(report, sid, last_year_text(report, sid), section_highlights(report, sid))
    return prompt_for_section(sid).render(values)


@pytest.mark.parametrize("sid", ["s1", "s5", "s6"])
def test_every_prompt_echoed_back_is_rejected(sid: SectionId) -> None:
    system, human = _rendered_prompt(sid)
    for echo in (system, human, f"{system}\n{human}"):
        assert "P1" in _codes(rejections(_candidate(sid, echo))), echo[:40]


def test_every_prompt_file_instruction_is_known_to_p1() -> None:
    """Each prompt's system and human text, on its own, is caught: P1's phrases follow prompts/."""
    prompts = list_prompts()
    assert prompts
    for spec in prompts:
        for part in (spec.system, spec.human, spec.reask):
            assert "P1" in _codes(_candidate("s6", part.replace("{", "").replace("}", ""))), (spec.id, part[:30])


def test_the_facts_block_echoed_is_rejected() -> None:
    block = facts_block(build_facts(load_example("example-2021")))
    assert "P1" in _codes(rejections(_candidate("s6", block)))
    # the data lines alone, every figure right, still are no prose
    lines = "\n".join(line for line in block.splitlines() if line.startswith("- "))
    assert "P1" in _codes(_candidate("s1", lines))


def test_echo_in_typed_text_is_found_too() -> None:
    report = _report()
    report.sections["s6"] = "本年度未收取信息处理费。\n写作要求：只写正文。"
    assert "P1" in _codes(check_report(report))


# ---------------------------------------------------------------- P3 repeated lines, P4 sub-headings

GOOD_S1 = (
    "2024年，昌江区工业和信息化局认真贯彻落实《条例》，扎实推进政府信息公开工作。\n"
    "（一）主动公开\n全年主动公开政府信息356条。\n"
    "（二）依申请公开\n本年度共收到政府信息公开申请30件。\n"
    "（三）政府信息管理\n严格执行保密审查制度。\n"
    "（四）政府信息公开平台建设\n持续优化政府信息公开专栏。\n"
    "（五）监督保障\n组织政府信息公开培训4次。"
)


def test_a_good_candidate_has_no_prose_finding() -> None:
    assert not _codes(_candidate("s1", GOOD_S1)) & PROSE_CODES


def test_a_model_looping_on_a_line_is_rejected() -> None:
    looped = GOOD_S1 + "\n组织政府信息公开培训4次。\n组织政府信息公开培训4次。"
    found = [f for f in rejections(_candidate("s1", looped)) if f.code == "P3"]
    assert len(found) == 1 and "共出现3次" in found[0].message
    start, end = found[0].location.start, found[0].location.end
    assert start is not None and looped[start:end] == "组织政府信息公开培训4次"


def test_missing_sub_headings() -> None:
    one_paragraph = GOOD_S1.replace("\n（", "（").replace("）\n", "）").replace("（一）", "").replace("（二）", "")
    flat = "2024年，昌江区工业和信息化局扎实推进政府信息公开工作，全年主动公开政府信息356条，工作规范有序开展。"
    assert "P4" in _codes(rejections(_candidate("s1", flat)))
    partial = [f for f in _candidate("s1", one_paragraph) if f.code == "P4"]
    assert partial and all(f.severity == "warning" for f in partial)  # named, not headed: re-asked, not rejected
    assert "“主动公开”" in partial[0].message and "“监督保障”" not in partial[0].message


# ---------------------------------------------------------------- N3 another year


def test_another_year_in_a_drafted_section_is_a_warning() -> None:
    text = GOOD_S1.replace("全年主动公开政府信息356条。", "2023年，全年主动公开政府信息356条。")
    found = [f for f in _candidate("s1", text) if f.code == "N3"]
    assert [(f.values["found"], f.severity) for f in found] == [("2023", "warning")]
    start = found[0].location.start
    assert start is not None and text[start : start + 4] == "2023"


def test_another_year_is_flagged_once_where_n2_already_has_it() -> None:
    text = "2023年，我局认真贯彻落实条例。" + GOOD_S1.split("\n", 1)[1]
    found = _candidate("s1", text)
    assert [f.code for f in found if f.code in ("N2", "N3")] == ["N2"]


@pytest.mark.parametrize(
    "sentence",
    [
        "针对2023年度报告中提出的问题，我局逐项整改。",
        "2023年度报告中提出的问题已全部整改。",
        "自2019年以来，持续推进政务公开。",
        "认真贯彻落实《中华人民共和国政府信息公开条例》（2019年修订）。",
        "公开了2024年政府预算、2023年政府决算。",
        "截至2025年1月22日，累计发送信息1315条。",
        "2022年7月正式开通官方微信公众号。",
        "2025年，我局将进一步优化平台功能。",
        "2025年，将重点从以下方面做好改进。",
        "较2023年上升1.14个百分点。",
        "结转至2025年6件。",
    ],
)
def test_other_years_real_reports_mention_are_not_flagged(sentence: str) -> None:
    assert "N3" not in _codes(_candidate("s5", f"（一）存在的主要问题\n一是平台功能有待完善。\n（二）改进措施\n{sentence}"))
