"""Every numeral form a reader takes as a number is grounded, and none slips through the drafter (issue 11).

Digits of any script, circled and Roman counts, Chinese numerals with 两/万/亿, signs, ranges and
vague magnitudes (近万, 数百), whole-set claims (全部败诉, 全部予以公开), labelled counts
(申请数量：N件), fee amounts, and digits no reader can check (X10). The phrase families are
data-driven in cases/numbers.yaml and the rule examples in rules/checks/X1, X2, X8, X10; this
file holds the property test over generated numerals, the forms' values, and the re-checks.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkassist.checks import check_report
from gkassist.drafting import draft_section
from gkassist.drafting.settings import LLMSettings
from gkassist.drafting.validate import blocking, section_findings
from gkassist.examples import load_example
from gkassist.findings import Finding
from gkassist.grounding import classify_report, extract_numerals
from gkassist.grounding.extract import chinese_to_decimal, describe_bounds
from gkassist.grounding.numerals import FOREIGN_DIGIT_RE, digits_to_decimal, roman_value, step_bounds, to_roman
from gkassist.grounding.vocabulary import Vocabulary, load_vocabulary_model
from gkassist.model import DeclaredFigure, Report
from tests.fakes.chat_models import FinishingFake

# ---------------------------------------------------------------- values of the forms


@pytest.mark.parametrize(
    ("text", "written", "value", "bounds"),
    [
        ("收到申请٩٩٩٩件", "٩٩٩٩件", 9999, None),
        ("收到申请۹۹件", "۹۹件", 99, None),  # extended Arabic-Indic (Persian)
        ("收到申请३०件", "३०件", 30, None),  # Devanagari
        ("收到申请𝟗𝟗件", "𝟗𝟗件", 99, None),  # mathematical bold
        ("收到申请３０件", "３０件", 30, None),  # full-width
        ("收到申请1,234件", "1,234件", 1234, None),
        ("收到申请⑨件", "⑨件", 9, None),
        ("收到申请⑳件", "⑳件", 20, None),
        ("收到申请㉟件", "㉟件", 35, None),
        ("收到申请㊿件", "㊿件", 50, None),
        ("收到申请⑽件", "⑽件", 10, None),
        ("收到申请⒐件", "⒐件", 9, None),
        ("收到申请❾件", "❾件", 9, None),
        ("收到申请㈢件", "㈢件", 3, None),
        ("收到申请Ⅸ件", "Ⅸ件", 9, None),
        ("收到申请ⅻ件", "ⅻ件", 12, None),
        ("收到申请ⅩⅩⅨ件", "ⅩⅩⅨ件", 29, None),
        ("收到申请XIV件", "XIV件", 14, None),
        ("收到申请-30件", "-30件", -30, None),
        ("收到申请－30件", "－30件", -30, None),
        ("收到申请−30件", "−30件", -30, None),
        ("收到申请负30件", "负30件", -30, None),
        ("收到申请负三十件", "负三十件", -30, None),
        ("收到申请-十万件", "-十万件", -100_000, None),  # a sign before a bare magnitude
        ("收到申请两万件", "两万件", 20000, None),
        ("收到申请1.2万件", "1.2万件", 12000, None),
        ("收到申请三千零五件", "三千零五件", 3005, None),
        ("收到申请9千件", "9千件", 9000, None),
        ("收到申请两亿件", "两亿件", 200_000_000, None),
        ("收到申请十万余条", "十万余条", 100_000, (100_000, 200_000)),
        ("收到申请30余件", "30余件", 30, (30, 40)),
        ("收到申请30多件", "30多件", 30, (30, 40)),
        ("收到申请1.2万余件", "1.2万余件", 12000, (12000, 13000)),
        ("收到申请十余件", "十余件", 10, (10, 20)),
        ("收到申请十几件", "十几件", 10, (10, 20)),
        ("收到申请二十几件", "二十几件", 20, (20, 30)),
        ("收到申请万余件", "万余件", 10000, (10000, 20000)),
        ("收到申请近万件", "近万件", 10000, (5000, 11000)),
        ("收到申请将近千件", "将近千件", 1000, (500, 1100)),
        ("收到申请数百件", "数百件", 100, (100, 1000)),
        ("收到申请几十件", "几十件", 10, (10, 100)),
        ("收到申请上千条", "上千条", 1000, (1000, 10000)),
        ("收到申请数万件", "数万件", 10000, (10000, 100000)),
        ("收到申请逾百件", "逾百件", 100, None),
        ("收到申请超过千件", "超过千件", 1000, None),
        ("收到申请两三件", "两三件", 2, (2, 4)),  # neighbouring digits: 2–3, not 23
        ("收到申请七八件", "七八件", 7, (7, 9)),
        ("收到申请三四十件", "三四十件", 30, (30, 41)),
        ("收到申请十五六件", "十五六件", 15, (15, 17)),
        ("收到申请两三千件", "两三千件", 2000, (2000, 3001)),
        ("申请数量：九千九百九十九", "九千九百九十九", 9999, None),  # a labelled Chinese numeral needs no unit
        ("| 新收申请 | 三十 |", "三十", 30, None),
        ("同比增长九十九%", "九十九%", 99, None),
    ],
)
def test_every_form_has_its_value(text: str, written: str, value: int, bounds: tuple[int, int] | None) -> None:
    numerals = [n for n in extract_numerals(text) if n.exempt is None]
    assert numerals, text
    n = numerals[0]
    assert (n.text, n.value) == (written, Decimal(value))
    assert n.bounds == (None if bounds is None else (Decimal(bounds[0]), Decimal(bounds[1])))


@pytest.mark.parametrize(
    "text",
    [
        "Ⅰ、加强组织领导。",  # a list marker
        "涉及Ⅱ类事项。",  # a class, not a count
        "平台Ⅲ期建成。",  # a phase
        "①规范流程；②加强培训。",  # list markers
        "收到申请XX件。",  # a placeholder (N1), not twenty
        "收到申请万件。",  # a bare magnitude with no vague word is no number
        "申请总数十分有限。",
        "正负3",
        "采购零件若干。",  # 零件: spare parts
        "主要做法：一是加强领导。",
        "申请数量：万",
    ],
)
def test_markers_names_and_placeholders_are_no_counts(text: str) -> None:
    assert [n.text for n in extract_numerals(text) if n.exempt is None and n.unit] == []


@pytest.mark.parametrize(
    ("text", "written"),
    [("第1-3件", "3件"), ("2023-2024年", None), ("A-3件", "3件"), ("—30件", "30件"), ("1—30件", "30件")],
)
def test_a_dash_after_a_digit_letter_or_dash_is_no_sign(text: str, written: str | None) -> None:
    counts = [n for n in extract_numerals(text) if n.exempt is None and n.unit]
    assert [n.text for n in counts] == ([written] if written else [])
    assert all(n.value is not None and n.value > 0 for n in counts)


def test_roman_numerals_must_be_canonical() -> None:
    assert [roman_value(s) for s in ("Ⅸ", "ⅩⅨ", "XIV", "MMXXIV", "ⅯⅭⅯ")] == [9, 19, 14, 2024, 1900]
    assert [roman_value(s) for s in ("IIII", "VX", "IC", "ⅤⅤ")] == [None, None, None, None]
    assert all(roman_value(to_roman(v)) == v for v in range(1, 4000))


def test_digits_of_every_script_and_their_ranges() -> None:
    assert digits_to_decimal("٣٠") == digits_to_decimal("३०") == digits_to_decimal("３０") == Decimal(30)
    assert digits_to_decimal("３．５") == Decimal("3.5") and digits_to_decimal("1,234") == 1234
    assert FOREIGN_DIGIT_RE.findall("30３０٣٠三十𝟑𝟎①Ⅸ") == ["٣٠", "𝟑𝟎"]
    assert step_bounds(Decimal(30)) == (30, 40) and step_bounds(Decimal("0.5")) == (Decimal("0.5"), Decimal("0.6"))
    assert step_bounds(Decimal(0)) is None
    assert describe_bounds((Decimal(30), Decimal(40)), "件") == "30–39件"
    assert describe_bounds((Decimal("0.5"), Decimal("0.6")), "万元") == "不少于0.5万元、少于0.6万元"


# ---------------------------------------------------------------- property test: a value in every form

_ZH = "零一二三四五六七八九"
_SCRIPTS = {"ascii": 0x30, "fullwidth": 0xFF10, "arabic_indic": 0x660, "devanagari": 0x966, "math_bold": 0x1D7CE}
FOREIGN = {"arabic_indic", "devanagari", "math_bold"}


def _digits(v: int, script: str) -> str:
    return "".join(chr(_SCRIPTS[script] + int(d)) for d in str(v))


def _zh_below_10k(n: int, leading: bool, liang: bool) -> str:
    out, zero = "", False
    for size, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // size % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out, zero = out + "零", False
        if size == 10 and d == 1 and not out and leading:
            digit = ""  # 十二, not 一十二
        elif d == 2 and liang and size >= 100:
            digit = "两"  # 两千, 两百
        else:
            digit = _ZH[d]
        out += digit + name
    return out


def to_chinese(v: int, liang: bool) -> str:
    """1 ≤ v < 10^12 as written in Chinese: 三千零五, 两万零三十, 十二万, 一亿零五十万, 两千亿."""
    if v >= 10**8:
        high, low = divmod(v, 10**8)
        head = to_chinese(high, liang) + "亿"
        if not low:
            return head
        return head + ("零" if low < 10**7 else "") + _below_100m(low, False, liang)
    return _below_100m(v, True, liang)


def _below_100m(v: int, leading: bool, liang: bool) -> str:
    if v == 2 and liang:
        return "两"
    high, low = divmod(v, 10_000)
    if high == 0:
        return _zh_below_10k(low, leading, liang)
    head = "两" if high == 2 and liang else _zh_below_10k(high, leading, liang)
    tail = _zh_below_10k(low, False, liang)
    if low and low < 1000:
        tail = "零" + tail
    return head + "万" + tail


def _circled(v: int) -> str:
    if v <= 20:
        return chr(0x2460 + v - 1)
    return chr(0x3251 + v - 21) if v <= 35 else chr(0x32B1 + v - 36)


_ROMAN_UPPER = {"I": "Ⅰ", "V": "Ⅴ", "X": "Ⅹ"}


def _roman(v: int, style: str) -> str:
    if style == "ascii":
        return to_roman(v)
    text = chr(0x2160 + v - 1) if v <= 12 else "".join(_ROMAN_UPPER[ch] for ch in to_roman(v))
    return text if style == "upper" else "".join(chr(ord(ch) + 0x10) for ch in text)


# Numbered symbols: (first code point, its value, how many): ⒈ full stop, ❶ ➀ ➊ dingbats, ㈠ ㊀ ideographs
_SYMBOL_RUNS = {"full_stop": (0x2488, 20), "dingbat_negative": (0x2776, 10), "dingbat_circled": (0x2780, 10),
                "dingbat_sans": (0x278A, 10), "paren_ideograph": (0x3220, 10), "circled_ideograph": (0x3280, 10)}


def _mixed(draw: st.DrawFn) -> tuple[int, str]:
    """Digits mixed with magnitudes: 1万2千, 3千9百, 5百, 1千万, 1亿2000万, 1万零30."""
    style = draw(st.sampled_from(["wan_qian", "qian_bai", "bai", "qian_wan", "yi_wan", "wan_ling"]))
    a = draw(st.integers(1, 9999))
    b = draw(st.integers(1, 9))
    if style == "wan_qian":
        return a * 10_000 + b * 1000, f"{a}万{b}千"
    if style == "qian_bai":
        return min(a, 9) * 1000 + b * 100, f"{min(a, 9)}千{b}百"
    if style == "bai":
        return min(a, 9) * 100, f"{min(a, 9)}百"
    if style == "qian_wan":
        return min(a, 9) * 10**7, f"{min(a, 9)}千万"
    if style == "yi_wan":
        return a * 10**8 + b * 10_000, f"{a}亿{b}万"
    return a * 10_000 + b * 10, f"{a}万零{b * 10}"


@st.composite
def numerals(draw: st.DrawFn) -> tuple[int, str, str]:
    """(value, form, the numeral as written)."""
    form = draw(st.sampled_from(
        ["ascii", "fullwidth", "arabic_indic", "devanagari", "math_bold", "thousands", "chinese", "chinese_yi", "wan",
         "mixed", "circled", "parenthesised", *_SYMBOL_RUNS, "roman", "negative"]))
    if form in _SCRIPTS:
        v = draw(st.integers(0, 10**7))
        return v, form, _digits(v, form)
    if form == "thousands":  # 1,234,567
        v = draw(st.integers(1000, 10**9))
        return v, form, f"{v:,}"
    if form == "chinese":
        v = draw(st.integers(1, 10**8 - 1))
        return v, form, to_chinese(v, draw(st.booleans()))
    if form == "chinese_yi":  # 一亿二千万, 两千亿零五
        v = draw(st.integers(10**8, 10**12 - 1))
        return v, form, to_chinese(v, draw(st.booleans()))
    if form == "wan":  # 1.2万, 35万
        thousands = draw(st.integers(10, 99_999))
        v = thousands * 1000
        return v, form, f"{Decimal(thousands) / 10}万"
    if form == "mixed":
        v, written = _mixed(draw)
        return v, form, written
    if form == "circled":
        v = draw(st.integers(1, 50))
        return v, form, _circled(v)
    if form == "parenthesised":
        v = draw(st.integers(1, 20))
        return v, form, chr(0x2474 + v - 1)
    if form in _SYMBOL_RUNS:
        first, count = _SYMBOL_RUNS[form]
        v = draw(st.integers(1, count))
        return v, form, chr(first + v - 1)
    if form == "roman":
        v = draw(st.integers(1, 30))
        style = draw(st.sampled_from(["upper", "lower", "ascii"] if len(to_roman(v)) > 1 and to_roman(v).strip("X") else
                                     ["upper", "lower"]))
        return v, f"roman-{style}", _roman(v, style)
    v = draw(st.integers(1, 10**6))
    sign = draw(st.sampled_from(["-", "－", "−", "负"]))
    body = to_chinese(v, False) if draw(st.booleans()) else str(v)
    return -v, form, sign + body


def _report(table: int) -> Report:
    report = load_example("example-2021")
    report.table("s4").set("cases", "review_total", str(table))
    return report


# A sentence, a labelled count and a row of a table written in the text: each is checked the same way.
# ({} is the number with its unit)
SENTENCES = ("本年度因政府信息公开被申请行政复议{}。", "因政府信息公开被申请行政复议：{}", "| 因政府信息公开被申请行政复议 | {} |")
SENTENCE = "本年度因政府信息公开被申请行政复议{}件。"
# After a label (not in a sentence) a number needs no unit: digits and Chinese numerals, not circled or Roman
# ones (they count only before a unit)
UNITLESS = {*_SCRIPTS, "thousands", "chinese", "chinese_yi", "wan", "mixed"}


@settings(max_examples=400, deadline=None)
@given(numerals(), st.booleans(), st.integers(1, 10**6), st.sampled_from(SENTENCES), st.booleans())
def test_a_value_in_every_form_is_read_and_grounded(
    drawn: tuple[int, str, str], same: bool, other: int, template: str, no_unit: bool
) -> None:
    v, form, written = drawn
    unit = "" if no_unit and form in UNITLESS and template != SENTENCES[0] else "件"
    sentence = template.format(written + unit)
    counts = [n for n in extract_numerals(sentence) if n.exempt is None]
    assert [(n.text, n.value) for n in counts] == [(written + unit, Decimal(v))], (form, written)

    table = v if same and v >= 0 else (other if other != v else other + 1)  # a table never holds a negative count
    report = _report(table)
    report.sections["s1"] = sentence
    claims = [c for c in classify_report(report, exempt=False) if c.section == "s1"]
    assert [(c.quantity_id, c.kind) for c in claims] == [("review_total", "matched" if table == v else "mismatched")]
    findings = [f for f in check_report(report, codes={"X1", "X10"}) if f.location.section == "s1"]
    x1 = [f for f in findings if f.code == "X1"]
    if table == v:
        assert x1 == []
    else:
        start = sentence.index(written)
        assert [(f.severity, f.location.start) for f in x1] == [("error", start)]
        assert f"应为{table}{unit}" in x1[0].message
    x10 = [f for f in findings if f.code == "X10"]
    assert bool(x10) == (form in FOREIGN and v >= 0), (form, written)


@pytest.mark.parametrize(
    "v",
    [1, 2, 10, 11, 20, 101, 1000, 1005, 2000, 10_000, 10_010, 20_000, 120_000, 99_999_999, 10**8, 120_000_000,
     100_500_000, 100_000_005, 200_000_000_000, 999_999_999_999],
)
def test_chinese_numerals_of_the_property_test_read_back(v: int) -> None:
    for liang in (False, True):
        text = to_chinese(v, liang) + "件"
        assert [n.value for n in extract_numerals(text)] == [Decimal(v)], text


@pytest.mark.parametrize(
    ("written", "value"),
    [("一亿二千万", 120_000_000), ("一亿零五万", 100_050_000), ("两亿三千四百万五千", 234_005_000), ("一万亿", 10**12),
     ("十万", 100_000), ("一百零五", 105), ("二〇二四", 2024), ("三点五", Decimal("3.5"))],
)
def test_chinese_numerals_with_yi_and_wan(written: str, value: int | Decimal) -> None:
    assert chinese_to_decimal(written) == value


@pytest.mark.parametrize(
    ("text", "written", "value", "unit"),
    [
        ("收到申请3千9百件", "3千9百件", 3900, "件"),
        ("收到申请1万2千件", "1万2千件", 12000, "件"),
        ("收到申请1万零30件", "1万零30件", 10030, "件"),
        ("收到申请3百件", "3百件", 300, "件"),
        ("收到申请1千万件", "1千万件", 10_000_000, "件"),
        ("收到申请1亿2千3百4十万5千6百7十8件", "1亿2千3百4十万5千6百7十8件", 123_405_678, "件"),
        ("收取费用1千万元", "1千万元", 1000, "万元"),
        ("收取费用9千元", "9千元", 9000, "元"),
        ("收取费用1亿2000万元", "1亿2000万元", 12000, "万元"),
        ("收取费用12万元", "12万元", 12, "万元"),
        ("收取信息处理费壹万元", "壹万元", 1, "万元"),
        ("收取信息处理费叁仟伍佰元", "叁仟伍佰元", 3500, "元"),
        ("收取信息处理费壹佰圆", "壹佰圆", 100, "元"),
    ],
)
def test_digits_mixed_with_magnitudes_and_financial_numerals(text: str, written: str, value: int, unit: str) -> None:
    numerals = [n for n in extract_numerals(text) if n.exempt is None]
    assert [(n.text, n.value, n.unit) for n in numerals] == [(written, Decimal(value), unit)]


@pytest.mark.parametrize("text", ["加强队伍人员培训。", "陆续发布3篇解读。", "提高5百分点。"])
def test_financial_numerals_count_only_as_money_and_hundreds_before_percent_are_no_magnitude(text: str) -> None:
    assert [(n.text, n.unit) for n in extract_numerals(text) if n.exempt is None and n.unit not in ("", "篇")] == []


# ---------------------------------------------------------------- property test: ranges and vague magnitudes


_MAGNITUDE_WORDS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}


@st.composite
def ranges(draw: st.DrawFn) -> tuple[str, int, int]:
    """(the range as written, its lowest value, the first value above it): 30余 → 30, 40; 近万 → 5000, 11000."""
    form = draw(st.sampled_from(["digits_over", "chinese_over", "chinese_some", "near", "several", "wan_over"]))
    if form == "digits_over":  # 30余, 35多, 1200余
        v = draw(st.integers(1, 99)) * 10 ** draw(st.integers(0, 3))
        step = 10 ** (len(str(v)) - len(str(v).rstrip("0")))
        return f"{v}{draw(st.sampled_from(['余', '多']))}", v, v + step
    if form == "chinese_over":  # 三十余, 两百多
        d, k = draw(st.integers(1, 9)), draw(st.integers(1, 3))
        return to_chinese(d * 10**k, draw(st.booleans())) + draw(st.sampled_from(["余", "多"])), d * 10**k, (d + 1) * 10**k
    if form == "chinese_some":  # 十几, 二十几
        d = draw(st.integers(1, 9))
        return to_chinese(d * 10, False) + "几", d * 10, d * 10 + 10
    if form == "near":  # 近万: half of it up to a tenth more
        word = draw(st.sampled_from(["百", "千", "万"]))
        m = _MAGNITUDE_WORDS[word]
        return draw(st.sampled_from(["近", "将近", "接近"])) + word, m // 2, m + m // 10
    if form == "several":  # 数百, 几十, 上千: one to ten times it
        word = draw(st.sampled_from(list(_MAGNITUDE_WORDS)))
        m = _MAGNITUDE_WORDS[word]
        lead = draw(st.sampled_from(["数", "几"] if word == "十" else ["数", "几", "上"]))
        return lead + word, m, m * 10
    thousands = draw(st.integers(11, 99))  # 1.2万余 (12000–12999), 3万余 (30000–39999)
    step = 10_000 if thousands % 10 == 0 else 1000
    return f"{Decimal(thousands) / 10}万余", thousands * 1000, thousands * 1000 + step


@settings(max_examples=200, deadline=None)
@given(ranges(), st.booleans(), st.integers(0, 10**6), st.sampled_from(SENTENCES))
def test_a_range_or_vague_magnitude_is_checked_against_the_table(
    drawn: tuple[str, int, int], inside: bool, other: int, template: str
) -> None:
    written, low, high = drawn
    table = low + other % (high - low) if inside else (other if not low <= other < high else high + other)
    report = _report(table)
    report.sections["s1"] = template.format(written + "件")
    claims = [c for c in classify_report(report, exempt=False) if c.section == "s1"]
    assert [(c.text, c.kind) for c in claims] == [(written + "件", "matched" if low <= table < high else "mismatched")]
    x1 = [f for f in check_report(report, codes={"X1"}) if f.location.section == "s1"]
    assert [f.severity for f in x1] == ([] if low <= table < high else ["error"])


# ---------------------------------------------------------------- the examples, in check and in the drafter's re-check

WRONG = [
    ("s1", "本年度共收到政府信息公开申请近万件，办结30件。", "X1"),
    ("s1", "本年度共收到政府信息公开申请٩٩٩٩件，办结30件。", "X1"),
    ("s1", "本年度共收到政府信息公开申请30件，上年结转Ⅸ件。", "X1"),
    ("s1", "本年度共收到政府信息公开申请30件，上年结转⑨件。", "X1"),
    ("s1", "本年度因政府信息公开被申请行政复议4件，被提起行政诉讼3件，行政诉讼全部败诉。", "X1"),
    ("s1", "行政诉讼全部败诉。", "X1"),
    ("s1", "本年度共收到政府信息公开申请-30件。", "X1"),
    ("s1", "（二）依申请公开\n申请数量：9999件\n办结：30件", "X1"),
    ("s6", "（一）信息处理费收取情况\n本年收费金额：9999万元。", "X1"),
    ("s1", "本年度共收到政府信息公开申请1万2千件。", "X1"),
    ("s1", "本年度共收到政府信息公开申请一亿二千万件。", "X1"),
    ("s1", "本年度共收到政府信息公开申请３１件。", "X1"),
    ("s1", "全年开展专项检查-3次。", "X1"),  # a count below zero, whatever it counts
    ("s1", "（一）主动公开\n政策解读：9999篇", "X1"),  # a labelled declared figure
]


NUMBER_RULES = frozenset({"X1", "X2", "X8", "X10"})


def _numbers(findings: list[Finding]) -> list[Finding]:
    """The number rules' findings (a one-sentence draft also lacks the sub-headings of 一, rule P4)."""
    return [f for f in findings if f.code in NUMBER_RULES]


