"""The 数据填报 grid's logic without a browser: edits as deltas of cell addresses, 空白处填0,
the printed shape of each table from the layouts, and findings mapped to the cells they are about."""

from __future__ import annotations

import pytest

from gkassist.cell_edits import apply_cell_edits, blank_cells, fill_blanks_with_zero
from gkassist.checks import check_report
from gkassist.checks.involved import finding_cells
from gkassist.examples import load_example
from gkassist.findings import Finding, Location
from gkassist.layouts import FORMAT_IDS, TableId, table_layout
from gkassist.model import ExtraRow, Report
from gkassist.ui import sheet_glue, table_sheet
from gkassist.ui.findings_view import findings_for_table

TABLES: tuple[TableId, ...] = ("s2", "s3", "s4")


def example() -> Report:
    return load_example("example-2021")


def findings(report: Report, code: str) -> list[Finding]:
    return [f for f in check_report(report) if f.code == code]


# ---------------------------------------------------------------- cell edits


def test_edits_are_stored_as_typed_and_applying_twice_changes_nothing() -> None:
    report = example()
    edits: dict[str, object] = {"s3.new.natural": " 1.5 ", "s3.carried_in.total": None, "s3.new.biz": "/"}
    assert apply_cell_edits(report, "s3", edits) == [("new", "natural"), ("carried_in", "total"), ("new", "biz")]
    assert apply_cell_edits(report, "s3", edits) == []
    table = report.table("s3")
    assert table.get("new", "natural").raw == "1.5"  # kept as typed; the checks report the decimal
    assert table.get("carried_in", "total").state == "blank"  # blank stays blank, never 0
    assert table.get("new", "biz").raw == "/"


@pytest.mark.parametrize(
    "address",
    ["s4.cases.review_upheld", "s3.nope.natural", "s3.new.nope", "s3.new", "s3.*.natural", "s3.r_other_1[行政检查].total", "x"],
)
def test_edits_outside_the_tables_official_cells_are_ignored(address: str) -> None:
    report = example()
    before = report.model_dump_json()
    assert apply_cell_edits(report, "s3", {address: "9"}) == []
    assert report.model_dump_json() == before


def test_a_typed_total_is_never_rewritten_by_an_edit_of_its_parts() -> None:
    report = example()
    total = report.table("s3").get("new", "total").raw
    apply_cell_edits(report, "s3", {"s3.new.natural": "999"})
    assert report.table("s3").get("new", "total").raw == total


def test_values_that_are_not_text_are_ignored() -> None:
    report = example()
    assert apply_cell_edits(report, "s3", {"s3.new.natural": ["1"], "s3.new.biz": {"a": 1}}) == []


def test_delta_acknowledgement_keeps_the_highest_number() -> None:
    report = example()
    changed, ack = sheet_glue.apply_edit(report, "s3", {"seq": 3, "cells": {"s3.new.natural": "7"}}, 5)
    assert changed == [("new", "natural")] and ack == 5
    assert sheet_glue.apply_edit(report, "s3", {"seq": 6, "cells": {"s3.new.natural": "7"}}, 5) == ([], 6)


# ---------------------------------------------------------------- blank cells and 空白处填0


def test_fill_zero_fills_only_blank_official_cells_and_says_so() -> None:
    report = Report.new("测试局", 2024)
    table = report.table("s3")
    table.set("new", "natural", "5")
    table.set("new", "biz", "/")
    table.set("new", "research", "abc")
    assert len(blank_cells(report, "s3")) == 25 * 7 - 3
    count, note = sheet_glue.fill_zero(report, "s3")
    assert count == 172 and note == "空白处填0：表三的172个空白单元格已填为0"
    assert (table.get("new", "natural").raw, table.get("new", "biz").raw, table.get("new", "research").raw) == ("5", "/", "abc")
    assert table.get("new", "total").raw == "0"  # a blank total gets 0 like any blank, never a sum
    assert report.table("s4").get("cases", "review_upheld").state == "blank"
    assert sheet_glue.fill_zero(report, "s3") == (0, "")


