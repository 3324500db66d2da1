"""Portal HTML import: TRS-style fixtures in UTF-8 and GBK, rowspan/colspan tables, containers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from gkassist.importers import ImportResult, import_bytes, import_file, import_html
from gkassist.importers.html import declared_charset, html_lines, parse_html
from gkassist.importers.tokens import line_tokens
from gkassist.layouts import table_layout
from gkassist.model import Report

FIXTURES = Path(__file__).parent / "fixtures" / "html"
TRS = FIXTURES / "trs-2021-utf8.html"
GBK = FIXTURES / "gbk-2019.html"
ZOOM = FIXTURES / "zoom-2022.html"
# ~80 KB: menus, scripts, styles, sidebars, footer. In a subfolder: tests/test_audit.py counts the pages in html/.
LARGE = FIXTURES / "large" / "portal-large-2023.html"

ZEROS = ["0"] * 7
TRS_S3 = {
    "new": ["12", "3", "0", "", "1", "0", "16"],
    "carried_in": ["1", "0", "0", "0", "0", "0", "1"],
    "r_open": ["6", "1", "0", "0", "0", "0", "7"],
    "r_partial": ["2", "0", "0", "0", "0", "0", "2"],
    "r_deny_3": ["1", "0", "0", "0", "0", "0", "1"],
    "r_unable_1": ["2", "1", "0", "0", "1", "0", "4"],
    "r_noproc_2": ["1", "0", "0", "0", "0", "0", "1"],
    "r_total": ["12", "2", "0", "0", "1", "0", "15"],
    "carried_out": ["1", "1", "0", "0", "0", "0", "2"],
}


def _row(report: Report, table: str, row: str) -> list[str]:
    t = report.tables[table]  # type: ignore[index]
    return [t.get(row, c.id).raw for c in table_layout(t.layout, table).block_of(row).columns]


def _report(result: ImportResult) -> Report:
    assert result.report is not None
    return result.report


@pytest.fixture(scope="module")
def trs() -> ImportResult:
    return import_file(TRS)


@pytest.fixture(scope="module")
def gbk() -> ImportResult:
    return import_file(GBK)


@pytest.fixture(scope="module")
def zoom() -> ImportResult:
    return import_file(ZOOM)


@pytest.fixture(scope="module")
def large() -> ImportResult:
    return import_file(LARGE)


# ---------------------------------------------------------------------------- TRS, UTF-8, 2021


def test_trs_meta(trs: ImportResult) -> None:
    assert trs.source == "html"
    meta = _report(trs).meta
    assert (meta.agency, meta.year, meta.format) == ("河西市东城区市场监督管理局", 2023, "gk2021")
    assert (meta.period_start, meta.period_end) == (date(2023, 1, 1), date(2023, 12, 31))
    assert (meta.contact.address, meta.contact.postcode, meta.contact.phone) == (
        "河西市东城区人民路88号",
        "100011",
        "010-12345678",
    )
    assert meta.publication_date == date(2024, 1, 25)  # the closing line wins over <meta PubDate>
    assert meta.opening is not None and meta.opening.startswith("根据《中华人民共和国政府信息公开条例》")
    assert [(d.level, d.where) for d in trs.diagnostics] == [("info", "基本信息·报告主体")]  # only the level note
    assert meta.level == "department"


def test_trs_table_two_cells(trs: ImportResult) -> None:
    report = _report(trs)
    s2 = report.tables["s2"]
    assert _row(report, "s2", "rules") == ["/", "/", "/"]
    assert all(s2.get("rules", c).state == "na" for c in ("made", "repealed", "in_force"))
    assert _row(report, "s2", "normative") == ["2", "1", "15"]
    assert (s2.get("licensing", "decisions").raw, s2.get("licensing", "decisions").value) == ("1,036", 1036)
    assert _row(report, "s2", "penalty") == ["58"]
    assert s2.get("coercion", "decisions").state == "blank"  # an empty <td> (&nbsp;) is blank, not 0
    assert s2.get("fees", "fee_amount_wan").value == Decimal("0.0000")
    assert s2.column_units == {"fee_amount_wan": "万元"}


def test_trs_table_three_with_rowspans(trs: ImportResult) -> None:
    report = _report(trs)
    s3 = report.tables["s3"]
    assert s3.layout == "gk2021"
    for row_id, _col in table_layout("gk2021", "s3").cell_ids():
        assert _row(report, "s3", row_id) == TRS_S3.get(row_id, ZEROS), row_id
    assert s3.get("new", "public_welfare").state == "blank"


def test_trs_table_four(trs: ImportResult) -> None:
    cells = _row(_report(trs), "s4", "cases")
    assert cells == ["1", "0", "0", "1", "2", "0", "0", "0", "0", "0", "0", "1", "0", "0", "1"]


def test_trs_narrative_keeps_page_furniture_out(trs: ImportResult) -> None:
    report = _report(trs)
    assert report.sections["s6"] == "本年度我局未收取信息处理费。"  # signature and date removed
    assert "（一）主动公开\n" in report.sections["s1"]
    assert report.sections["s5"].count("\n") == 1
    everything = "\n".join([report.meta.opening or "", *report.sections.values()])
    for junk in ("相关报告", "东城区财政局", "浏览次数", "扫一扫", "document.write"):
        assert junk not in everything


# ---------------------------------------------------------------------------- GBK, 2019


def test_gbk_is_decoded(gbk: ImportResult) -> None:
    raw = GBK.read_bytes()
    assert declared_charset(raw) == "gbk"
    report = _report(gbk)
    assert report.meta.agency == "南山县农业农村局"
    assert all("\ufffd" not in text for text in report.sections.values())
    assert report.sections["s1"] == "2019年，我局认真贯彻落实新修订的《条例》，全年主动公开政府信息326条。"


def test_gbk_2019_tables(gbk: ImportResult) -> None:
    report = _report(gbk)
    assert (report.meta.format, report.tables["s2"].layout, report.tables["s3"].layout) == (
        "gk2019",
        "gk2019",
        "gk2019",
    )
    assert _row(report, "s2", "normative") == ["1", "1", "6"]
    assert _row(report, "s2", "licensing") == ["12", "-3", "9"]
    assert report.tables["s2"].get("licensing", "delta").value == -3
    assert _row(report, "s2", "other_services") == ["", "", ""]
    extra = report.tables["s2"].extra_rows
    assert [(e.label, [c.raw for c in e.cells.values()]) for e in extra] == [
        ("行政检查", ["5", "+2", "7"]),
        ("行政确认", ["0", "0", "0"]),
    ]
    amount = report.tables["s2"].get("central_procurement", "proc_amount")
    assert (amount.raw, amount.value, amount.unit) == ("251000元", 251000, "元")
    assert _row(report, "s3", "new") == ["3", "", "", "", "", "", "3"]
    assert _row(report, "s3", "r_other") == ["0", "", "", "", "", "", "0"]
    assert _row(report, "s4", "cases") == ["0"] * 15


def test_gbk_aliases_and_chinese_date(gbk: ImportResult) -> None:
    report = _report(gbk)
    assert report.meta.publication_date == date(2020, 1, 15)  # 二〇二〇年一月十五日
    assert report.sections["s6"] == "无。"
    assert report.sections["s5"].startswith("主要问题是信息更新不够及时")
    # only the notes on the level and on the extra rows
    assert [(d.level, d.where) for d in gbk.diagnostics] == [("info", "基本信息·报告主体"), ("info", "表二·其他对外管理服务事项")]


def test_gbk_without_or_with_wrong_declaration() -> None:
    raw = GBK.read_bytes()
    undeclared = import_html(raw.replace(b"<meta charset=gbk>", b""))
    assert _report(undeclared).meta.agency == "南山县农业农村局"
    misdeclared = import_html(raw.replace(b"charset=gbk", b"charset=utf-8"))
    assert _report(misdeclared).meta.agency == "南山县农业农村局"
    assert any("GB18030" in d.message for d in misdeclared.diagnostics)


# ---------------------------------------------------------------------------- #zoom


def test_zoom_container_and_title(zoom: ImportResult) -> None:
    report = _report(zoom)
    assert (report.meta.agency, report.meta.year) == ("青石镇人民政府", 2022)
    assert report.sections["s1"] == "2022年，青石镇主动公开政府信息95条，其中政策文件12条。"
    assert report.sections["s5"] == "存在问题：公开内容不够全面。\n改进措施：加强培训，规范发布流程。"
    assert report.sections["s6"] == "本年度未收取信息处理费。"  # 打印本页/关闭窗口 dropped


def test_zoom_tables(zoom: ImportResult) -> None:
    report = _report(zoom)
    assert _row(report, "s2", "normative") == ["0", "0", "3"]
    assert _row(report, "s2", "licensing") == ["4"]
    assert _row(report, "s3", "r_unable_1") == ["1", "0", "0", "0", "0", "0", "1"]
    assert _row(report, "s3", "r_unable_2") == ZEROS  # label split by <br>
    assert _row(report, "s3", "r_other_1") == ZEROS  # "，" instead of "、" in the label
    assert _row(report, "s3", "carried_out") == ["0", "0", "0", "0", "0", "0", ""]  # trailing empty <td>


def test_zoom_publication_date_from_page_meta(zoom: ImportResult) -> None:
    assert _report(zoom).meta.publication_date == date(2023, 1, 18)
    assert any(d.where == "基本信息·发布日期" and d.level == "info" for d in zoom.diagnostics)


# ---------------------------------------------------------------------------- a full portal page

LARGE_S3 = {
    "new": ["45", "6", "1", "0", "2", "1", "55"],
    "carried_in": ["3", "1", "0", "0", "0", "0", "4"],
    "r_open": ["20", "3", "1", "0", "1", "0", "25"],
    "r_partial": ["5", "1", "0", "0", "0", "0", "6"],
    "r_deny_3": ["1", "0", "0", "0", "0", "0", "1"],
    "r_deny_4": ["2", "0", "0", "0", "0", "0", "2"],
    "r_unable_1": ["10", "2", "0", "0", "1", "1", "14"],
    "r_unable_2": ["2", "0", "0", "0", "0", "0", "2"],
    "r_unable_3": ["1", "0", "0", "0", "0", "0", "1"],
    "r_noproc_1": ["2", "0", "0", "0", "0", "0", "2"],
    "r_noproc_2": ["1", "1", "0", "0", "0", "0", "2"],
    "r_other_1": ["1", "0", "0", "0", "0", "0", "1"],
    "r_other_3": ["1", "0", "0", "0", "0", "0", "1"],
    "r_total": ["46", "7", "1", "0", "2", "1", "57"],
    "carried_out": ["2", "0", "0", "0", "0", "0", "2"],
}


def test_large_portal_page_meta(large: ImportResult) -> None:
    assert len(LARGE.read_bytes()) > 60_000
    meta = _report(large).meta
    assert (meta.agency, meta.year, meta.format) == ("江北市南湖区教育局", 2023, "gk2021")
    assert (meta.period_start, meta.period_end) == (date(2023, 1, 1), date(2023, 12, 31))
    assert (meta.contact.office, meta.contact.address, meta.contact.postcode, meta.contact.phone) == (
        "江北市南湖区教育局办公室",
        "江北市南湖区学府路16号",
        "430070",
        "027-87654321",
    )
    assert meta.publication_date == date(2024, 1, 22)  # the closing line, not <meta PubDate> 2024-01-23
    assert meta.opening is not None and meta.opening.startswith("本报告根据《中华人民共和国政府信息公开条例》")
    assert [(d.level, d.where) for d in large.diagnostics] == [("info", "基本信息·报告主体")]  # only the level note
    assert meta.level == "department"


def test_large_portal_page_cells(large: ImportResult) -> None:
    report = _report(large)
    assert _row(report, "s2", "rules") == ["0", "0", "0"]
    assert _row(report, "s2", "normative") == ["4", "2", "23"]
    assert [_row(report, "s2", r) for r in ("licensing", "penalty", "coercion", "fees")] == [
        ["312"],
        ["17"],
        ["0"],
        ["0"],
    ]
    assert report.tables["s2"].extra_rows == []
    for row_id, _col in table_layout("gk2021", "s3").cell_ids():
        assert _row(report, "s3", row_id) == LARGE_S3.get(row_id, ZEROS), row_id
    assert _row(report, "s4", "cases") == ["2", "1", "0", "0", "3", "1", "0", "0", "1", "2", "0", "0", "0", "0", "0"]
    assert all(
        cell.state == "number" for t in report.tables.values() for row in t.cells.values() for cell in row.values()
    )


def test_large_portal_page_keeps_chrome_out(large: ImportResult) -> None:
    report = _report(large)
    assert report.sections["s1"].startswith("2023年，我局坚持以习近平新时代中国特色社会主义思想为指导")
    assert report.sections["s1"].count("\n") == 10  # five sub-headings, each with one paragraph
    assert report.sections["s5"].count("\n") == 1
    assert report.sections["s6"] == "本年度我局未收取信息处理费。"
    everything = "\n".join([report.meta.opening or "", *report.sections.values()])
    for junk in (
        "信息公开目录",
        "财政局",
        "GK.ready",
        "font-size",
        "友情链接",
        "打印本页",
        "索引号",
        "扫一扫",
        "网站标识码",
    ):
        assert junk not in everything


# ---------------------------------------------------------------------------- containers, sniffing


@pytest.mark.parametrize(
    ("path", "marker"), [(ZOOM, b'id="zoom"'), (TRS, b'class="TRS_Editor"'), (LARGE, b'class="TRS_Editor"')]
)
def test_report_found_without_a_known_container(path: Path, marker: bytes) -> None:
    result = import_html(path.read_bytes().replace(marker, b'class="content"'))
    expected = import_file(path)
    assert _report(result).tables == _report(expected).tables
    assert _report(result).sections == _report(expected).sections


def test_html_is_sniffed_without_a_file_name(trs: ImportResult) -> None:
    result = import_bytes(TRS.read_bytes())
    assert result.source == "html"
    assert _report(result).tables == _report(trs).tables


def test_table_rows_become_cell_tokens() -> None:
    root = parse_html(
        "<table><tr><td rowspan='2'>（三）不予公开</td><td>1.属于国家秘密</td><td>0</td><td></td><td>&nbsp;</td></tr>"
        "<tr><td>2.其他法律行政法规禁止公开</td><td>/</td></tr></table>"
    )
    lines = html_lines(root.find("body"))
    assert [[t.kind for t in line_tokens(line, i)] for i, line in enumerate(lines)] == [
        ["label", "label", "value", "blank", "blank"],
        ["label", "value"],
    ]
