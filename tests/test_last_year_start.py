"""Starting this year's report from last year's, re-importing last year's, and refusing a
baseline of another year (gkassist.last_year.start and attach); contact read from 六."""

from __future__ import annotations

from pathlib import Path

import pytest

from gkassist.examples import SEED_TEXT, load_example
from gkassist.importers import import_bytes, import_file
from gkassist.importers.front import find_contact
from gkassist.last_year.attach import attach_last_year, override_note, year_refusal
from gkassist.last_year.start import (
    apply_plan,
    carried_summary,
    new_report_from,
    plan_carry,
    roll_opening,
    start_from_last_year,
)
from gkassist.model import Contact, Rectification, Report

S5_WITH_PROBLEMS = (
    "（一）存在的主要问题\n一是主动公开的及时性还不够，部分信息发布滞后。二是政策解读形式单一，图解、视频解读较少。\n"
    "（二）改进措施\n下一步，我们将加强培训。"
)


def last_2023() -> Report:
    last = load_example("example-2021")
    last.meta.year = 2023
    last.meta.agency = "测试市生态环境局"
    last.meta.contact = Contact(office="测试市生态环境局办公室", phone="0571-12345678")
    last.sections["s5"] = S5_WITH_PROBLEMS
    return last


# ---------------------------------------------------------------- starting from last year's report


def test_the_seed_2024_report_starts_a_2025_report_with_everything_carried() -> None:
    last = import_file(SEED_TEXT).report
    assert last is not None and last.meta.year == 2024
    report, plan = start_from_last_year(last)
    meta = report.meta
    assert (meta.agency, meta.year, meta.format, meta.level) == (last.meta.agency, 2025, "gk2021", last.meta.level)
    assert meta.contact == last.meta.contact and meta.contact.postcode == "333000" and meta.contact.phone == "0798-8335879"
    assert meta.opening is not None and "2025年1月1日" in meta.opening and "2024年" not in meta.opening
    assert meta.period_start is not None and meta.period_start.year == 2025
    carried = report.table("s3").cells["carried_in"]
    assert carried and all(cell.raw == last.table("s3").get("carried_out", col).raw for col, cell in carried.items())
    assert [r.problem for r in report.rectifications] and all(not r.measures for r in report.rectifications)
    assert report.last_year is not None and report.last_year.meta.year == 2024 and report.last_year_override is None
    kinds = {c.kind for c in plan}
    assert {"contact", "opening", "cell", "problem_add", "baseline"} <= kinds


def test_one_summary_names_each_place_once_per_item_not_one_box_per_column() -> None:
    last = last_2023()
    report, plan = start_from_last_year(last)
    lines = carried_summary(report, last, plan)
    assert {line.place for line in lines} == {"basic", "tables", "drafting", "compare"}
    carried_in = [line for line in lines if "上年结转" in line.where]
    assert len(carried_in) == 1 and "共7列" in carried_in[0].text  # one line for all seven columns
    contact = next(line for line in lines if line.where == "联系方式")
    assert "联系部门、电话" in contact.text and "地址、邮编没有读到，请填写" in contact.text
    problems = next(line for line in lines if line.place == "drafting")
    assert "问题2个" in problems.text and "主动公开的及时性还不够" in problems.text


def test_carried_in_follows_last_years_carried_out_per_column_and_a_blank_stays_blank() -> None:
    last = last_2023()
    s3 = last.table("s3")
    s3.set("carried_out", "natural", "3")
    s3.set("carried_out", "biz", "")
    s3.set("carried_out", "research", "/")
    report, _ = start_from_last_year(last)
    this = report.table("s3")
    assert this.get("carried_in", "natural").raw == "3"
    assert this.get("carried_in", "biz").state == "blank"  # never 0
    assert this.get("carried_in", "research").raw == "/"


def test_table_two_in_force_is_the_basis_for_the_new_year() -> None:
    last = last_2023()
    last.table("s2").set("normative", "in_force", "45")
    report, plan = start_from_last_year(last)
    assert report.table("s2").get("normative", "in_force").raw == "45"
    assert report.table("s2").get("normative", "made").state == "blank"
    line = next(line for line in carried_summary(report, last, plan) if line.where == "表二")
    assert "行政规范性文件" in line.text and "45" in line.text


def test_table_two_is_not_carried_across_the_2021_format_change() -> None:
    last = load_example("example-2019")
    last.meta.year = 2020
    report, plan = start_from_last_year(last)
    assert report.meta.format == "gk2021"
    assert not [c for c in plan if c.kind == "cell" and c.key[0] == "s2"]
    line = next(line for line in carried_summary(report, last, plan) if line.where == "表二")
    assert "没有与本年表二对应的列" in line.text


