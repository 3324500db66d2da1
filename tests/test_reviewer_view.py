"""The reviewer's view: the changed cells of the printed tables, the cross-year verdicts stated
once and agreeing with the rules' findings, and the findings with the clerk's acknowledgements."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from gkassist.acknowledgements import acknowledge
from gkassist.checks import check_report
from gkassist.checks.rulebook import load_specs
from gkassist.compare import compare_reports
from gkassist.compare.reviewer import review_data
from gkassist.compare.side_by_side import is_changed, table_diff, table_diffs
from gkassist.examples import load_example
from gkassist.model import Report
from gkassist.ui import forms
from gkassist.ui.side_by_side import sheet_html

AGENCY = "测试市生态环境局"


def pair(fmt_last: str = "example-2021") -> tuple[Report, Report]:
    this = forms.report_from_example(load_example("example-2021"), AGENCY, 2024)
    last = forms.report_from_example(load_example(fmt_last), AGENCY, 2023)
    return this, last


def attached(this: Report, last: Report) -> Report:
    this.last_year = last
    return this


def test_changed_cells_are_the_cells_whose_figure_or_text_differs() -> None:
    this, last = pair()
    last.table("s3").set("new", "total", "24")  # this year 30: changed
    last.table("s3").set("carried_out", "natural", "4")
    this.table("s3").set("carried_out", "other_org", "")  # blank this year …
    last.table("s3").set("carried_out", "other_org", "0")  # … beside 0 last year: a change, not equal
    cmp = compare_reports(last, this)
    diff = table_diffs(cmp.tables)["s3"]
    assert set(diff.changed) == {"s3.new.total", "s3.carried_out.natural", "s3.carried_out.other_org"}
    assert diff.count == 3
    assert not table_diffs(cmp.tables)["s4"].changed  # same figures both years
    assert diff.mark("s3.new.total") == "biggest"  # the biggest moves of rules/compare.yaml
    assert diff.mark("s3.new.natural") is None
    assert diff.tip("s3.new.total") == f"上年 24，本年 {this.table('s3').get('new', 'total').raw}，变化 +6（+25%）"
    assert "上年 0，本年 空白" in diff.tip("s3.carried_out.other_org")
    assert all(is_changed(c) for c in diff.changed.values())


def test_a_number_written_differently_is_not_a_change() -> None:
    this, last = pair()
    last.table("s3").set("new", "total", "30")
    this.table("s3").set("new", "total", "30.0")
    s3 = next(t for t in compare_reports(last, this).tables if t.table == "s3")
    assert "s3.new.total" not in table_diff(s3).changed


def test_format_change_marks_rows_of_one_year_only() -> None:
    this = forms.report_from_example(load_example("example-2021"), AGENCY, 2021)
    last = forms.report_from_example(load_example("example-2019"), AGENCY, 2020, "gk2019")
    diffs = table_diffs(compare_reports(last, this).tables)
    assert diffs["s2"].only_last  # rows of the 2019 table 二 the 2021 format dropped (集中采购 …)
    assert "new" not in diffs["s3"].only_this | diffs["s3"].only_last  # the rows both formats have are compared
    html_last = sheet_html(last, "s2", diffs["s2"], "last")
    html_this = sheet_html(this, "s2", diffs["s2"], "this")
    assert html_last.count('<tr class="only">') == len(diffs["s2"].only_last)
    assert html_this.count('<tr class="only">') == len(diffs["s2"].only_this)


def test_sheet_html_is_the_printed_table_with_the_same_cells_marked_on_both_sides() -> None:
    this, last = pair()
    last.table("s3").set("new", "total", "24")
    diff = table_diffs(compare_reports(last, this).tables)["s3"]
    left, right = sheet_html(last, "s3", diff, "last"), sheet_html(this, "s3", diff, "this")
    for side, report in ((left, last), (right, this)):
        marked = re.findall(r'<td class="[^"]*biggest[^"]*" title="([^"]*)">([^<]*)</td>', side)
        assert marked == [(diff.tip("s3.new.total"), report.table("s3").get("new", "total").raw)]
        assert "colspan=" in side and "rowspan=" in side  # merged headers and row groups as printed
        assert "校验" not in side  # the grid's marker column is the editor's, not the reviewer's
    assert "申请人情况" in right and "本年新收政府信息公开申请数量" in right


def test_sheet_html_escapes_what_the_report_holds() -> None:
    this = forms.new_report("<b>局</b>", 2024, None)
    this.table("s3").set("new", "natural", '<img src=x onerror="alert(1)">')
    html = sheet_html(this, "s3", None, "this")
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "&lt;b&gt;" not in html  # the agency is not part of the table
    empty = Report.new("某局", 2024)
    empty.tables.pop("s4", None)
    drawn = sheet_html(empty, "s4", None, "this")
    assert "行政复议" in drawn and "<td>" in drawn  # the printed shape, its cells blank
    assert "s4" not in empty.tables  # drawing a table never adds it to the report


def test_verdicts_agree_with_the_rules_findings() -> None:
    this, last = pair()
    last.table("s3").set("carried_out", "natural", "4")  # A6: 上年结转 2 ≠ last year's 结转 4
    data = review_data(attached(this, last))
    by_code = {v.topic.split()[0]: v for v in data.identities}
    assert by_code["A6"].kind == "error" and [f.code for f in by_code["A6"].findings] == ["A6"]
    assert by_code["A6"].text == "A6 上年结转与上年报告衔接（逐列）：1处不一致"
    assert by_code["D3"].kind == "not_applicable" and "2019年试行格式" in by_code["D3"].text
    assert data.similarity is not None and data.similarity.kind == "warning"  # the same text both years
    assert "100%" in data.similarity.text and "70%" in data.similarity.text
    assert data.rectification is not None and data.rectification.kind == "warning"
    assert "列出2个问题" in data.rectification.text
    found = check_report(data.report)
    for verdict in data.verdicts:  # the kind comes from the rule's findings, never the other way round
        raised = any(f.code == verdict.rule for f in found)
        assert (verdict.kind in ("error", "warning")) == raised, verdict
        assert all(f.code == verdict.rule for f in verdict.findings)
    shown = [f for v in data.verdicts for f in v.findings] + data.other_findings
    assert sorted(f.key for f in shown) == sorted(f.key for f in data.findings)  # every finding once
    assert not {f.code for f in data.other_findings} & {v.rule for v in data.verdicts}
    assert {v.rule for v in data.verdicts} <= {s.code for s in load_specs().values() if s.needs_last_year}


def test_verdicts_pass_when_the_report_was_rewritten() -> None:
    this, last = pair()
    last.sections = {sid: f"上年的{sid}部分说的是另一件事，内容完全不同，用来检查雷同比例的判定。" for sid in last.sections}
    last.sections["s5"] = "（一）存在的主要问题\n一是政务公开专栏更新不及时。\n（二）改进情况\n加强专栏维护。"
    this.sections["s5"] = "（一）上年问题整改情况\n针对政务公开专栏更新不及时的问题，建立了每周更新制度。\n（二）存在的主要问题\n一是解读形式单一。"
    data = review_data(attached(this, last))
    assert data.similarity is not None and data.similarity.kind == "pass" and "均低于提示阈值70%" in data.similarity.text
    assert data.rectification is not None
    assert data.rectification.kind == "pass", data.rectification.text
    assert not [f for f in data.findings if f.code in ("X6", "X9")]


def test_no_baseline_shows_this_year_alone() -> None:
    this, _ = pair()
    data = review_data(this)
    assert data.comparison is None and not data.verdicts and not data.diffs
    assert data.other_findings == data.findings
    assert this.last_year is None


def test_acknowledged_warnings_show_when_and_why() -> None:
    this, last = pair()
    report = attached(this, last)
    c2 = next(f for f in check_report(report) if f.code == "C2")
    assert acknowledge(report, c2, note="本年制发件数含修订2件，已在第六部分说明", now=datetime(2025, 1, 10, 9, 30))
    data = review_data(report)
    c2_verdict = next(v for v in data.identities if v.topic.startswith("C2"))
    assert data.acknowledgement(c2_verdict.findings[0]) == "填报人已确认（2025-01-10 09:30，本年制发件数含修订2件，已在第六部分说明）"
    counts = data.counts()
    assert counts["acknowledged"] == 1
    assert counts["open_warning"] == sum(1 for f in data.findings if f.severity == "warning") - 1


@pytest.mark.parametrize("note", ["", "   "])
def test_an_acknowledgement_without_a_reason_says_so(note: str) -> None:
    this, last = pair()
    report = attached(this, last)
    c2 = next(f for f in check_report(report) if f.code == "C2")
    acknowledge(report, c2, note=note)
    assert review_data(report).acknowledgement(c2) == "填报人已确认（未写理由）"
