"""Last year's report beside this year's (gkassist.last_year) and the one sum helper (cells)."""

from __future__ import annotations

from decimal import Decimal

from gkassist.cells import Cell, sum_numbers
from gkassist.compare import compare_reports
from gkassist.examples import load_example
from gkassist.last_year.attach import attach_last_year, year_refusal
from gkassist.last_year.carry_over import carried_in_prefilled
from gkassist.last_year.start import apply_plan, plan_carry
from gkassist.model import Report


def two_years() -> tuple[Report, Report]:
    this = Report.new("测试市生态环境局", 2024)
    last = load_example("example-2021")
    last.meta.year = 2023
    return this, last


def test_sum_numbers_never_reads_a_blank_or_slash_as_zero() -> None:
    values = [Cell.parse(raw).value for raw in ("3", "4.5", "2")]
    assert sum_numbers(values) == Decimal("9.5")
    for missing in ("", "/", "——", "三件"):  # blank, not applicable, unreadable
        assert sum_numbers([*values, Cell.parse(missing).value]) is None, missing
    assert sum_numbers([]) is None  # nothing to add is no total either
    assert sum_numbers([0, 0]) == 0


def test_attaching_keeps_one_year_back_only() -> None:
    this, last = two_years()
    last.last_year = load_example("example-2021")  # a report that had its own last year attached
    attach_last_year(this, last)
    assert this.last_year is last and last.last_year is None
    assert year_refusal(this, last) is None


def test_a_report_of_another_year_is_named_in_the_refusal() -> None:  # a refusal since issue 14
    this, last = two_years()
    last.meta.year = 2021
    refusal = year_refusal(this, last)
    assert refusal is not None and "2021年度" in refusal.message and "上年报告应为2023年度" in refusal.message


def test_the_comparison_attaches_copies_and_changes_neither_report() -> None:
    this, last = two_years()
    before_this, before_last = this.model_dump_json(), last.model_dump_json()
    cmp = compare_reports(last, this)
    assert cmp.this.last_year is cmp.last and cmp.last is not last and cmp.this is not this
    assert (this.model_dump_json(), last.model_dump_json()) == (before_this, before_last)
    assert this.last_year is None


def test_carried_in_follows_last_years_carried_out_and_shows_as_carried_while_equal() -> None:
    # since issue 14 a cell staff filled follows last year's report too (A6 wants them equal),
    # listed before → after on a re-import; see tests/test_last_year_start.py
    this, last = two_years()
    this.table("s3").set("carried_in", "natural", "7")
    apply_plan(this, last, plan_carry(this, last))
    s3, prev = this.table("s3"), last.table("s3")
    columns = [c.id for c in this.layout_of("s3").block_of("carried_in").columns]
    assert all(s3.get("carried_in", c).raw == prev.get("carried_out", c).raw for c in columns)
    assert carried_in_prefilled(this)
    s3.set("carried_in", "natural", "7")
    assert not carried_in_prefilled(this)  # one cell differs from last year's row


def test_nothing_is_carried_in_without_last_years_table_three() -> None:
    this, last = two_years()
    del last.tables["s3"]
    apply_plan(this, last, plan_carry(this, last))
    assert not carried_in_prefilled(this)
    assert all(cell.raw == "" for cell in this.table("s3").cells.get("carried_in", {}).values())


def test_x9_lists_last_years_problems_not_its_headings_or_measures() -> None:
    """Last year's 五 as real reports print it: numbered items under 存在问题 and under 改进措施.
    X9 names the problems only; the headings and the measures are not problems."""
    from gkassist.checks.engine import check_report
    from gkassist.model import Report

    last = Report.new("某市某局", 2024)
    last.sections["s5"] = (
        "（一）存在问题\n1.存在问题\n2.处室主动公开意识有待加强，落实不够到位\n"
        "3.公开方式灵活性不够，互动方面有待进一步加强\n（二）改进措施\n"
        "1.改进措施\n2.拓宽公开载体和渠道，扩大政务公开的范围和内容"
    )
    report = Report.new("某市某局", 2025)
    report.sections["s5"] = "（一）存在的主要问题\n本年度工作仍有不足。\n（二）改进情况\n下一步继续努力。"
    report.last_year = last
    x9 = [f for f in check_report(report) if f.code == "X9"]
    assert len(x9) == 1
    text = x9[0].message
    assert "处室主动公开意识有待加强" in text and "公开方式灵活性不够" in text
    assert "“存在问题”" not in text and "“改进措施”" not in text and "拓宽公开载体" not in text