def _codes(findings: list[Finding], severity: str) -> set[str]:
    return {f.code for f in findings if f.severity == severity}


@pytest.mark.parametrize(("sid", "text", "code"), WRONG)
def test_a_wrong_number_in_any_form_is_an_error_in_check_and_in_the_drafters_recheck(sid: str, text: str, code: str) -> None:
    report = load_example("example-2021")
    redraft = section_findings(report, sid, text)  # type: ignore[arg-type]
    assert code in _codes(redraft, "error"), [f.message for f in redraft]
    report.sections[sid] = text  # type: ignore[index]
    found = [f for f in check_report(report) if f.location.section == sid]
    assert code in _codes(found, "error"), [f.message for f in found]


def test_foreign_digits_are_an_error_even_when_the_value_is_right() -> None:
    report = load_example("example-2021")
    found = _numbers(section_findings(report, "s1", "本年度共收到政府信息公开申请٣٠件。"))
    assert _codes(found, "error") == {"X10"}, [f.message for f in found]
    assert "٣٠" in found[0].message and "30" in found[0].message


def test_a_fee_contradicting_the_declared_fee_is_an_error_and_an_undeclared_fee_a_warning() -> None:
    report = load_example("example-2021")
    text = "（一）信息处理费收取情况\n本年度收取信息处理费9999万元。"
    undeclared = section_findings(report, "s6", text)
    assert _codes(undeclared, "warning") >= {"X8"} and not _codes(undeclared, "error")
    assert any("需要在已申报数字中申报" in f.message for f in undeclared)
    report.declared.append(DeclaredFigure(label="信息处理费", value=Decimal(0), unit="元"))
    declared = section_findings(report, "s6", text)
    assert "X1" in _codes(declared, "error") and any("应为0元" in f.message for f in declared)