def test_an_official_row_split_into_sub_rows_is_not_blank() -> None:
    report = load_example("example-2019")
    table = report.table("s2")
    table.set("other_services", "decisions", "")
    table.extra_rows.append(ExtraRow(parent="other_services", label="行政检查", cells={"decisions": "3"}))  # type: ignore[dict-item]
    assert ("other_services", "decisions") not in blank_cells(report, "s2")
    assert ("other_services", "decisions") not in fill_blanks_with_zero(report, "s2")
    assert table.get("other_services", "decisions").state == "blank"  # blank on purpose, stays so


def test_blank_line_counts_per_table() -> None:
    report = Report.new("测试局", 2024)
    report.table("s4").set("cases", "review_upheld", "1")
    assert table_sheet.blank_line(report, "s4") == ("表四有14个空白单元格", 14)
    assert table_sheet.blank_line(example(), "s3") == ("", 0)


# ---------------------------------------------------------------- the printed shape


@pytest.mark.parametrize("format_id", FORMAT_IDS)
@pytest.mark.parametrize("table_id", TABLES)
def test_headers_and_side_labels_span_exactly_the_table(format_id: str, table_id: TableId) -> None:
    """Every header row and every body row covers all columns once (a printed table has no
    holes), every layout column has its header cell, and every label comes from the layout."""
    layout = table_layout(format_id, table_id)
    structure = table_sheet.sheet_structure(format_id, table_id)
    assert len(structure["blocks"]) == len(layout.blocks) > 0
    for block, shown in zip(layout.blocks, structure["blocks"], strict=True):
        width = shown["labelDepth"] + len(block.columns) + 1
        grid = _occupied(shown["header"] + [r["labels"] + [{"colspan": 1, "rowspan": 1}] * (len(r["cells"]) + 1) for r in shown["rows"]])
        assert all(len(row) == width for row in grid), (format_id, table_id, block.id)
        heads = [h for row in shown["header"] for h in row if h.get("col")]
        assert sorted(h["col"] for h in heads) == sorted(c.id for c in block.columns)  # each once
        texts = {h["text"] for row in shown["header"] for h in row} | {lab["text"] for r in shown["rows"] for lab in r["labels"]}
        printed = {block.first_col, table_sheet.MARKER_HEADER} | {c.label for c in block.columns} | {g for c in block.columns for g in c.groups}
        printed |= {r.label for r in block.rows} | {g for r in block.rows for g in r.groups}
        assert texts <= printed


def _occupied(rows: list[list[dict[str, int]]]) -> list[set[int]]:
    """The column positions each row's cells cover, rowspans carried down (as a browser lays out a table)."""
    taken: list[set[int]] = [set() for _ in rows]
    for r, cells in enumerate(rows):
        col = 0
        for cell in cells:
            while col in taken[r]:
                col += 1
            for dr in range(cell["rowspan"]):
                for dc in range(cell["colspan"]):
                    assert col + dc not in taken[r + dr], "two cells overlap"
                    taken[r + dr].add(col + dc)
            col += cell["colspan"]
    return taken


def test_table_three_groups_are_shown_once_with_their_rows() -> None:
    rows = table_sheet.sheet_structure("gk2021", "s3")["blocks"][0]["rows"]
    starts = [(lab["text"], lab["rowspan"]) for r in rows for lab in r["labels"] if lab["role"] == "group"]
    assert starts[0] == ("三、本年度办理结果", 22)
    assert ("（三）不予公开", 8) in starts and ("（六）其他处理", 3) in starts
    assert sum(1 for t, _ in starts if t == "（三）不予公开") == 1
    deny_1 = next(r for r in rows if r["id"] == "r_deny_1")
    assert [lab["text"] for lab in deny_1["labels"]] == ["（三）不予公开", "1.属于国家秘密"]


