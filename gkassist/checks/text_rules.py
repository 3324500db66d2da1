"""Narrative rules that need no number matching: leftover placeholders (N1), another year
named as the report year (N2), fee notices when applications lapsed for non-payment (X4),
and the information-processing-fee statement in section 六 (X5)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gkassist.checks.registry import implements, make_finding
from gkassist.checks.spec import RuleSpec
from gkassist.findings import Finding, Location
from gkassist.model import NARRATIVE_SECTIONS, SECTION_TITLES, Report

PLACEHOLDER = re.compile(
    r"[XxＸｘ]{2,}|[×＊*]{2,}|【[^】\n]{0,20}】|待补充|待填写|此处填写|此处输入|（此处[^）]*）|\?{2,}|？{2,}|□{2,}|_{3,}|＿{3,}"
)
# Every placeholder starts with one of these; a cheap scan skips the full pattern on clean text.
_PLACEHOLDER_START = re.compile(r"[XxＸｘ×＊*【待此?？□_＿]")  # （此处…） is found from its 此
ZH_OPENING = "开头段落"


def narrative_texts(report: Report) -> Iterator[tuple[str, str]]:
    """(section title, text) for the opening paragraph and sections 一, 五, 六."""
    if report.meta.opening:
        yield ZH_OPENING, report.meta.opening
    for sid in NARRATIVE_SECTIONS:
        yield SECTION_TITLES[sid], report.section(sid)


def _span_location(section: str, start: int, end: int) -> Location:
    return Location(section=section, start=start, end=end)


def _context(text: str, start: int, end: int, width: int = 12) -> str:
    return text[max(0, start - width) : min(len(text), end + width)].replace("\n", " ")


@implements("N1")
def n1_placeholders(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    for section, text in narrative_texts(report):
        start = _PLACEHOLDER_START.search(text)
        if start is None:
            continue
        for m in PLACEHOLDER.finditer(text, max(0, start.start() - 1)):
            yield make_finding(
                spec, _span_location(section, m.start(), m.end()), found=m.group(), context=_context(text, m.start(), m.end())
            )


_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年")
# "2022年，我局…" / "2022年度本机关…": a year used as the subject's working year
_WORKING_YEAR = re.compile(
    r"(?<![\d〔\[（(])(20\d\d)\s*年度?\s*[,，]?\s*(?:我|本)(?:局|委|办|厅|部|院|会|中心|机关|单位|区|县|市|镇|乡|街道|府)"
)


@implements("N2")
def n2_wrong_report_year(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    year = report.meta.year
    for sid in ("s1", "s6"):
        text = report.section(sid)
        section = SECTION_TITLES[sid]
        seen: set[int] = set()
        first = _YEAR.search(text[:80])
        if first and int(first.group(1)) != year:
            seen.add(first.start(1))
            yield make_finding(
                spec, _span_location(section, first.start(1), first.end()), found=first.group(1), year=year,
                context=_context(text, first.start(), first.end()),
            )
        for m in _WORKING_YEAR.finditer(text):
            if int(m.group(1)) != year and m.start(1) not in seen:
                yield make_finding(
                    spec, _span_location(section, m.start(1), m.start(1) + 5), found=m.group(1), year=year,
                    context=_context(text, m.start(), m.end()),
                )


_FEE_STATEMENT = re.compile(r"信息处理费|信息公开处理费|政府信息公开(?:申请)?(?:相关)?费用")
_NO_NOTICE = re.compile(r"(?:未|没有|无)(?:发出|发放|出具|送达|下发)[^。；;\n]{0,6}收费通知")
_NOTICE_COUNT = re.compile(r"收费通知[书单]?[^。；;\n\d]{0,6}(\d+)\s*[份件次个]|(\d+)\s*[份件次个][^。；;\n\d]{0,6}收费通知")


def _lapsed_for_fees(report: Report) -> int:
    table = report.tables.get("s3")
    if table is None or table.layout != "gk2021":
        return 0
    value = table.get("r_other_2", "total").value
    return int(value) if value is not None else 0


@implements("X4")
def x4_fee_notices_reported(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    lapsed = _lapsed_for_fees(report)
    if lapsed <= 0:
        return
    text = report.section("s6")
    section = SECTION_TITLES["s6"]
    denial = _NO_NOTICE.search(text)
    if denial:
        yield make_finding(spec, _span_location(section, denial.start(), denial.end()), lapsed=lapsed,
                           problem=f"却写有“{denial.group()}”")
        return
    if "收费通知" not in text:
        yield make_finding(spec, Location(section=section), lapsed=lapsed, problem="但未说明发出收费通知的情况")
        return
    for m in _NOTICE_COUNT.finditer(text):
        count = int(m.group(1) or m.group(2))
        if count < lapsed:
            yield make_finding(spec, _span_location(section, m.start(), m.end()), lapsed=lapsed,
                               problem=f"但写明的收费通知只有{count}份")


@implements("X5")
def x5_fee_statement(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    if report.meta.year < 2020:  # the fee regime starts with 国办函〔2020〕109号
        return
    if not _FEE_STATEMENT.search(report.section("s6")):
        yield make_finding(spec, Location(section=SECTION_TITLES["s6"]))
