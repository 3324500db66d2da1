"""Damaged tables as real reports publish them: delimiters that fix cell places, numbers run
together (archive crawlers), pdftotext -layout with wrapped and vertically set labels,
labels and numbers in separate blocks, 表四 in pieces, misprinted labels.

The rule under test everywhere: a cell is read right or left blank with a note quoting
what was printed; a number is never guessed into a cell.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gkassist.checks import check_report
from gkassist.importers import ImportResult, import_html, import_text
from gkassist.importers.scan import scan_line
from gkassist.importers.split import split_run
from gkassist.model import Report
from tests import synthetic as sy

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
A3 = (((6, 1), (0, -1), (1, -1), (2, -1), (3, -1), (4, -1), (5, -1)),)  # 总计 = the six applicant columns
COUNT7 = ["count"] * 7


def _report(result: ImportResult) -> Report:
    assert result.report is not None
    return result.report


def _messages(result: ImportResult) -> str:
    return "\n".join(d.message for d in result.diagnostics)


def _s3(text: str) -> dict[str, list[str]]:
    return sy.cells_of(_report(import_text(text)), "s3")


def _never_wrong(got: dict[str, list[str]], want: dict[str, list[str]]) -> int:
    """Every cell is right or blank; returns how many were left blank."""
    blank = 0
    for rid, cells in want.items():
        for g, w in zip(got[rid], cells, strict=True):
            assert g in (w, ""), (rid, got[rid], cells)
            blank += g != w
    return blank


# ---------------------------------------------------------------------------- delimiters


@pytest.mark.parametrize(
    "row",
    [
        "| 一、本年新收政府信息公开申请数量 | 3 |  |  |  |  |  |  |",
        "一、本年新收政府信息公开申请数量 | 3 |  |  |  |  |  |  |",
        "一、本年新收政府信息公开申请数量\t3\t\t\t\t\t\t",
    ],
)
def test_an_empty_cell_between_delimiters_keeps_its_column(row: str) -> None:
    text = sy.report("申请人情况\n" + row, "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0")
    assert _s3(text)["new"] == ["3", "", "", "", "", "", ""]  # not moved to 总计


def test_markdown_outer_pipes_are_edges_not_cells() -> None:
    text = sy.report("| 一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 2 | 3 |", "")
    assert _s3(text)["new"] == ["1", "0", "0", "0", "0", "2", "3"]


def test_html_empty_cell_keeps_its_column() -> None:
    cells = "".join(f"<td>{v}</td>" for v in ["", "4", "", "", "", "", "4"])
    page = (
        "<html><body><div class='TRS_Editor'><p>三、收到和处理政府信息公开申请情况</p>"
        f"<table><tr><td>一、本年新收政府信息公开申请数量</td>{cells}</tr></table>"
        "<p>四、政府信息公开行政复议、行政诉讼情况</p></div></body></html>"
    )
    report = _report(import_html(page))
    assert sy.cells_of(report, "s3")["new"] == ["", "4", "", "", "", "", "4"]


def test_delimited_row_on_its_label_line_does_not_take_the_next_line() -> None:
    table = "一、本年新收政府信息公开申请数量 | 2 | 0\n| 0 | 0 | 0 | 0 | 2 |\n二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0"
    result = import_text(sy.report(table, ""))
    assert sy.cells_of(_report(result), "s3")["new"] == ["2", "0", "", "", "", "", ""]
    assert "没有栏目名称" in _messages(result)  # the orphan line is reported, not dropped


# ---------------------------------------------------------------------------- layouts of table 三


def _printed(name: str, t: sy.Tables) -> str:
    rng = random.Random(7)
    return {
        "pipes": lambda: sy.print_pipes(t),
        "crawler": lambda: sy.print_crawler(t, rng),
        "layout-first": lambda: sy.print_layout(t, values_on="first"),
        "layout-middle": lambda: sy.print_layout(t, values_on="middle"),
        "layout-last": lambda: sy.print_layout(t, values_on="last"),
        "detached": lambda: sy.print_detached(t),
        "group-on-row": lambda: sy.print_spaced(t, group_on_row=True),
        "group-above": lambda: sy.print_spaced(t, group_on_row=False),
    }[name]()


@pytest.mark.parametrize(
    "name",
    ["pipes", "crawler", "layout-first", "layout-middle", "layout-last", "detached", "group-on-row", "group-above"],
)
def test_table_three_layouts_read_every_cell(name: str) -> None:
    t = sy.example_tables()
    result = import_text(sy.report(_printed(name, t), sy.print_s4_row(t)))
    assert sy.cells_of(_report(result), "s3") == sy.expected_s3(t)
    assert not any("未找到以下各行" in d.message for d in result.diagnostics if d.where == "表三")


def test_wrapped_label_with_numbers_on_its_last_line() -> None:
    table = "（二）部分公开（区分处理的，只计这一情\n形，不计其他情形）  5  0  0  0  0  0  5"
    assert _s3(sy.report(table, ""))["r_partial"] == ["5", "0", "0", "0", "0", "0", "5"]


def test_label_broken_into_short_pieces() -> None:
    table = "（五）不予处理\n2.重复\n申请 4 0 0 0 0 0 4"
    assert _s3(sy.report(table, ""))["r_noproc_2"] == ["4", "0", "0", "0", "0", "0", "4"]


def test_group_label_pieces_and_vertical_characters_are_skipped() -> None:
    table = "\n".join(
        [
            "三、",
            "本            1.属于国家秘密     1   0   0   0   0   0   1",
            "（三）不      2.其他法律行政法规禁止公开     2   0   0   0   0   0   2",
            "年",
            "予公开        3.危及“三安全一稳定”    0   0   0   0   0   0   0",
            "（四）无",
            "-4-",
            "法提供        2.没有现成信息需要另行制作    3   0   0   0   0   0   3",
        ]
    )
    cells = _s3(sy.report(table, ""))
    assert cells["r_deny_1"][0] == "1" and cells["r_deny_2"][6] == "2"
    assert cells["r_deny_3"] == ["0"] * 7 and cells["r_unable_2"][0] == "3"


# ---------------------------------------------------------------------------- numbers run together


def test_run_together_row_split_by_the_row_identity_with_a_note() -> None:
    table = "".join(sy.S3_HEADER) + "一、本年新收政府信息公开申请数量640020470二、上年结转政府信息公开申请数量0000000"
    result = import_text(sy.report(table, ""))
    assert sy.cells_of(_report(result), "s3")["new"] == ["64", "0", "0", "2", "0", "4", "70"]
    note = next(d for d in result.diagnostics if "勾稽关系" in d.message and d.where == "表三")
    assert "640020470" in note.message and "64、0、0、2、0、4、70" in note.message


def test_a_blank_cell_shows_as_a_space() -> None:
    table = "一、本年新收政府信息公开申请数量0 00000二、上年结转政府信息公开申请数量0000000"
    new = _s3(sy.report(table, ""))["new"]
    assert new == ["0", "", "0", "0", "0", "0", "0"]


def test_ordinal_of_the_next_label_is_not_a_value() -> None:
    table = "（四）无法提供1.本机关不掌握相关政府信息1000000102.没有现成信息需要另行制作0000000"
    cells = _s3(sy.report(table, ""))
    assert cells["r_unable_1"] == ["10", "0", "0", "0", "0", "0", "10"]
    assert cells["r_unable_2"] == ["0"] * 7


def test_column_identities_choose_between_row_readings() -> None:
    # （一）'270020130' reads 27|0|0|2|0|1|30 or 2|7|0|0|20|1|30: only the first keeps the
    # 商业企业 column balanced (新收 0 = 总计 0 + 结转 0)
    t = sy.Tables(
        s3={r.id: [0] * 7 for r in sy.S3_ROWS},
        s4=[0] * 15,
    )
    t.s3["new"] = [28, 0, 0, 2, 0, 1, 31]
    t.s3["r_open"] = [27, 0, 0, 2, 0, 1, 30]
    t.s3["r_deny_5"] = [1, 0, 0, 0, 0, 0, 1]
    t.s3["r_total"] = [28, 0, 0, 2, 0, 1, 31]
    rng = random.Random(3)
    table = "".join(sy.S3_HEADER)
    for rid, groups in sy.group_changes():
        label = next(r.label for r in sy.S3_ROWS if r.id == rid)
        table += "".join(groups) + label + "".join(str(v) for v in t.s3[rid])
    result = import_text(sy.report(table, sy.print_s4_row(t, rng)))
    assert sy.cells_of(_report(result), "s3") == sy.expected_s3(t)
    assert "“270020130”" in _messages(result)


def test_undecidable_run_stays_blank_with_the_printed_digits_quoted() -> None:
    s2 = "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件693665"
    result = import_text(sy.report("", "", s2=s2))
    cells = sy.cells_of(_report(result), "s2")
    assert cells["normative"] == ["", "", ""] and cells["rules"] == ["0", "0", "0"]
    assert any("“693665”" in d.message and d.level == "warning" for d in result.diagnostics)


def test_readings_that_agree_on_a_cell_fill_it() -> None:
    s2 = "第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可4500其他对外管理服务事项000"
    text = sy.report("", "", s2=s2)  # 2019 columns: 4|50|0 or 45|0|0
    result = import_text(text)
    assert sy.cells_of(_report(result), "s2")["licensing"] == ["", "", "0"]
    assert "“上一年项目数量”、“本年增/减”列无法确定" in _messages(result)


def test_splitting_is_bounded_on_hostile_runs() -> None:
    assert split_run("1" * 2000, COUNT7, A3) == []  # far too long for seven cells
    assert split_run("1234567891234567891234", COUNT7, A3) in ([], None)
    table = "一、本年新收政府信息公开申请数量" + "7" * 300 + "二、上年结转政府信息公开申请数量" + "0 " * 400
    result = import_text(sy.report(table, "9" * 500))
    cells = sy.cells_of(_report(result), "s3")
    assert cells["new"] == [""] * 7 and cells["carried_in"] == [""] * 7
    assert "“" + "7" * 300 + "”" in _messages(result)


# ---------------------------------------------------------------------------- table 四


@pytest.mark.parametrize(
    "printer", [sy.print_s4_blocks, sy.print_s4_transposed, sy.print_s4_results_as_rows, lambda t: sy.print_s4_row(t)]
)
def test_table_four_layouts(printer: sy.Printer) -> None:
    t = sy.example_tables()
    report = _report(import_text(sy.report(sy.print_pipes(t), printer(t))))
    assert sy.cells_of(report, "s4")["cases"] == sy.expected_s4(t)


def test_table_four_run_together_split_by_its_totals() -> None:
    head = "".join(sy.S4_HEADER)
    result = import_text(sy.report("", head + "10203120001200000"))
    assert sy.cells_of(_report(result), "s4")["cases"] == [
        "1",
        "0",
        "2",
        "0",
        "3",
        "12",
        "0",
        "0",
        "0",
        "12",
        "0",
        "0",
        "0",
        "0",
        "0",
    ]
    assert "总计等于各结果之和" in _messages(result)


def test_table_four_one_digit_per_cell_is_read_as_printed_when_its_total_is_wrong() -> None:
    # fifteen digits for fifteen cells: one reading only; 复议 纠正 1 but 总计 0 (a published error)
    head = "".join(sy.S4_HEADER)
    result = import_text(sy.report(sy.print_pipes(sy.example_tables()), head + "010000000000000"))
    report = _report(result)
    assert sy.cells_of(report, "s4")["cases"] == ["0", "1"] + ["0"] * 13
    assert "只有一种读法" in _messages(result)
    codes = {f.code for f in check_report(report) if f.severity == "error"}
    assert "B1" in codes and "F1" not in codes  # the table is there; its total is wrong


def test_table_three_row_with_one_reading_is_read_as_printed_when_its_total_is_wrong() -> None:
    # '3000002': seven digits, seven cells; 总计 2 ≠ 3 as printed
    table = "".join(sy.S3_HEADER) + "一、本年新收政府信息公开申请数量3000002二、上年结转政府信息公开申请数量0000000"
    result = import_text(sy.report(table, ""))
    assert sy.cells_of(_report(result), "s3")["new"] == ["3", "0", "0", "0", "0", "0", "2"]
    note = next(d for d in result.diagnostics if "只有一种读法" in d.message)
    assert note.level == "warning" and "3000002" in note.message


# ---------------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    "header",
    [
        "本年制发件数本年废纸件数现行有效件数",  # a misprinted column header run into the first row
        "<!--[if !supportMisalignedColumns]--><!--[endif]-->本年制发件数本年废止件数现行有效件数",  # Word markup
    ],
    ids=["misprinted-header", "word-comment"],
)
def test_first_row_after_a_damaged_header_is_read(header: str) -> None:
    s2 = f"第二十条第（一）项信息内容{header}规章000行政规范性文件2 1 15第二十条第（五）项信息内容本年处理决定数量行政许可3"
    result = import_text(sy.report("", "", s2=s2))
    cells = sy.cells_of(_report(result), "s2")
    assert cells["rules"] == ["0", "0", "0"] and cells["normative"] == ["2", "1", "15"]
    assert not any("规章" in d.message for d in result.diagnostics if d.level == "warning")


def test_word_comments_in_crawled_prose_are_dropped() -> None:
    s1 = "2024年，我局扎实推进政务公开。<!--[if !supportLists]-->（三）<!--[endif]-->突出抓好政府采购信息公开。"
    report = _report(import_text(sy.report(sy.print_pipes(sy.example_tables()), "").replace(sy.S1, s1)))
    assert report.sections["s1"] == "2024年，我局扎实推进政务公开。（三）突出抓好政府采购信息公开。"


def test_a_row_label_inside_prose_is_no_row() -> None:
    assert [p.kind for p in scan_line("全年公开规章3件，作出行政处罚12起")] == ["text"]


def test_misprinted_label_matched_by_similarity_with_a_note() -> None:
    table = "（三）不予公开\n1.属于国家秘密 0 0 0 0 0 0 0\n2.其他法律法规禁止公开 2 0 0 0 0 0 2"
    result = import_text(sy.report(table, ""))
    assert sy.cells_of(_report(result), "s3")["r_deny_2"] == ["2", "0", "0", "0", "0", "0", "2"]
    assert "“2.其他法律法规禁止公开”" in _messages(result)


def test_misprinted_group_label_run_into_a_row_label() -> None:
    table = "（三）不子公开1.属于国家秘密 1 0 0 0 0 0 1"
    result = import_text(sy.report(table, ""))
    assert sy.cells_of(_report(result), "s3")["r_deny_1"][0] == "1"
    assert "不子公开" in _messages(result)


def test_an_unknown_row_is_a_note_not_dropped() -> None:
    table = "1.属于国家秘密 0 0 0 0 0 0 0\n（三）不予公开小计 | 1 | 0 | 0 | 0 | 0 | 0 | 1"
    result = import_text(sy.report(table, ""))
    assert "“（三）不予公开小计”" in _messages(result)


# ---------------------------------------------------------------------------- properties


@FAST
@given(st.integers(0, 10_000), st.sampled_from([5, 40, 400, 4000]), st.sampled_from([0.0, 0.0, 0.3]))
def test_run_together_tables_are_read_right_or_left_blank(seed: int, big: int, blanks: float) -> None:
    """Random valid tables printed as a crawler prints them (digits run together, random
    spaces, blank cells as spaces): no cell is ever read wrong; without blank cells
    nearly all are read."""
    rng = random.Random(seed)
    t = sy.random_tables(rng, big=big, blanks=blanks)
    sep = rng.choice(["", " ", "\n"])
    result = import_text(sy.report(sy.print_crawler(t, rng), sy.print_s4_row(t, rng), sep=sep, s2=sy.S2_RUN))
    report = _report(result)
    missed = _never_wrong(sy.cells_of(report, "s3"), sy.expected_s3(t))
    _never_wrong({"cases": sy.cells_of(report, "s4")["cases"]}, {"cases": sy.expected_s4(t)})
    if missed:
        assert any(d.where == "表三" and d.level == "warning" for d in result.diagnostics)


@FAST
@given(st.integers(0, 10_000), st.integers(6, 20), st.sampled_from(["first", "middle", "last"]))
def test_wrapped_labels_are_read_whatever_the_wrap(seed: int, width: int, values_on: str) -> None:
    t = sy.random_tables(random.Random(seed), big=300)
    text = sy.report(sy.print_layout(t, width=width, values_on=values_on), sy.print_s4_row(t))
    assert _s3(text) == sy.expected_s3(t)


def test_column_identities_place_numbers_printed_without_their_blank_cells() -> None:
    """'一、本年新收… 3 3' has two numbers for seven columns; only 自然人 keeps that column
    balanced with the rows below, so that is where the 3 goes, with a note."""
    t = sy.Tables(s3={r.id: [0] * 7 for r in sy.S3_ROWS}, s4=[0] * 15)
    for rid in ("new", "r_open", "r_total"):
        t.s3[rid] = [3, 0, 0, 0, 0, 0, 3]
    table = sy.print_pipes(t).replace(
        "| 一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |", "一、本年新收政府信息公开申请数量 3 3"
    )
    result = import_text(sy.report(table, ""))
    assert sy.cells_of(_report(result), "s3")["new"] == ["3", "", "", "", "", "", "3"]
    assert "“3 3”" in _messages(result) and "勾稽关系" in _messages(result)


def test_html_empty_cell_spanning_columns_is_that_many_blank_cells() -> None:
    page = (
        "<html><body><div class='TRS_Editor'><p>三、收到和处理政府信息公开申请情况</p><table>"
        "<tr><td colspan='2'>一、本年新收政府信息公开申请数量</td><td>2</td><td colspan='5'></td><td>2</td></tr>"
        "</table><p>四、政府信息公开行政复议、行政诉讼情况</p></div></body></html>"
    )
    report = _report(import_html(page))
    assert sy.cells_of(report, "s3")["new"] == ["2", "", "", "", "", "", "2"]


def test_thousands_separators_and_full_width_digits() -> None:
    table = (
        "一、本年新收政府信息公开申请数量 3,001 53 0 0 61 4 3,119\n二、上年结转政府信息公开申请数量６４００２０４７０"
    )
    report = _report(import_text(sy.report(table, "")))
    new, carried = (report.tables["s3"].get(row, "total").value for row in ("new", "carried_in"))
    assert (new, carried) == (3119, 70)
    assert sy.cells_of(report, "s3")["carried_in"][0] == "６４"  # kept as printed


def test_thousands_of_part_titles_in_running_text_are_read() -> None:
    """Hostile text: every title repeated thousands of times in one line. The choice of
    headings keeps a few candidates per part, so this reads like any other text."""
    titles = list(sy.HEADINGS.values())
    text = "".join(f"。{titles[i % 6]}正文内容，第{i}段。" for i in range(6000))
    report = _report(import_text(text))
    assert set(report.sections) == {"s1", "s5", "s6"}


def test_2019_table_two_signed_values_and_amounts_with_units() -> None:
    s2 = (
        "第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可45+30其他对外管理服务事项000"
        "第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购1375394432.52元"
    )
    result = import_text(sy.report("", "", s2=s2).replace("2024年", "2019年"))
    cells = sy.cells_of(_report(result), "s2")
    assert cells["licensing"] == ["45", "+3", "0"]  # a sign starts a number: no other reading
    assert cells["central_procurement"] == ["", ""]  # 1|375394432.52元, 13|75394432.52元, …
    assert "“1375394432.52元”" in _messages(result)