def test_a_yearly_change_is_an_error_against_last_year_and_without_it_a_warning_saying_so() -> None:
    report = load_example("example-2021")
    text = "本年度共收到政府信息公开申请30件，同比增长9999%。"
    alone = _numbers(section_findings(report, "s1", text))
    assert not _codes(alone, "error") and any("没有上年报告" in f.message for f in blocking(alone))
    last = load_example("example-2021")
    last.meta.year -= 1
    last.table("s3").set("new", "total", "25")
    report.last_year = last
    found = section_findings(report, "s1", text)
    assert "X2" in _codes(found, "error") and any("20%" in f.message for f in found)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("本年度共收到政府信息公开申请30件，其中涉及征地拆迁的12件，全部予以公开。", "ungrounded"),  # maybe a part
        ("其中，区公安局被提起行政诉讼1件，全部败诉。", "ungrounded"),  # a sub-unit
        ("全年办理行政复议案件，均予维持。", "ungrounded"),  # the agency may be the review body
        ("本年度因政府信息公开被提起行政诉讼3件，无一败诉。", "matched"),
        ("本年度因政府信息公开被申请行政复议4件，无一被纠正。", "mismatched"),
        ("本年度因政府信息公开被申请行政复议4件，均获维持。", "mismatched"),
        ("本年度共收到政府信息公开申请30件，办结30件，全部予以公开。", "mismatched"),
    ],
)
def test_whole_set_claims_are_errors_only_when_definite(text: str, kind: str) -> None:
    report = load_example("example-2021")
    report.sections["s1"] = text
    whole = [c for c in classify_report(report) if c.section == "s1" and c.form == "whole"]
    assert [c.kind for c in whole] == [kind], [(c.text, c.kind, c.evidence) for c in whole]


