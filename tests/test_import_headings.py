"""Part headings as published: variant and misprinted titles, titles without numbers,
headings inside running text, sub-parts numbered like parts, parts whose heading was lost;
and the page furniture around a crawled page (metadata block, breadcrumbs, a signature run
into the last paragraph), and text hard-wrapped by a PDF converter."""

from __future__ import annotations

import random
from datetime import date

import pytest

from gkassist.checks import check_report
from gkassist.importers import ImportResult, import_text
from gkassist.model import Report
from tests import synthetic as sy

T = sy.example_tables()
S3 = sy.print_pipes(T)
S4 = sy.print_s4_row(T)
SUB_PARTS = "\n".join(
    [
        "一、主动公开情况",
        "全年主动公开信息120条。",
        "二、依申请公开情况",
        "收到申请5件。",
        "三、政府信息管理情况",
        "加强管理。",
        "四、平台建设情况",
        "优化网站。",
        "五、监督保障情况",
        "开展检查。",
        "六、其他工作",
        "无。",
    ]
)


def _import(text: str) -> tuple[ImportResult, Report]:
    result = import_text(text)
    assert result.report is not None
    return result, result.report


def _tables_read(report: Report) -> bool:
    return sy.cells_of(report, "s3") == sy.expected_s3(T) and sy.cells_of(report, "s4")["cases"] == sy.expected_s4(T)


def _sections_complete(report: Report) -> bool:
    return (report.sections.get("s1"), report.sections.get("s5"), report.sections.get("s6")) == (sy.S1, sy.S5, sy.S6)


def _f1(report: Report) -> list[str]:
    return [f.message for f in check_report(report) if f.code == "F1"]


@pytest.mark.parametrize(
    "headings",
    [
        {"s5": "五、存在的主要问题及整改措施"},
        {"s5": "五、存在的主要问题和改进情况"},
        {"s5": "五、存在的主要问题及明年工作计划"},
        {"s5": "五、存在的主要问题及下一步工作打算"},
        {"s4": "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况"},
        {k: "  " + v for k, v in sy.HEADINGS.items()},
        {k: f"**{v}**" for k, v in sy.HEADINGS.items()},
    ],
    ids=["整改措施", "和改进情况", "明年工作计划", "下一步工作打算", "alias", "indented", "bold"],
)
def test_variant_titles(headings: dict[str, str]) -> None:
    result, report = _import(sy.report(S3, S4, headings=headings))
    assert _sections_complete(report) and _tables_read(report)
    assert not any("未找到“" in d.message for d in result.diagnostics)
    assert not _f1(report)


def test_misprinted_title_matched_by_similarity_with_a_note() -> None:
    result, report = _import(sy.report(S3, S4, headings={"s4": "四、政府信息公开行政法复议、行政诉讼情况"}))
    assert _tables_read(report) and _sections_complete(report)
    note = next(d for d in result.diagnostics if d.where == "四、政府信息公开行政复议、行政诉讼情况")
    assert "“四、政府信息公开行政法复议、行政诉讼情况”" in note.message


def test_titles_without_numbers() -> None:
    result, report = _import(sy.report(S3, S4, headings={k: v[2:] for k, v in sy.HEADINGS.items()}))
    assert _sections_complete(report) and _tables_read(report)
    assert sum("没有序号" in d.message for d in result.diagnostics) == 6


def test_sub_parts_numbered_like_parts_stay_in_part_one() -> None:
    text = sy.report(S3, S4).replace(sy.S1, sy.S1 + "\n" + SUB_PARTS)
    _, report = _import(text)
    assert report.sections["s1"] == sy.S1 + "\n" + SUB_PARTS
    assert _tables_read(report) and report.sections["s5"] == sy.S5


def test_a_sub_part_repeating_a_part_title_does_not_take_the_table() -> None:
    extra = "二、主动公开政府信息情况\n全年主动公开信息120条。"
    _, report = _import(sy.report(S3, S4).replace(sy.S1, sy.S1 + "\n" + extra))
    assert report.sections["s1"] == sy.S1 + "\n" + extra
    assert _tables_read(report)


def test_contents_list_in_the_opening_is_not_the_parts() -> None:
    listing = "本报告包括：" + "；".join(sy.HEADINGS.values()) + "。"
    _, report = _import(sy.report(S3, S4).replace(sy.OPENING, sy.OPENING + listing))
    assert _sections_complete(report) and _tables_read(report)
    assert listing in (report.meta.opening or "")


@pytest.mark.parametrize("sep", ["", " ", "\n"])
def test_headings_inside_running_text(sep: str) -> None:
    rng = random.Random(5)
    text = sy.report(sy.print_crawler(T, rng), sy.print_s4_row(T, rng), sep=sep, s2=sy.S2_RUN)
    result, report = _import(text)
    assert _sections_complete(report) and _tables_read(report)
    assert not _f1(report)
    assert not any(d.where and "总体情况" in d.where for d in result.diagnostics)