def test_table_two_of_the_2019_format_sums_last_years_items_and_change() -> None:
    last = load_example("example-2019")
    last.meta.year = 2019
    s2 = last.table("s2")
    s2.set("licensing", "prev_items", "10")
    s2.set("licensing", "delta", "-2")
    s2.set("penalty", "prev_items", "5")
    s2.set("penalty", "delta", "")  # one part blank: no sum, nothing carried
    report, _ = start_from_last_year(last)
    assert report.meta.format == "gk2019"
    assert report.table("s2").get("licensing", "prev_items").raw == "8"
    assert report.table("s2").get("penalty", "prev_items").state == "blank"


def test_the_opening_moves_on_only_last_years_year() -> None:
    text = "根据2019年修订的《条例》，现公布某局2024年度报告，统计期限为2024年1月1日至2024年12月31日。"
    assert roll_opening(text, 2024, 2025) == "根据2019年修订的《条例》，现公布某局2025年度报告，统计期限为2025年1月1日至2025年12月31日。"
    assert roll_opening("编号12024年", 2024, 2025) == "编号12024年"  # part of a longer number


# ---------------------------------------------------------------- re-importing: the before/after list


def started() -> tuple[Report, Report]:
    last = last_2023()
    report, _ = start_from_last_year(last)
    return report, last


def test_a_corrected_last_year_file_updates_carried_in_even_where_it_was_filled() -> None:
    report, last = started()
    corrected = last.model_copy(deep=True)
    corrected.table("s3").set("carried_out", "natural", "9")
    report.table("s3").set("carried_in", "biz", "5")  # typed by staff; A6 wants it equal to last year's
    plan = plan_carry(report, corrected)
    cells = {c.key: (c.before, c.after) for c in plan if c.kind == "cell"}
    assert cells[("s3", "carried_in", "natural")][1] == "9"
    assert cells[("s3", "carried_in", "biz")] == ("5", last.table("s3").get("carried_out", "biz").display())
    assert plan[-1].kind == "baseline" and "重新导入" in plan[-1].after
    before = report.model_dump_json()
    assert report.model_dump_json() == before  # planning changes nothing
    apply_plan(report, corrected, plan)
    assert report.table("s3").get("carried_in", "natural").raw == "9"
    assert report.last_year is not None and report.last_year.table("s3").get("carried_out", "natural").raw == "9"
    assert [c for c in plan_carry(report, corrected) if c.kind != "baseline"] == []  # nothing left to change


def test_re_import_leaves_what_staff_changed_and_follows_what_they_did_not() -> None:
    report, last = started()
    report.meta.contact.office = "本局政务公开科"  # changed by staff
    corrected = last.model_copy(deep=True)
    corrected.meta.contact.office = "测试市生态环境局综合处"
    corrected.meta.contact.phone = "0571-87654321"
    corrected.meta.contact.postcode = "310000"
    contact = {c.key[0]: (c.before, c.after) for c in plan_carry(report, corrected) if c.kind == "contact"}
    assert "office" not in contact
    assert contact["phone"] == ("0571-12345678", "0571-87654321")
    assert contact["postcode"] == ("（空白）", "310000")


def test_re_import_adds_new_problems_and_drops_old_ones_nobody_wrote_about() -> None:
    report, last = started()
    first, second = (r.problem for r in report.rectifications)
    report.rectifications = [Rectification(problem=first, measures="每周检查栏目更新"), Rectification(problem=second)]
    corrected = last.model_copy(deep=True)
    corrected.sections["s5"] = "（一）存在的主要问题\n一是依申请公开答复的规范性有待提高。"
    plan = plan_carry(report, corrected)
    assert [c.after for c in plan if c.kind == "problem_add"] == ["依申请公开答复的规范性有待提高"]
    assert [c.before for c in plan if c.kind == "problem_drop"] == [second]  # the first has measures: kept
    apply_plan(report, corrected, plan)
    assert [r.problem for r in report.rectifications] == [first, "依申请公开答复的规范性有待提高"]


def test_a_first_attach_to_a_report_with_its_own_contact_keeps_it() -> None:
    this = Report.new("测试市生态环境局", 2024)
    this.meta.contact.phone = "0571-11111111"
    this.meta.opening = "本局自己写的开头段落。"
    plan = plan_carry(this, last_2023())
    assert not [c for c in plan if c.kind in ("opening",) or c.key == ("phone",)]
    assert [c.key for c in plan if c.kind == "contact"] == [("office",)]


# ---------------------------------------------------------------- the year of the baseline


@pytest.mark.parametrize(("year", "says"), [(2024, "同一年度"), (2022, "上年报告应为2023年度"), (2025, "上年报告应为2023年度")])
def test_a_baseline_of_another_year_is_refused_with_what_why_and_what_to_do(year: int, says: str) -> None:
    this = Report.new("测试市生态环境局", 2024)
    last = last_2023()
    assert year_refusal(this, last) is None
    last.meta.year = year
    refusal = year_refusal(this, last)
    assert refusal is not None and refusal.year == year and refusal.expected == 2023
    assert says in refusal.message and "算错" in refusal.message and "请上传或选择测试市生态环境局2023年度的报告" in refusal.message
    assert "勾选" in refusal.message


