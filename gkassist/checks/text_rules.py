"""Narrative rules that need no number matching: leftover placeholders (N1), another year
named as the report year (N2), fee notices when applications lapsed for non-payment (X4),
and the information-processing-fee statement in section 六 (X5)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from gkassist.checks.registry import compose_finding, implements, make_finding
from gkassist.checks.spec import RuleSpec
from gkassist.findings import Finding, Location
from gkassist.grounding.extract import chinese_to_decimal
from gkassist.model import NARRATIVE_SECTIONS, Report, SectionId
from gkassist.names import OPENING

PLACEHOLDER = re.compile(
    r"[XxＸｘ]{2,}|[×＊*]{2,}|【[^】\n]{0,20}】|待补充|待填写|此处填写|此处输入|（此处[^）]*）|\?{2,}|？{2,}|□{2,}|_{3,}|＿{3,}"
)
# Every placeholder starts with one of these; a cheap scan skips the full pattern on clean text.
_PLACEHOLDER_START = re.compile(r"[XxＸｘ×＊*【待此?？□_＿]")  # （此处…） is found from its 此


def narrative_texts(report: Report) -> Iterator[tuple[str, str]]:
    """(section id, text) for the opening paragraph and sections 一, 五, 六."""
    if report.meta.opening:
        yield OPENING, report.meta.opening
    for sid in NARRATIVE_SECTIONS:
        yield sid, report.section(sid)


def _span_location(section: str, start: int, end: int) -> Location:
    return Location(section=section, start=start, end=end)


def _context(text: str, start: int, end: int, width: int = 12) -> str:
    return text[max(0, start - width) : min(len(text), end + width)].replace("\n", " ")


# Characters of an e-mail address, a URL or a Latin word: "xx" among them is not a placeholder
# (pzxxgkb@163.com, www.xx-gov.cn/zfxxgk); "XX件", "XX年XX月" and "XX.XX" stay placeholders.
_LATIN_TOKEN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@._%+-/:~#?=&")
_PLACEHOLDER_X = frozenset("XxＸｘ")


def _inside_latin_token(text: str, start: int, end: int) -> bool:
    """True when a run of x's is part of an address or word: its ASCII token has other letters or an @."""
    while start > 0 and text[start - 1] in _LATIN_TOKEN:
        start -= 1
    while end < len(text) and text[end] in _LATIN_TOKEN:
        end += 1
    token = text[start:end]
    return "@" in token or any(ch.isascii() and ch.isalpha() and ch not in _PLACEHOLDER_X for ch in token)


