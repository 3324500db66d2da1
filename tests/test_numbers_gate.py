"""No wrong number through the gate (issue 11): counts below zero, labelled counts of declared
figures, whole-set claims limited by a condition, fee amounts, signed changes, and foreign digits
in every string of the report outside the narrative.

The numeral forms themselves and the property tests are in test_numbers_forms.py.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gkassist.checks import check_report
from gkassist.drafting.validate import section_findings
from gkassist.examples import load_example
from gkassist.findings import Finding
from gkassist.grounding import classify_report
from gkassist.model import DeclaredFigure, ExtraRow, Report


def _report(s1: str | None = None, *, last_new: int | None = None) -> Report:
    report = load_example("example-2021")
    if s1 is not None:
        report.sections["s1"] = s1
    if last_new is not None:
        last = load_example("example-2021")
        last.meta.year -= 1
        last.table("s3").set("new", "total", str(last_new))
        report.last_year = last
    return report


def _in_s1(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code and f.location.section == "s1"]


# ---------------------------------------------------------------- counts below zero


@pytest.mark.parametrize(
    "text",
    ["全年开展专项检查-3次。", "被申请行政复议负四件。", "共发放宣传资料－20份。", "本年度受理群众来信−5封。"],
)
def test_a_count_below_zero_is_an_error_even_when_nothing_says_what_it_counts(text: str) -> None:
    found = _in_s1(check_report(_report(text)), "X1")
    assert [f.severity for f in found] == ["error"], [f.message for f in found]
    assert "是负数" in found[0].message and "不会小于零" in found[0].message
    assert [f for f in section_findings(_report(), "s1", text) if f.code == "X1"] == found  # so does the drafter's


def test_a_count_below_zero_of_a_table_quantity_says_what_the_table_holds() -> None:
    found = _in_s1(check_report(_report("本年度共收到政府信息公开申请-30件。")), "X1")
    assert len(found) == 1 and "应为30件" in found[0].message


@pytest.mark.parametrize(
    "text",
    ["行政许可事项本年增/减-3项。", "规范性文件数量变化-2件。", "本年度收到政府信息公开申请较上年-5件。", "净减-4个。"],
)
def test_a_signed_change_is_no_count(text: str) -> None:
    found = check_report(_report(text))
    assert _in_s1(found, "X1") == [], [f.message for f in found]


@pytest.mark.parametrize(("text", "ok"), [("较上年-5件", True), ("较上年-6件", False), ("同比-14.3%", True), ("同比-50%", False)])
def test_a_signed_change_is_checked_against_last_year(text: str, ok: bool) -> None:
    report = _report(f"本年度收到政府信息公开申请{text}。", last_new=35)
    claims = [c for c in classify_report(report, exempt=False) if c.section == "s1"]
    assert [(c.form, c.kind) for c in claims] == [("change", "matched" if ok else "mismatched")]


def test_a_yearly_change_without_last_year_is_an_honest_warning() -> None:
    found = [f for f in section_findings(_report(), "s1", "本年度收到政府信息公开申请较上年-5件。") if f.code.startswith("X")]
    assert [(f.code, f.severity) for f in found] == [("X8", "warning")] and "没有上年报告" in found[0].message


# ---------------------------------------------------------------- labelled counts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（一）主动公开\n主动公开政府信息：9999条", "356条"),
        ("（一）主动公开\n政策解读：9999篇", "18篇"),
        ("（五）监督保障\n政府信息公开培训：9999次", "4次"),
        ("| 政策解读 | 9999篇 |", "18篇"),
        ("（二）依申请公开\n1. 新收申请：9999件\n2. 上年结转：3件", "30件"),
        ("（二）依申请公开\n- 办结：9999件\n- 予以公开：15件", "30件"),
        ("申请数量：9999件", "30件"),
    ],
)
def test_a_labelled_count_is_checked_like_a_sentence(text: str, expected: str) -> None:
    found = _in_s1(check_report(_report(text)), "X1")
    assert [f.severity for f in found] == ["error"], [f.message for f in found]
    assert f"应为{expected}" in found[0].message


def test_a_labelled_count_that_agrees_raises_nothing() -> None:
    text = "（一）主动公开\n主动公开政府信息：356条\n政策解读：18篇\n（五）监督保障\n政府信息公开培训：4次"
    assert [f.message for f in check_report(_report(text)) if f.location.section == "s1"] == []


# ---------------------------------------------------------------- whole-set claims


@pytest.mark.parametrize(
    "text",
    [
        "本年度共收到政府信息公开申请30件，对属于公开范围的，全部予以公开。",
        "本年度共收到政府信息公开申请30件，依法应当公开的全部予以公开。",
        "共办结申请30件，对申请公开的信息，能公开的全部予以公开。",
        "本年度共收到政府信息公开申请30件，除涉及国家秘密的外，全部予以公开。",
        "本年度主动公开政府信息356条，全部予以公开。",  # 主动公开 has no outcome
        "本年制发行政规范性文件5件，均予以公开。",
    ],
)
def test_a_whole_set_claim_about_the_cases_meeting_a_condition_is_no_figure(text: str) -> None:
    report = _report(text)
    assert [c.text for c in classify_report(report) if c.section == "s1" and c.form == "whole"] == []
    assert [f for f in check_report(report) if f.severity == "error"] == []


@pytest.mark.parametrize(
    "text",
    [
        "本年度共收到政府信息公开申请30件，全部予以公开。",
        "本年度因政府信息公开被申请行政复议4件，均获支持。",
        "本年度因政府信息公开被提起行政诉讼3件，全部败诉。",
        "行政诉讼全部败诉。",
    ],
)
def test_a_whole_set_claim_the_tables_contradict_is_an_error(text: str) -> None:
    found = _in_s1(check_report(_report(text)), "X1")
    assert [f.severity for f in found] == ["error"], [f.message for f in found]


# ---------------------------------------------------------------- fees


@pytest.mark.parametrize("text", ["收取信息处理费9999万元", "本年度收取信息处理费9999元。", "本年度收取信息处理费壹万元。",
                                  "本年度收取信息处理费九千九百九十九万元。"])
@pytest.mark.parametrize("declared", [Decimal(0), Decimal(3940)])
def test_a_fee_contradicting_the_declared_fee_is_an_error(text: str, declared: Decimal) -> None:
    report = _report()
    report.declared.append(DeclaredFigure(label="收取信息处理费", value=declared, unit="元"))
    found = [f for f in section_findings(report, "s6", text) if f.code == "X1"]
    assert [f.severity for f in found] == ["error"] and f"应为{declared}元" in found[0].message


def test_a_fee_that_agrees_with_the_declared_fee_in_another_unit_raises_nothing() -> None:
    report = _report()
    report.declared.append(DeclaredFigure(label="信息处理费", value=Decimal(3940), unit="元"))
    found = section_findings(report, "s6", "（一）信息处理费收取情况\n本年度共向申请人发出信息处理费收费通知1份，收取信息处理费0.394万元。")
    assert [f.message for f in found if f.code.startswith("X")] == []


def test_an_amount_of_table_two_fees_is_checked_against_table_two() -> None:
    found = _in_s1(check_report(_report("本年度行政事业性收费9999万元。")), "X1")
    assert [f.severity for f in found] == ["error"] and "应为0.5万元" in found[0].message


# ---------------------------------------------------------------- foreign digits outside the narrative


def test_foreign_digits_in_a_header_unit_an_extra_row_and_the_opening_are_errors() -> None:
    report = _report()
    report.table("s2").column_units["fee_amount_wan"] = "单位：١万元"
    report.table("s2").extra_rows.append(ExtraRow(parent="licensing", label="行政检查（第٢类）"))
    report.meta.opening = "根据《条例》要求，现公布本局٢٠٢٤年度报告。"
    found = [f for f in check_report(report) if f.code == "X10"]
    places = sorted(f.location.describe() for f in found)
    assert len(found) == 3 and all(f.severity == "error" for f in found), places
    assert any("本年收费金额" in p for p in places) and any("行政检查" in p for p in places)
    assert any(p.startswith("开头段落") for p in places)


# ---------------------------------------------------------------- any mix of numeral characters


_NUMERAL_ALPHABET = ("0123456789٠١٢３４.．,，%％-－−负正零〇一二两三四五六七八九十百千万亿壹贰叁伍陆拾佰仟萬①⑨⑴⒈❶㈠ⅠⅨⅻIVXMC"
                     "件条元万元余多几近数上逾约左右以上：:|\n。；，（）()申请行政复议公开诉讼全部败诉均获支持予以同比增长较上年增/减占的")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_NUMERAL_ALPHABET, max_size=80))
def test_any_mix_of_numeral_characters_is_checked_without_a_crash(text: str) -> None:
    findings = check_report(_report(text))
    assert all(f.severity in ("error", "warning", "info") and f.message for f in findings)