def test_an_override_is_recorded_with_the_report_and_cleared_by_a_fitting_baseline() -> None:
    this = Report.new("测试市生态环境局", 2024)
    last = last_2023()
    last.meta.year = 2022
    refusal = year_refusal(this, last)
    assert refusal is not None
    apply_plan(this, last, plan_carry(this, last), refusal.override("张三"))
    saved = Report.model_validate_json(this.model_dump_json())
    assert saved.last_year_override is not None and (saved.last_year_override.year, saved.last_year_override.by) == (2022, "张三")
    note = override_note(saved)
    assert note is not None and "对照的是2022年度的报告，不是2023年度的报告" in note and "张三" in note
    attach_last_year(saved, last_2023())
    assert saved.last_year_override is None and override_note(saved) is None


def test_a_new_report_from_last_year_takes_the_format_of_its_own_year() -> None:
    last = load_example("example-2019")
    last.meta.year = 2020
    assert new_report_from(last).meta.format == "gk2021"
    last.meta.year = 2019
    assert new_report_from(last).meta.format == "gk2019"


# ---------------------------------------------------------------- contact read from the report


CONTACT_IN_SIX = """某某县统计局2024年政府信息公开工作年度报告
本报告根据《中华人民共和国政府信息公开条例》编制，统计期限为2024年1月1日至2024年12月31日。
一、总体情况
2024年，我局认真做好政府信息公开工作。
二、主动公开政府信息情况
三、收到和处理政府信息公开申请情况
四、政府信息公开行政复议、行政诉讼情况
五、存在的主要问题及改进情况
主动公开的及时性还不够。
六、其他需要报告的事项
本年度无收取信息处理费情况。
如对本报告有疑问，请联系：某某县统计局办公室，联系地址：某某县人民路8号，邮编：330100，电话：0791-6666888。
某某县统计局
2025年1月20日
地址：某某县政府大院 邮编：330000 电话：0791-1234567
版权所有：某某县人民政府 地址：某某县政府大院 电话：0791-1234567 网站标识码3601000001
"""


def test_contact_is_read_from_six_when_the_opening_has_none() -> None:
    report = import_bytes(CONTACT_IN_SIX.encode("utf-8"), "report.txt").report
    assert report is not None
    contact = report.meta.contact
    assert contact.office == "某某县统计局办公室"
    assert (contact.address, contact.postcode, contact.phone) == ("某某县人民路8号", "330100", "0791-6666888")


def test_a_site_footer_is_not_the_reports_contact() -> None:
    text = CONTACT_IN_SIX.replace("如对本报告有疑问，请联系：某某县统计局办公室，联系地址：某某县人民路8号，邮编：330100，电话：0791-6666888。\n", "")
    report = import_bytes(text.encode("utf-8"), "report.txt").report
    assert report is not None and report.meta.contact.phone is None and report.meta.contact.address is None


def test_the_office_after_a_colon_is_read() -> None:
    found = find_contact("如对本报告有任何疑问，请联系：某某市公安局政府信息公开办公室，电话：0591-62561118，电子邮箱：a@b.cn。")
    assert (found.office, found.phone) == ("某某市公安局政府信息公开办公室", "0591-62561118")


def test_without_last_years_table_two_the_summary_says_nothing_was_carried() -> None:
    last = last_2023()
    del last.tables["s2"]
    report, plan = start_from_last_year(last)
    assert report.table("s2").is_empty()
    line = next(line for line in carried_summary(report, last, plan) if line.where == "表二")
    assert "没有读到表二的数字" in line.text


REAL = Path(__file__).parent / "fixtures" / "real"


def test_every_real_report_starts_the_next_years_report() -> None:
    files = sorted(p for p in REAL.glob("2*.*") if p.suffix in (".txt", ".html"))
    assert files
    for path in files:
        last = import_file(path).report
        assert last is not None, path.name
        report, plan = start_from_last_year(last)
        assert report.meta.year == last.meta.year + 1 and report.meta.contact == last.meta.contact, path.name
        prev = last.table("s3")
        this = report.table("s3")
        assert all(this.get("carried_in", c).raw == prev.get("carried_out", c).raw for c in this.cells.get("carried_in", {}))
        assert report.last_year is not None and report.last_year.meta.year == last.meta.year
        assert {line.place for line in carried_summary(report, last, plan)} == {"basic", "tables", "drafting", "compare"}
        assert [c for c in plan_carry(report, last) if c.kind != "baseline"] == [], path.name  # nothing left to carry
