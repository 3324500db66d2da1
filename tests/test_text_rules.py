"""Formal text rules on prose shaped like real published reports: no false error on a
correct sentence, an error only on a definite problem (N1, N2, X4, X5)."""

from __future__ import annotations

import pytest

from gkassist.checks import active_specs
from gkassist.checks.engine import run_rule
from gkassist.examples import load_example
from gkassist.findings import Finding
from gkassist.model import Report

SPECS = {spec.code: spec for spec in active_specs()}


def _run(code: str, report: Report) -> list[Finding]:
    return run_rule(report, SPECS[code])


def _with(sections: dict[str, str] | None = None, opening: str | None = None, **cells: str) -> Report:
    report = load_example("example-2021")
    for sid, text in (sections or {}).items():
        report.sections[sid] = text  # type: ignore[index]
    report.meta.opening = opening
    for address, raw in cells.items():
        row, col = address.split("__")
        report.table("s3").set(row, col, raw)
    return report


# ---------------------------------------------------------------- N1 placeholders


@pytest.mark.parametrize(
    "opening",
    [
        "联系电话：0591-23165250；电子邮箱：pzxxgkb@163.com。",
        "电子邮箱：xxgk@example.gov.cn。",
        "本报告电子版可在门户网站（www.example.gov.cn/zwgk/zfxxgk/zfxxgknb/）下载。",
        "报告全文见 https://www.example.gov.cn/xxgk/index.html 。",
        "使用 Xxxbox 平台收集意见。",
    ],
)
def test_n1_ignores_x_runs_inside_addresses_and_latin_words(opening: str) -> None:
    assert not _run("N1", _with(opening=opening))


@pytest.mark.parametrize(
    ("opening", "found"),
    [
        ("本年度共收到申请XX件。", "XX"),
        ("统计期限为XXXX年1月1日至12月31日。", "XXXX"),
        ("截至XX.XX，共办理ｘｘ件。", "XX"),
        ("邮箱：xx@xx，电话：XXXX。", "XXXX"),
    ],
)
def test_n1_still_finds_placeholders(opening: str, found: str) -> None:
    assert found in [f.values["found"] for f in _run("N1", _with(opening=opening))]


# ---------------------------------------------------------------- N2 report year


@pytest.mark.parametrize(
    "text",
    [
        "2025年，我局将坚持以习近平新时代中国特色社会主义思想为指导，持续深化政务公开。",  # next year's plan
        "2024年，我局认真落实条例。2025年，本局计划进一步完善公开平台。",
        "根据《2023年政务公开工作要点》，2024年，我局扎实推进政务公开。",  # a year in a document title
    ],
)
def test_n2_accepts_plans_and_document_titles(text: str) -> None:
    assert not _run("N2", _with({"s1": text}))


def test_n2_still_finds_last_years_text() -> None:
    found = _run("N2", _with({"s1": "2024年，我局认真落实条例。2023年，我局共主动公开政府信息356条。"}))
    assert [f.values["found"] for f in found] == ["2023"]


# ---------------------------------------------------------------- X4 fee notices

LAPSED = {"r_other_2__other_org": "0", "r_other_2__natural": "2", "r_other_2__total": "2"}


def test_x4_notices_not_mentioned_is_a_warning() -> None:
    """Real reports often give only the fee amount: 206 says only 无收取信息处理费情况."""
    for text in ("2025年，无收取信息处理费情况。", "2024年，市政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费3940元。"):
        found = _run("X4", _with({"s6": text}, **LAPSED))
        assert [(f.severity, f.location.section) for f in found] == [("warning", "s6")]
        assert "没有提到发出收费通知" in found[0].message and "2件" in found[0].message


@pytest.mark.parametrize(
    "text",
    [
        "本年度未发出收费通知。",
        "本年度没有发出信息处理费收费通知，未收取信息处理费。",
        "本年度未向申请人发出收费通知书。",
        "全年无发放缴费通知的情况。",
        "本年度发出收费通知1份，未收取信息处理费。",  # fewer notices than lapsed applications
        "本年度共发出收费通知一份。",
    ],
)
def test_x4_contradiction_is_an_error(text: str) -> None:
    found = _run("X4", _with({"s6": text}, **LAPSED))
    assert found and all(f.severity == "error" for f in found)
    assert "两者矛盾" in found[0].message


@pytest.mark.parametrize(
    "text",
    [
        "本年度共发出收费通知2份，申请人均逾期未缴纳，未实际收取信息处理费。",
        "本年度受理申请30件，向2名申请人发出收费通知，申请人逾期未缴费。",
        "本年度发出收费通知书两份，申请人逾期未按收费通知要求缴纳费用。",
    ],
)
def test_x4_consistent_statements_pass(text: str) -> None:
    assert not _run("X4", _with({"s6": text}, **LAPSED))


def test_x4_needs_lapsed_applications() -> None:
    none_lapsed = {"r_other_2__other_org": "0", "r_other_2__total": "0"}
    assert not _run("X4", _with({"s6": "本年度未发出收费通知。"}, **none_lapsed))


# ---------------------------------------------------------------- X5 fee statement


@pytest.mark.parametrize(
    "text",
    [
        "2024年，无收取信息处理费情况。",
        "本年度未发生收费情况。",
        "本年度未收取任何费用。",
        "本机关不存在收费情况。",
        "本年度没有收取信息处理费。",
        "本年度未收取信息处理费。",
        "按照《国务院办公厅关于印发<政府信息公开信息处理费管理办法>的通知》国办函〔2020〕109号）规定的按件、按量收费标准，本年度没有产生信息公开处理费。",
        "全年收取政府信息公开信息处理费 3940 元。",
        "（一）信息处理费收取情况\n无。\n（二）其他事项\n无。",
        "本年度政府信息公开工作中，未向申请人\n收取任何费用。",
        "本年度收费金额为0元。",
    ],
)
def test_x5_accepts_any_explicit_fee_statement(text: str) -> None:
    assert not _run("X5", _with({"s6": text}))


@pytest.mark.parametrize(
    "text",
    [
        "无其他需要报告的事项。",
        "无。",
        "认真贯彻落实《政府信息公开信息处理费管理办法》，不断规范依申请公开工作。",
        "本年度收到申请10件，均已按时答复。",
    ],
)
def test_x5_still_requires_a_statement(text: str) -> None:
    found = _run("X5", _with({"s6": text}))
    assert [f.severity for f in found] == ["warning"]  # UNCONFIRMED official wording: a warning


def test_x5_starts_with_the_2021_report() -> None:
    """The fee measures took effect on 2021-01-01: a 2020 report's 六 may say just 无其他需要报告的事项."""
    report = load_example("example-2019")
    report.sections["s6"] = "无其他需要报告的事项"
    assert report.meta.year < 2021 and not _run("X5", report)


def test_n2_plan_words_need_a_later_year() -> None:
    """将/计划 only excuses a later year: last year's plan sentence copied into this report is still found."""
    found = _run("N2", _with({"s1": "2024年，我局认真落实条例。2023年，我局将继续完善平台。"}))
    assert [f.values["found"] for f in found] == ["2023"]
    assert [f.values["found"] for f in _run("N2", _with({"s1": "2025年，我局主要做好以下工作。"}))] == ["2025"]


def test_missing_section_six_is_reported_once_by_f1() -> None:
    report = _with({"s6": ""}, **LAPSED)
    assert not _run("X4", report) and not _run("X5", report)
    assert [f.location.section for f in _run("F1", report)] == ["s6"]
