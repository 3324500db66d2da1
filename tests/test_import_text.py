"""Plain-text import: the seed report, the truncated corpus reports, and small synthetic texts."""

from __future__ import annotations

from datetime import date

import pytest

from gkassist.examples import SEED_TEXT
from gkassist.importers import ImportResult, ReportReadError, import_file, import_text
from gkassist.importers.normalise import load_aliases, match_key, norm_label
from gkassist.importers.text import parse_report_name
from gkassist.layouts import table_layout
from gkassist.model import Report
from gkassist.paths import EXAMPLES_DIR
from tests.corpus import PARTIAL

SEED = SEED_TEXT
CORPUS = PARTIAL


def _seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed() -> ImportResult:
    return import_text(_seed_text())


@pytest.fixture(scope="module")
def seed_report(seed: ImportResult) -> Report:
    assert seed.report is not None
    return seed.report


def _row(report: Report, table: str, row: str) -> list[str]:
    t = report.tables[table]  # type: ignore[index]
    return [t.get(row, c.id).raw for c in table_layout(t.layout, table).block_of(row).columns]


def _messages(result: ImportResult) -> str:
    return "\n".join(d.message for d in result.diagnostics)


# ---------------------------------------------------------------------------- seed


def test_seed_meta(seed_report: Report) -> None:
    meta = seed_report.meta
    assert meta.year == 2024
    assert "昌江区工业和信息化局" in meta.agency
    assert (meta.period_start, meta.period_end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert meta.contact.postcode == "333000"
    assert meta.contact.phone == "0798-8335879"
    assert meta.contact.address == "景德镇市昌江区瓷都大道836号区工信局办公室"
    assert meta.contact.office == "景德镇市昌江区工信局办公室"
    assert meta.opening == _seed_text().splitlines()[0]
    assert meta.format == "gk2021"


def test_seed_table_formats_are_per_table(seed: ImportResult, seed_report: Report) -> None:
    assert seed_report.tables["s2"].layout == "gk2019"
    assert seed_report.tables["s3"].layout == "gk2021"
    assert any(d.where == "表二" and "2019年试行格式" in d.message for d in seed.diagnostics)


def test_seed_every_cell_equals_the_original(seed_report: Report) -> None:
    for tid in ("s2", "s3", "s4"):
        table = seed_report.tables[tid]
        for row, col in table_layout(table.layout, tid).cell_ids():
            expected = {"normative": "3", "other_services": ""}.get(row, "0")
            assert table.get(row, col).raw == expected, (tid, row, col)
    assert _row(seed_report, "s2", "normative") == ["3", "3", "3"]  # new_made, new_published, total_published
    assert seed_report.tables["s2"].get("normative", "new_made").value == 3


def test_seed_extra_rows_and_units(seed_report: Report) -> None:
    s2 = seed_report.tables["s2"]
    assert [(e.parent, e.label) for e in s2.extra_rows] == [
        ("other_services", "行政检查"),
        ("other_services", "行政确认"),
    ]
    assert all(c.raw == "0" for e in s2.extra_rows for c in e.cells.values())
    assert set(s2.extra_rows[0].cells) == {"prev_items", "delta", "decisions"}
    assert s2.column_units == {"proc_amount": "万元"}


def test_seed_narrative(seed_report: Report) -> None:
    s1, s5, s6 = (seed_report.sections[s] for s in ("s1", "s5", "s6"))
    assert "发布各类信息76条" in s1
    assert "\n(一)本年度政府信息公开工作基本情况\n" in s1  # sub-headings stay, lines kept
    assert s5.count("\n") == 2
    assert s6.startswith("无\n(一)2024年度")
    assert "信息处理费" in s6


def test_seed_split_label_is_read(seed_report: Report) -> None:
    # "2.没有现成信息需要" + 7 numbers + "另行制作": prefix match, tail ignored
    assert _row(seed_report, "s3", "r_unable_2") == ["0"] * 7
    assert _row(seed_report, "s3", "r_deny_3") == ["0"] * 7  # "3.危及“三安全一稳 定”"


def test_bundled_example_reads_like_the_seed(seed_report: Report) -> None:
    result = import_file(EXAMPLES_DIR / "seed-2024-changjiang-gxj.txt")
    assert result.source == "text"
    assert result.report is not None
    assert result.report.tables == seed_report.tables


# ---------------------------------------------------------------------------- corpus


def _corpus(name: str) -> ImportResult:
    return import_text((CORPUS / name).read_text(encoding="utf-8", errors="replace"))


@pytest.mark.parametrize("name", [f"P0{i}.txt" for i in range(1, 10)])
def test_every_partial_report_gives_a_report(name: str) -> None:
    result = _corpus(name)
    assert result.report is not None
    assert result.diagnostics  # partial reports always say what is missing
    assert all(d.message and d.level in ("error", "warning", "info") for d in result.diagnostics)


class TestCorpus:
    def test_p01_cut_inside_table_three(self) -> None:
        result = _corpus("P01.txt")
        assert result.report is not None
        assert result.report.tables["s3"].get("new", "total").raw == "3"
        assert _row(result.report, "s3", "new") == ["3", "0", "0", "0", "0", "0", "3"]
        assert "表三在“二、上年结转政府信息公开申请数量”行之后中断" in _messages(result)
        assert result.report.meta.agency == ""
        assert any(d.where == "基本信息·机关名称" for d in result.diagnostics)

    def test_p02_agency_period_and_cut_label(self) -> None:
        result = _corpus("P02.txt")
        report = result.report
        assert report is not None
        assert report.meta.agency == "湛江市人民政府地方志办公室"
        assert (report.meta.period_start, report.meta.period_end) == (date(2023, 1, 1), date(2023, 12, 31))
        assert _row(report, "s3", "r_open") == ["0"] * 7
        assert "表三在“（一）予以公开”行之后中断" in _messages(result)

    def test_p03_slash_is_not_applicable_and_total_only(self) -> None:
        result = _corpus("P03.txt")
        report = result.report
        assert report is not None
        rules = [report.tables["s2"].get("rules", c) for c in ("made", "repealed", "in_force")]
        assert [c.raw for c in rules] == ["/", "/", "/"]
        assert all(c.state == "na" and c.value is None for c in rules)
        assert _row(report, "s3", "new") == ["", "", "", "", "", "", "0"]
        assert "已填入“总计”列" in _messages(result)

    def test_p04_blank_cells_stay_blank(self) -> None:
        result = _corpus("P04.txt")
        report = result.report
        assert report is not None
        assert _row(report, "s3", "new") == ["0", "", "", "", "", "", "0"]
        assert _row(report, "s3", "carried_in") == ["", "", "", "", "", "", "0"]
        assert report.tables["s3"].get("carried_in", "natural").state == "blank"
        assert _row(report, "s2", "normative") == ["3", "0", "101"]
        year_errors = [d for d in result.diagnostics if d.level == "error"]
        assert year_errors and year_errors[0].where == "基本信息·报告年度"

    def test_p05_short_row_filled_from_the_left(self) -> None:
        result = _corpus("P05.txt")
        report = result.report
        assert report is not None
        assert report.tables["s2"].layout == "gk2019"
        assert _row(report, "s2", "fees") == ["0", ""]
        assert "“本年增/减”留空" in _messages(result)
        assert report.meta.contact.phone == "8691639"
        assert report.meta.publication_date == date(2021, 1, 19)  # from the portal's 发布日期

    def test_p06_fee_column_and_cut_heading(self) -> None:
        result = _corpus("P06.txt")
        report = result.report
        assert report is not None
        assert report.meta.agency == "石家庄市教育局"
        assert _row(report, "s2", "fees") == ["172"]
        assert report.tables["s2"].column_units == {"fee_amount_wan": "万元"}
        assert "原文在“三、收到和处理政府信息公开申请情况”的标题处中断" in _messages(result)

    def test_p07_labels_without_numbers(self) -> None:
        result = _corpus("P07.txt")
        report = result.report
        assert report is not None
        assert report.meta.year == 2019
        assert report.tables["s3"].is_empty()
        assert _row(report, "s2", "rules") == ["0", "", ""]
        assert "表三只有栏目名称，没有读到任何数值" in _messages(result)

    def test_p08_title_without_year(self) -> None:
        result = _corpus("P08.txt")
        report = result.report
        assert report is not None
        assert (report.meta.agency, report.meta.year) == ("驼峰路街道办事处", 2020)
        assert _row(report, "s3", "new") == ["", "", "", "", "", "", "0"]

    def test_p09_signed_delta(self) -> None:
        report = _corpus("P09.txt").report
        assert report is not None
        delta = report.tables["s2"].get("licensing", "delta")
        assert (delta.raw, delta.value, delta.state) == ("+19", 19, "number")
        assert report.meta.agency == "广州市荔湾区人民政府南源街道办事处"


# ---------------------------------------------------------------------------- synthetic

REPORT_2023 = """\
# 某市某局2023年政府信息公开工作年度报告

根据《中华人民共和国政府信息公开条例》，现公布本报告。数据统计期限为2023年1月1日至2023年12月31日。电话：010-66668888。
一,总体情况
2023年，我局主动公开信息20条。
(一)主动公开
全年发布政策解读2篇。
## 二、主动公开政府信息情况
第二十条第(一)项
信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数
规章 | / | / | /
行政规范性文件 | 3 | | 5 | |
第二十条第(五)项
行政许可 | 12 | |
第二十条第(六)项
行政处罚 0
行政强制 | 1 |
第二十条第(八)项
信息内容 | 本年收费金额(万元) |
行政事业性收费 | 0.5 |
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2
二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0
属于国家秘密 | 1 | 0 | 0 | 0 | 0 | 0 | 1
(三)不予公开小计 | 1 | 0 | 0 | 0 | 0 | 0 | 1
四、因政府信息公开工作被申请行政复议和提起行政诉讼情况
0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
五、政府信息公开工作存在的主要问题及改进情况
问题一。
整改一。
六、其他需要报告的事项：无
本年度未收取信息处理费。
某市某局
2024年1月20日
"""


@pytest.fixture(scope="module")
def synthetic() -> ImportResult:
    return import_text(REPORT_2023)


def test_heading_variants_and_aliases(synthetic: ImportResult) -> None:
    report = synthetic.report
    assert report is not None
    assert report.meta.agency == "某市某局"
    assert set(report.sections) == {"s1", "s5", "s6"}
    assert report.sections["s5"] == "问题一。\n整改一。"
    assert not any("未找到“" in d.message and "部分" in d.message for d in synthetic.diagnostics)


def test_closing_signature_and_date_leave_section_six(synthetic: ImportResult) -> None:
    report = synthetic.report
    assert report is not None
    assert report.meta.publication_date == date(2024, 1, 20)
    assert report.sections["s6"] == "无\n本年度未收取信息处理费。"


def test_interior_blank_pieces_are_blank_and_trailing_ones_padding(synthetic: ImportResult) -> None:
    report = synthetic.report
    assert report is not None
    assert _row(report, "s2", "normative") == ["3", "", "5"]
    assert _row(report, "s2", "licensing") == ["12"]
    assert _row(report, "s2", "penalty") == ["0"]  # "行政处罚 0": space separated
    assert report.tables["s2"].column_units == {"fee_amount_wan": "万元"}
    assert report.tables["s2"].get("fees", "fee_amount_wan").raw == "0.5"


def test_unnumbered_label_unknown_row_and_table_four(synthetic: ImportResult) -> None:
    report = synthetic.report
    assert report is not None
    assert _row(report, "s3", "r_deny_1") == ["1", "0", "0", "0", "0", "0", "1"]
    assert "“(三)不予公开小计”" in _messages(synthetic)
    assert _row(report, "s4", "cases") == ["0"] * 15
    assert "表三未找到以下各行" in _messages(synthetic)


def test_2021_table_accepts_2019_row_label() -> None:
    text = REPORT_2023.replace("行政规范性文件 | 3 | | 5 | |", "规范性文件 | 4 | 0 | 9")
    report = import_text(text).report
    assert report is not None
    assert _row(report, "s2", "normative") == ["4", "0", "9"]


def test_header_unit_in_yuan_for_procurement() -> None:
    text = "二、主动公开政府信息情况\n第二十条第(九)项\n采购项目数量 | 采购总金额(元)\n政府集中采购 | 2 | 9800\n三、收到和处理政府信息公开申请情况\n"
    report = import_text(text).report
    assert report is not None
    assert report.tables["s2"].layout == "gk2019"
    assert report.tables["s2"].column_units == {"proc_amount": "元"}
    assert _row(report, "s2", "central_procurement") == ["2", "9800"]


def test_table_found_without_its_heading() -> None:
    text = "一、总体情况\n政府信息公开工作正常。\n第二十条第（一）项\n规章 | 0 | 0 | 0\n本年制发件数\n"
    result = import_text(text)
    assert result.report is not None
    assert _row(result.report, "s2", "rules") == ["0", "0", "0"]
    assert "已根据表格栏目定位表二" in _messages(result)
    assert result.report.sections["s1"] == "政府信息公开工作正常。"


@pytest.mark.parametrize("text", ["", "   \n\n", "今天天气很好。\n明天会下雨。", "<<<>>>|||0|0|0"])
def test_unrelated_text_is_refused(text: str) -> None:
    with pytest.raises(ReportReadError) as info:
        import_text(text)
    assert str(info.value).startswith("无法识别为政府信息公开工作年度报告：未找到")
    assert "请确认上传的是年度报告正文" in str(info.value)


def test_normalisation_and_alias_file() -> None:
    assert norm_label(" 第二十条 第（一）项 ") == "第二十条第(一)项"
    assert match_key("3.危及“三安全一稳 定”") == match_key('3．危及"三安全一稳定"')
    assert match_key("一、总体情况") == match_key("一,总体情况")
    aliases = load_aliases()
    assert "因政府信息公开工作被申请行政复议和提起行政诉讼情况" in aliases.sections["s4"]
    assert "政府信息公开工作存在的主要问题及改进情况" in aliases.sections["s5"]
    assert aliases.row_aliases("gk2019", "s2", "normative") == ("行政规范性文件",)
    assert any(a.unit == "万元" for a in aliases.column_aliases("s2", "proc_amount"))


def test_heading_with_a_unit_note_and_generic_table_words() -> None:
    text = "一、总体情况\n正文。\n四、政府信息公开行政复议、行政诉讼情况（单位：件）\n" + " | ".join(["1"] * 15) + "\n"
    report = import_text(text).report
    assert report is not None
    assert report.tables["s4"].get("cases", "after_total").raw == "1"
    with pytest.raises(ReportReadError):
        import_text("信息内容 | 数量\n合计 | 3\n")  # generic table words alone are not a report


def test_title_below_page_furniture() -> None:
    text = "首页 > 政务公开 > 年度报告\n某县财政局2021年政府信息公开工作年度报告\n根据条例编制本报告。\n一、总体情况\n正文。\n二、主动公开政府信息情况\n"
    result = import_text(text)
    assert result.report is not None
    assert (result.report.meta.agency, result.report.meta.year) == ("某县财政局", 2021)
    assert result.report.meta.opening == "根据条例编制本报告。"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("景德镇市昌江区工业和信息化局2024年", ("景德镇市昌江区工业和信息化局", 2024)),
        ("2021年石家庄市教育局", ("石家庄市教育局", 2021)),
        ("某县财政局（2023年度）", ("某县财政局", 2023)),
        ("某市人民政府办公室（某市政务服务管理局）２０２４年", ("某市人民政府办公室（某市政务服务管理局）", 2024)),
        ("驼峰路街道办事处", ("驼峰路街道办事处", None)),
    ],
)
def test_report_name_parts(name: str, expected: tuple[str, int | None]) -> None:
    assert parse_report_name(name) == expected