def test_table_three_headers_are_two_levels_as_printed() -> None:
    header = table_sheet.sheet_structure("gk2019", "s3")["blocks"][0]["header"]
    assert [(h["text"], h["colspan"], h["rowspan"]) for h in header[0][1:]] == [("申请人情况", 7, 1), ("校验", 1, 3)]
    assert [(h["text"], h["colspan"], h["rowspan"]) for h in header[1]] == [("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)]
    assert [h["text"] for h in header[2]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


# ---------------------------------------------------------------- findings on cells


def test_column_identity_marks_the_total_and_every_part_of_its_column() -> None:
    report = example()
    report.table("s3").set("new", "natural", "999")  # A1 on the 自然人 column, A3 on row 一
    (a1,) = findings(report, "A1")
    assert a1.location.address == "s3.*.natural"
    assert set(finding_cells(a1)) == {("new", "natural"), ("carried_in", "natural"), ("r_total", "natural"), ("carried_out", "natural")}
    report = example()
    report.table("s3").set("r_open", "biz", "77")
    (a2,) = findings(report, "A2")
    cells = finding_cells(a2)
    outcome = {r.id for r in report.layout_of("s3").tagged("outcome")}
    assert set(cells) == {("r_total", "biz")} | {(r, "biz") for r in outcome}


def test_row_identity_marks_the_total_and_its_parts() -> None:
    report = example()
    report.table("s3").set("r_open", "total", "999")
    (a3,) = findings(report, "A3")
    assert {c for _, c in finding_cells(a3)} == {c.id for c in report.layout_of("s3").blocks[0].columns}
    assert {r for r, _ in finding_cells(a3)} == {"r_open"}


def test_a6_marks_this_years_carried_in_not_last_years_cells() -> None:
    report = example()
    report.last_year = example()
    report.last_year.meta.year = report.meta.year - 1
    report.last_year.table("s3").set("carried_out", "natural", "9")
    (a6, *_) = findings(report, "A6")
    assert finding_cells(a6) == (("carried_in", "natural"),)
    marks = table_sheet.mark_findings("s3", findings_for_table(check_report(report), "s3"))
    assert marks.cells["s3.carried_in.natural"]["severity"] == "error" and "A6" in marks.cells["s3.carried_in.natural"]["tip"]
    assert "A6" in marks.rows["carried_in"]


def test_a_finding_on_a_cell_row_or_column_marks_those_cells() -> None:
    cell = Finding(code="Z9", severity="warning", message="m", location=Location(format="gk2021", table="s4", row="cases", column="review_other"))
    assert finding_cells(cell) == (("cases", "review_other"),)
    row = Finding(code="Z9", severity="warning", message="m", location=Location(format="gk2021", table="s4", row="cases"))
    assert len(finding_cells(row)) == 15
    column = Finding(code="Z9", severity="warning", message="m", location=Location(format="gk2021", table="s3", column="biz"))
    assert len(finding_cells(column)) == 25
    assert finding_cells(Finding(code="Z9", severity="info", message="m", location=Location(section="s1"))) == ()


def test_marks_show_the_worst_severity_and_every_finding_and_leave_blanks_to_the_blank_line() -> None:
    report = example()
    report.table("s3").set("new", "natural", "999")
    report.table("s3").set("new", "biz", "")
    shown = findings_for_table(check_report(report), "s3")
    assert {f.code for f in shown} >= {"A1", "A3", "G1"}
    marks = table_sheet.mark_findings("s3", shown)
    mark = marks.cells["s3.new.natural"]
    assert mark["severity"] == "error" and "A1" in mark["tip"] and "A3" in mark["tip"]
    assert all("G1" not in f["text"] for f in marks.listed) and all("G1" not in m for m in marks.rows.values())
    a1 = next(f for f in marks.listed if "A1" in f["text"])
    assert "s3.carried_out.natural" in a1["cells"]


def test_sheet_values_hold_the_raw_text_and_leave_blanks_out() -> None:
    report = Report.new("测试局", 2024)
    report.table("s3").set("new", "natural", "１２")
    report.table("s3").set("new", "biz", "/")
    values = table_sheet.sheet_values(report, "s3")
    assert values == {"s3.new.natural": "１２", "s3.new.biz": "/"}
