"""Formal checks of the whole report: sections present (F1), format of each table (F2),
statistics period (F3), publication deadline (F4)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from gkassist.agency_level import level_rules
from gkassist.checks.registry import compose_finding, implements, make_finding
from gkassist.checks.spec import RuleSpec
from gkassist.findings import Finding, Location
from gkassist.layouts import format_for_year, get_layout
from gkassist.model import NARRATIVE_SECTIONS, TABLE_IDS, Report
from gkassist.names import SECTION_TITLES


@implements("F1")
def f1_sections_present(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    for sid in NARRATIVE_SECTIONS:
        if not report.section(sid).strip():
            yield make_finding(spec, Location(section=sid), title=SECTION_TITLES[sid], what="没有内容")
    for tid in TABLE_IDS:
        table = report.tables.get(tid)
        if table is None or table.is_empty():
            yield make_finding(
                spec, Location(table=tid), title=SECTION_TITLES[tid], what="的统计表没有填写任何数据"
            )


@implements("F2")
def f2_format_matches_year(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    expected = format_for_year(report.meta.year)
    expected_name = get_layout(expected).name
    for tid in TABLE_IDS:
        table = report.tables.get(tid)
        if table is None or table.layout == expected:
            continue
        yield make_finding(
            spec,
            Location(table=tid),
            title=SECTION_TITLES[tid],
            used=get_layout(table.layout).name,
            year=report.meta.year,
            expected=expected_name,
        )


@implements("F3", cases=("missing",))
def f3_statistics_period(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    meta = report.meta
    expected = (date(meta.year, 1, 1), date(meta.year, 12, 31))
    if meta.period_start is None or meta.period_end is None:
        yield compose_finding(spec, Location(field="period"), {"year": meta.year}, case="missing")
    elif (meta.period_start, meta.period_end) != expected:
        found = f"统计期限写为{_zh_date(meta.period_start)}至{_zh_date(meta.period_end)}"
        yield make_finding(spec, Location(field="period"), found=found, year=meta.year)


@implements("F4")
def f4_publication_deadline(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    meta = report.meta
    info = level_rules().levels[meta.level]  # who publishes decides the deadline (条例第四十九条)
    deadline = date(meta.year + 1, info.deadline_month, info.deadline_day)
    who = f"{info.name}的年度报告"
    if meta.publication_date is None:
        found = "尚未填写发布日期"
    elif meta.publication_date > deadline:
        found = f"发布日期{_zh_date(meta.publication_date)}晚于法定期限"
    else:
        return
    yield make_finding(spec, Location(field="publication_date"), found=found, who=who, deadline=_zh_date(deadline))


def _zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