def test_lost_headings_of_parts_five_and_six_found_by_content() -> None:
    result, report = _import(sy.report(S3, S4, headings={"s5": "", "s6": ""}) + "\n某市某局\n2025年1月20日")
    assert _sections_complete(report)
    assert report.meta.publication_date == date(2025, 1, 20)
    notes = [d for d in result.diagnostics if "根据内容" in d.message]
    assert [d.where for d in notes] == ["五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert not _f1(report)


def test_a_lost_table_heading_is_found_by_the_table_labels() -> None:
    result, report = _import(sy.report(S3, S4, headings={"s3": ""}))
    assert _tables_read(report)
    assert any("已根据表格栏目定位表三" in d.message for d in result.diagnostics)


def test_f1_still_fires_when_a_part_is_really_absent() -> None:
    text = sy.report(S3, S4, headings={"s5": ""}).replace(sy.S5 + "\n", "")
    _, report = _import(text)
    assert "s5" not in report.sections
    assert any("五、存在的主要问题及改进情况" in m for m in _f1(report))


# ---------------------------------------------------------------------------- page furniture

CRAWLED = "\n".join(
    [
        "标题: 某县财政局2024年度政府信息公开工作年度报告",
        "发布时间: 2025-01-23 16:43",
        "文号: ",
        "原文链接: https://www.example.gov.cn/xxgk/t20250123_1.htm",
        "==================== 正文 ====================",
        "当前位置： 首页政务公开年报 某县财政局2024年度政府信息公开工作年度报告 来源：县财政局 微信 微博 全真版 相关链接： -->"
        + sy.OPENING
        + "一、总体情况"
        + sy.S1
        + "二、主动公开政府信息情况"
        + sy.S2_RUN
        + "三、收到和处理政府信息公开申请情况"
        + sy.print_crawler(T, random.Random(1))
        + "四、政府信息公开行政复议、行政诉讼情况"
        + sy.print_s4_row(T, random.Random(2))
        + "五、存在的主要问题及改进情况"
        + sy.S5
        + "六、其他需要报告的事项"
        + sy.S6
        + " 某县财政局 2025年1月22日 附件下载",
    ]
)


def test_crawled_page_metadata_breadcrumb_and_signature() -> None:
    _, report = _import(CRAWLED)
    meta = report.meta
    assert (meta.agency, meta.year) == ("某县财政局", 2024)
    assert meta.opening == sy.OPENING
    assert meta.publication_date == date(2025, 1, 22)  # the signed date, not the page's
    assert report.sections["s6"] == sy.S6
    assert _tables_read(report)


@pytest.mark.parametrize(
    ("closing", "six"),
    [
        (" 某县财政局2025年1月22日 附件下载", sy.S6),  # the date printed against the signature
        (" 某县财政局 2025年1月22日 某县财政局办公室 2025年1月22日印发 附件下载", sy.S6),  # issuing note
        (" 某县财政局 2025年1月22日 （联系人：王某，联系方式：0591-1234567） 附件下载", sy.S6),  # drafter
        (" 某县财政局 2025年1月22 日 某县财政局办公室 2025年1月22日印发", sy.S6),
    ],
    ids=["glued", "issuing-note", "contact", "spaced-day"],
)
def test_closing_furniture_after_the_signature(closing: str, six: str) -> None:
    _, report = _import(CRAWLED.replace(" 某县财政局 2025年1月22日 附件下载", closing))
    assert report.meta.publication_date == date(2025, 1, 22)
    assert report.sections["s6"] == six
    assert not [f for f in check_report(report) if f.code == "N2"]  # the next year's date is the signature's


def test_a_one_word_part_six_run_into_the_signature_stays() -> None:
    text = CRAWLED.replace(sy.S6 + " 某县财政局 2025年1月22日", "无某县财政局 2025年1月22日")
    _, report = _import(text)
    assert report.meta.publication_date == date(2025, 1, 22)
    assert report.sections["s6"] == "无"
    assert not _f1(report)


def test_page_date_used_when_the_report_has_no_signature() -> None:
    _, report = _import(CRAWLED.replace(" 某县财政局 2025年1月22日", ""))
    assert report.meta.publication_date == date(2025, 1, 23)
    assert report.sections["s6"] == sy.S6


def test_hard_wrapped_paragraphs_are_rejoined() -> None:
    para = "本报告由某市人民政府办公室根据《中华人民共和国政府信息公开条例》规定编制。报告所列统计期限自2024年1月1日至2024年12月31日。如对本报告有疑问，请与某市人民政府办公室联系（地址：某市人民路1号，邮编：223001）。"
    body = "2024年，我市坚持以习近平新时代中国特色社会主义思想为指导，认真学习宣传贯彻党的二十大精神，按照决策部署和工作要求，严格落实各项规定，圆满完成了各项任务，全年主动公开信息5500余条。"

    def wrapped(text: str, indent: str = "   ") -> list[str]:
        return [indent + text[:28], *(text[i : i + 28] for i in range(28, len(text), 28))]

    lines = ["某市人民政府2024年政府信息公开工作年度报告", *wrapped(para), "   一、总体情况", *wrapped(body), "", "-1-"]
    lines += ["   二、主动公开政府信息情况", sy.S2, "   三、收到和处理政府信息公开申请情况", S3]
    _, report = _import("\n".join(lines))
    assert report.meta.opening == para
    assert report.meta.contact.address == "某市人民路1号"
    assert report.sections["s1"] == body