@pytest.mark.parametrize(
    "text",
    [
        "对属于公开范围的政府信息公开申请，均予以公开。",  # policy, no figure
        "全部公开和部分公开的答复均附有依据。",  # part of a longer phrase
        "本年度共收到政府信息公开申请30件，其中全部予以公开15件。",  # a count
    ],
)
def test_whole_set_words_that_claim_nothing_are_not_checked(text: str) -> None:
    report = load_example("example-2021")
    report.sections["s1"] = text
    assert [c.text for c in classify_report(report) if c.section == "s1" and c.form == "whole"] == []


def test_whole_set_vocabulary_is_validated() -> None:
    data = load_vocabulary_model().model_dump(by_alias=True)
    bad = dict(data, whole_set=[w for w in data["whole_set"] if "corrected" not in w["outcomes"]])
    with pytest.raises(ValueError, match="corrected"):
        Vocabulary.model_validate(bad)
    twice = dict(data, whole_set=[*data["whole_set"], data["whole_set"][0]])
    with pytest.raises(ValueError, match="twice"):
        Vocabulary.model_validate(twice)


# ---------------------------------------------------------------- X10 wherever foreign digits appear


def test_foreign_digits_are_flagged_in_cells_names_and_meta_but_not_full_width() -> None:
    report = load_example("example-2021")
    report.table("s3").set("new", "natural", "٢٠")
    report.declared.append(DeclaredFigure(label="发布政务动态信息（第٣季度）", value=Decimal(46), unit="条"))
    report.highlights["主动公开"] = "开设专栏𝟑个。"
    report.meta.contact.phone = "０７９８-８３３５８７９"  # full-width: readable
    found = [f for f in check_report(report) if f.code == "X10"]
    places = sorted(f.location.describe() for f in found)
    assert len(found) == 3 and all(f.severity == "error" for f in found), places
    assert any(p.startswith("表三") for p in places) and "已申报数字" in places and "工作亮点" in places