@implements("N1")
def n1_placeholders(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    for section, text in narrative_texts(report):
        start = _PLACEHOLDER_START.search(text)
        if start is None:
            continue
        for m in PLACEHOLDER.finditer(text, max(0, start.start() - 1)):
            if m.group()[0] in _PLACEHOLDER_X and _inside_latin_token(text, m.start(), m.end()):
                continue
            yield make_finding(
                spec, _span_location(section, m.start(), m.end()), found=m.group(), context=_context(text, m.start(), m.end())
            )


_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年")
# "2022年，我局…" / "2022年度本机关…": a year used as the subject's working year
_WORKING_YEAR = re.compile(
    r"(?<![\d〔\[（(])(20\d\d)\s*年度?\s*[,，]?\s*(?:我|本)(?:局|委|办|厅|部|院|会|中心|机关|单位|区|县|市|镇|乡|街道|府)"
)


# "2025年，我局将……": next year's plan, not a wrong report year
_PLAN = re.compile(r"\s*[,，]?\s*(?:我|本)?\S{0,3}?(?:将|拟|计划|准备)")


def _is_plan(text: str, m: re.Match[str], year: int) -> bool:
    return int(m.group(1)) > year and _PLAN.match(text, m.end(), m.end() + 8) is not None


def _in_title(text: str, at: int) -> bool:
    """A year inside 《…》 or 〔…〕 names a document, not the working year."""
    return text.rfind("《", 0, at) > text.rfind("》", 0, at) or text.rfind("〔", 0, at) > text.rfind("〕", 0, at)


N2_SECTIONS: tuple[SectionId, ...] = ("s1", "s6")


def n2_year_matches(text: str, year: int) -> list[tuple[re.Match[str], int]]:
    """The wrong years N2 reports in one section, each with the end of its span: a year other
    than the report year opening the section, or naming the subject's working year."""
    found: list[tuple[re.Match[str], int]] = []
    first = _YEAR.search(text[:80])
    if first and int(first.group(1)) != year and not _in_title(text, first.start()) and not _is_plan(text, first, year):
        found.append((first, first.end()))
    seen = {m.start(1) for m, _ in found}
    for m in _WORKING_YEAR.finditer(text):
        if int(m.group(1)) != year and m.start(1) not in seen and not _is_plan(text, m, year):
            found.append((m, m.start(1) + 5))
    return found


@implements("N2")
def n2_wrong_report_year(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    year = report.meta.year
    for sid in N2_SECTIONS:
        text = report.section(sid)
        section = sid
        for m, end in n2_year_matches(text, year):
            yield make_finding(
                spec, _span_location(section, m.start(1), end), found=m.group(1), year=year,
                context=_context(text, m.start(), m.end()),
            )


_NOTICE = r"(?:收费|缴费)通知"
# "未发出收费通知", "没有向申请人发出信息处理费收费通知": section 六 denies sending any notice
_NO_NOTICE = re.compile(
    r"(?:未|没有|无|并未|均未|从未|不存在)[^。；;，,]{0,10}?(?:发出|发放|出具|送达|下发|发送|寄送|制发)"
    rf"[^。；;，,]{{0,8}}?{_NOTICE}"
)
_COUNT = r"(\d+|[零一二两三四五六七八九十百]+)\s*[份件次个]"
_NOTICE_COUNT = re.compile(rf"{_NOTICE}[书单]?[^。；;，,\n\d]{{0,6}}?{_COUNT}|{_COUNT}[^。；;，,\n\d]{{0,6}}?{_NOTICE}")


def _lapsed_for_fees(report: Report) -> int:
    table = report.tables.get("s3")
    if table is None or table.layout != "gk2021":
        return 0
    value = table.get("r_other_2", "total").value
    return int(value) if value is not None else 0


def _count(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    value = chinese_to_decimal(text.replace("两", "二"))
    return int(value) if value is not None else None


@implements("X4", cases=("omitted",))
def x4_fee_notices_reported(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    """An error where section 六 contradicts （六）2 (no notice sent, or fewer notices than
    lapsed applications); a warning (case ``omitted``) where it does not mention notices."""
    lapsed = _lapsed_for_fees(report)
    text = report.section("s6")
    if lapsed <= 0 or not text.strip():  # a missing section 六 is reported once, by F1
        return
    section = "s6"
    denial = _NO_NOTICE.search(text)
    if denial:
        yield make_finding(spec, _span_location(section, denial.start(), denial.end()), lapsed=lapsed,
                           problem=f"写有“{denial.group()}”")
        return
    if re.search(_NOTICE, text) is None:
        yield compose_finding(spec, Location(section=section), {"lapsed": lapsed}, case="omitted")
        return
    for m in _NOTICE_COUNT.finditer(text):
        count = _count(m.group(1) or m.group(2))
        if count is not None and count < lapsed:
            yield make_finding(spec, _span_location(section, m.start(), m.end()), lapsed=lapsed,
                               problem=f"写明的收费通知只有{count}份")


@cache
def _fee_patterns(fee_terms: tuple[str, ...], negations: tuple[str, ...], charges: tuple[str, ...]) -> re.Pattern[str]:
    """A statement of the fee position: the fee named, a negated charge ("未发生收费情况",
    "没有收取任何费用") or an amount ("收费金额为0", "收取相关费用200元"), each within one clause."""
    clause = r"[^。；;，,、]"  # a line break may fall inside a sentence (text from PDF)
    amount = r"(?:\d+(?:\.\d+)?\s*万?元|(?<![\d.])(?:0|零)(?![\d.]))"
    return re.compile(
        rf"(?:{_alternatives(fee_terms)})"
        rf"|(?:{_alternatives(negations)}){clause}{{0,8}}?(?:{_alternatives(charges)})"
        rf"|(?:{_alternatives(charges)}){clause}{{0,12}}?{amount}"
    )


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_BOOK_TITLE = re.compile(r"《[^《》\n]{0,80}》")


def states_fee_position(text: str, spec: RuleSpec) -> bool:
    """Whether section 六 says how much information-processing fee was charged, zero included.
    A fee named only inside a document title (《…信息处理费管理办法》) does not count."""
    words = spec.phrases
    pattern = _fee_patterns(words["fee_terms"], words["negations"], words["charge_words"])
    return pattern.search(_BOOK_TITLE.sub("《》", text)) is not None


@implements("X5", phrases=("fee_terms", "negations", "charge_words"))
def x5_fee_statement(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    text = report.section("s6")
    if text.strip() and not states_fee_position(text, spec):  # a missing section 六 is F1's
        yield make_finding(spec, Location(section="s6"))
