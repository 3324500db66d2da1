"""Identities read blank and "/" cells as 0 for the arithmetic only; a failing identity names
the blank cells as one possible cause; G1 lists a table's blank cells in one finding."""

from __future__ import annotations

from gkassist.cell_edits import blank_cells
from gkassist.checks import check_report
from gkassist.checks.rulebook import load_specs
from gkassist.examples import load_example
from gkassist.model import ExtraRow, Report
from gkassist.ui import findings_view

IDENTITY_CODES = frozenset(code for code, spec in load_specs().items() if spec.identity is not None)


def _codes(report: Report, code: str) -> list[str]:
    return [f.message for f in check_report(report) if f.code == code]


def test_failing_identity_names_its_blank_and_na_cells() -> None:
    report = load_example("example-2021")
    report.table("s3").set("new", "biz", "")  # 5 missing
    report.table("s3").set("carried_in", "biz", "/")  # 1 missing
    a1 = [f for f in check_report(report) if f.code == "A1"]
    assert [f.location.column for f in a1] == ["biz"] and a1[0].severity == "error"
    message = a1[0].message
    assert "一、本年新收政府信息公开申请数量（空白）" in message and "（“/”）" in message
    assert "“一、本年新收政府信息公开申请数量”为空白" in message and "填写为“/”" in message
    assert "均按0计算" in message and "请补填" in message
    assert a1[0].values["blank_cells"] == "“一、本年新收政府信息公开申请数量”、“二、上年结转政府信息公开申请数量”"
    assert report.table("s3").get("new", "biz").state == "blank"  # the data is never changed


def test_identity_that_holds_with_blanks_as_zero_is_silent() -> None:
    report = load_example("example-2021")
    for col in ("natural", "biz", "research", "public_welfare", "legal_service", "other_org", "total"):
        report.table("s3").set("r_deny_1", col, "")  # a row of zeros left blank
    report.table("s4").set("cases", "review_other", "/")
    assert not [f for f in check_report(report) if f.code in IDENTITY_CODES]


def test_unreadable_cell_makes_its_identities_unevaluable() -> None:
    report = load_example("example-2021")
    report.table("s3").set("r_open", "biz", "三件")
    findings = check_report(report)
    assert [f.code for f in findings if f.severity == "error"] == ["A4"]  # reported once, by its own rule


def test_cross_year_blank_is_named_as_last_years() -> None:
    report = load_example("example-2021")
    last = load_example("example-2021")
    last.meta.year -= 1
    last.table("s3").set("carried_out", "natural", "")
    report.last_year = last
    a6 = [f for f in check_report(report) if f.code == "A6"]
    assert len(a6) == 1 and "“上年报告四、结转下年度继续办理”为空白" in a6[0].message
    report.last_year = None  # no last year's report: not applicable, not 0
    assert not _codes(report, "A6")


def test_official_cell_split_into_sub_rows_is_not_read_as_zero() -> None:
    report = load_example("example-2021")
    last = load_example("example-2021")
    last.meta.year -= 1
    last.table("s2").set("normative", "in_force", "45")
    report.last_year = last
    assert not _codes(report, "C2")
    table = report.table("s2")
    table.set("normative", "made", "")
    table.extra_rows.append(ExtraRow(parent="normative", label="其中：市级", cells={"made": "3"}))  # type: ignore[dict-item]
    table.extra_rows.append(ExtraRow(parent="normative", label="其中：区级", cells={"made": "2"}))  # type: ignore[dict-item]
    assert not _codes(report, "C2")  # blank on purpose, its figures are in the sub-rows
    assert not [f for f in check_report(report) if f.code == "G1" and f.location.table == "s2"]


def test_blank_new_report_raises_no_identity_error() -> None:
    findings = check_report(Report.new("某某局", 2024))
    assert not [f for f in findings if f.code in IDENTITY_CODES or f.code == "G1"]  # empty tables: F1 only


def test_g1_is_one_finding_per_table_with_its_cells() -> None:
    report = load_example("example-2021")
    for col in ("natural", "biz", "research", "public_welfare", "legal_service", "other_org", "total"):
        report.table("s3").set("r_deny_2", col, "")
    report.table("s3").set("carried_in", "research", "")
    report.table("s4").set("cases", "after_other", "")
    g1 = {f.location.table: f for f in check_report(report) if f.code == "G1"}
    assert set(g1) == {"s3", "s4"}
    s3 = g1["s3"]
    assert s3.severity == "warning" and len(s3.cells) == 8
    assert s3.message.startswith("表三有8个单元格未填写（空白）：“二、上年结转政府信息公开申请数量”行的科研机构；“2.其他法律行政法规禁止公开”整行。")
    assert {c.row for c in s3.cells} == {"carried_in", "r_deny_2"}
    assert g1["s4"].message.startswith("表四有1个单元格未填写（空白）：行政诉讼·复议后起诉·其他结果。")


def test_g1_listing_stays_short_on_a_table_left_blank() -> None:
    report = load_example("example-2021")
    table = report.table("s3")
    for row, cols in table.cells.items():
        for col in cols:
            if row != "new":
                table.set(row, col, "")
    (g1,) = [f for f in check_report(report) if f.code == "G1"]
    assert len(g1.cells) == 24 * 7
    assert g1.message.count("整行") == 6 and "（共24行有空白单元格）" in g1.message
    assert len(g1.message) < 400


def test_g1_lists_the_blank_cells_of_the_grid_and_needs_a_new_acknowledgement_when_cells_change() -> None:
    report = load_example("example-2021")
    report.table("s3").set("r_deny_1", "natural", "")
    report.table("s3").set("r_noproc_5", "biz", "")
    findings = findings_view.findings_for_table(check_report(report), "s3")
    (before,) = [f for f in findings if f.code == "G1"]
    assert [(c.row, c.column) for c in before.cells] == blank_cells(report, "s3") == [("r_deny_1", "natural"), ("r_noproc_5", "biz")]
    report.table("s3").set("r_noproc_5", "biz", "0")
    (after,) = [f for f in check_report(report) if f.code == "G1"]
    assert before.key != after.key and before.key.startswith("G1@s3:")