def test_the_drafters_recheck_reads_only_the_drafted_section_for_foreign_digits() -> None:
    report = load_example("example-2021")
    report.table("s3").set("new", "natural", "٢٠")
    report.sections["s5"] = "（一）上年问题整改情况\n针对𝟐𝟎𝟐𝟑年度报告提出的问题逐项整改。"
    found = section_findings(report, "s1", report.section("s1"))
    assert [f for f in found if f.code == "X10"] == []


# ---------------------------------------------------------------- the LLM drafter asks again

SETTINGS = LLMSettings(base_url="http://127.0.0.1:9/v1", model="fake-model", api_key="sk-test-0000", retries=0, backoff=0)
GOOD = load_example("example-2021").section("s1")


@pytest.mark.parametrize(
    ("original", "replaced"),
    [
        ("共收到政府信息公开申请30件", "共收到政府信息公开申请近万件"),
        ("共收到政府信息公开申请30件", "共收到政府信息公开申请٣٠件"),
        ("上年结转3件", "上年结转Ⅸ件"),
        ("上年结转3件", "上年结转⑨件"),
        ("被提起行政诉讼3件。", "被提起行政诉讼3件，全部败诉。"),
        ("共收到政府信息公开申请30件", "共收到政府信息公开申请-30件"),
        ("共收到政府信息公开申请30件", "共收到政府信息公开申请1万2千件"),
        ("共收到政府信息公开申请30件", "共收到政府信息公开申请两三件"),
        ("组织政府信息公开培训4次", "组织政府信息公开培训-4次"),
        ("发布政策解读18篇", "发布政策解读十八万篇"),
    ],
)
def test_the_llm_drafter_does_not_take_a_reply_with_a_wrong_number_in_any_form(original: str, replaced: str) -> None:
    assert original in GOOD
    reply = GOOD.replace(original, replaced)
    model: Any = FinishingFake(responses=[reply, GOOD])
    result = draft_section(load_example("example-2021"), "s1", "llm", SETTINGS, chat_model=model).result
    assert result.provenance.attempts == 2, [f.message for f in result.findings]
    assert result.text == GOOD and result.findings == []
