"""Find every numeral in a narrative text.

Digits of any script (30, ３０, ٣٠), thousands separators (1,234), decimals, Chinese numerals
with a counting unit (三篇, 十二件, 一百零五条, 两件, 三千零五件, 一亿二千万元), financial numerals
with a money unit (壹万元, 叁仟元), percentages (33.9%, 百分之十), multipliers (1.5万条, 12万元,
两万件, 3百件) and digits mixed with them (1万2千件, 3千9百件, 1亿2000万元), signs (-30件, 负30件),
circled and Roman numerals used as counts (⑨件, Ⅸ件; not Ⅱ类 or a list marker), ranges (30余件,
十几件) and vague magnitudes (近万件, 数百件, 上千条, 逾百件). The forms and their values: numerals.py.

Numerals inside exempt places (years, dates, article and document numbers, names, phone
numbers, ...) are reported once per exempt span with the reason, so that a listing shows them
too; they are never compared with the tables.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from gkassist.grounding.numerals import (
    ASCII_ROMAN,
    ROMAN_CHARS,
    SYMBOL_CHARS,
    digits_to_decimal,
    roman_value,
    step_bounds,
    symbol_value,
)
from gkassist.grounding.vocabulary import CompiledVocabulary, load_vocabulary

PAGE_NUMBER_REASON = "页码"
ApproxKind = str  # "" exact, "over" (余/多/超过: at least), "about" (约/近/左右: within a tenth)
Bounds = tuple[Decimal, Decimal]  # [low, high): the range a number stands for (30余 → [30, 40))

_ZH_CHARS = "零〇一二两三四五六七八九十百千万亿"
# Financial numerals (大写), read only before a money unit: 伍 and 陆 are also in 队伍 and 陆续.
_FINANCIAL = {"壹": "一", "贰": "二", "貳": "二", "叁": "三", "參": "三", "肆": "四", "伍": "五", "陆": "六", "陸": "六",
              "柒": "七", "捌": "八", "玖": "九", "拾": "十", "佰": "百", "仟": "千", "萬": "万", "億": "亿"}
_FIN_CHARS = "".join(_FINANCIAL) + "零〇万亿"
_FIN_TABLE = str.maketrans({k: v for k, v in _FINANCIAL.items()})
_ZH_DIGIT_CHARS = frozenset("零〇一二两三四五六七八九十")
_MAGNITUDES = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
COUNT_UNITS = ("人次", "件", "条", "篇", "次", "个", "项", "份", "期", "场", "批", "家", "名", "人", "户", "宗", "封")
MONEY_UNITS = ("万元", "亿元", "元")
# A circled or Roman numeral counts only before a counting word: Ⅱ期, Ⅲ类, ①、 name or list things.
_SYMBOL_UNITS = tuple(u for u in COUNT_UNITS if u not in ("期", "批"))
_UNITS_RE = "|".join(sorted((*COUNT_UNITS, *MONEY_UNITS, "起", "余件"), key=len, reverse=True))
_ZH_UNITS_RE = "|".join(sorted((*COUNT_UNITS, *MONEY_UNITS), key=len, reverse=True))
_SYMBOL_UNITS_RE = "|".join(sorted(_SYMBOL_UNITS, key=len, reverse=True))
_ARABIC = r"\d+(?:,\d{3}(?!\d))*(?:[.．]\d+)?"  # \d: the decimal digits of every script

# The look-ahead lets the scan fail fast where no numeral can start (named groups defeat the
# regex engine's own first-character optimisation). It names the blocks that hold the decimal digits
# of the Basic Multilingual Plane, and everything above it, rather than \d: a class of code points
# below U+10000 only is tested with one bitmap look-up, \d with a category test on every character. A run of Chinese or Roman numerals is read
# from its first character only and at most _RUN characters long: a numeral is never longer
# (一亿二千三百四十五万六千七百八十九 is 17), and hostile text (a long run with no unit after
# it) is then scanned in linear time, not once from every character of the run.
_RUN = 24
# After digits, magnitudes and more digits with magnitudes: 1.2万, 3百, 1千万, 1万2千, 3千9百, 1万零30,
# 1亿2000万, 7十8 (not 百分之 or 百分点 after a number). No number has more than eight such groups
# (1亿2千3百4十万5千6百7十8).
_ARABIC_MAGNITUDES = (r"(?:[百千万亿](?!分)){1,3}(?:零?\d+(?:[.．]\d+)?(?:[十百千万亿](?!分)){1,3}){0,8}"
                      r"(?:(?<=十)\d(?![\d.．])|零\d+(?![\d.．]))?")
_DIGIT_BLOCKS = "0-9\u0660-\u1c59\ua620-\uabf9\uff10-\uff19"  # a superset of the BMP's decimal digits
NUMERAL_RE = re.compile(
    rf"(?=[百{_DIGIT_BLOCKS}{_ZH_CHARS}{_FIN_CHARS}{SYMBOL_CHARS}{ROMAN_CHARS}{ASCII_ROMAN}]|[\U00010000-\U0010ffff])(?:"
    rf"(?P<pz>百分之(?P<pzn>[零〇一二两三四五六七八九十百点]+|[\d.．]+))"
    rf"|(?P<a>{_ARABIC})(?P<am>[ \u3000]?{_ARABIC_MAGNITUDES})?(?P<aa>余|多|几)?[ \u3000]?(?P<au>%|％|{_UNITS_RE})?"
    rf"|(?P<z>(?<![{_ZH_CHARS}])[{_ZH_CHARS}]{{1,{_RUN}}})(?P<za>余|多|几)?(?P<zu>{_ZH_UNITS_RE}|%|％)"
    rf"|(?P<s>[{SYMBOL_CHARS}]|(?<![{ROMAN_CHARS}])[{ROMAN_CHARS}]{{1,{_RUN}}}|(?<![A-Za-z])[{ASCII_ROMAN}]{{2,{_RUN}}})"
    rf"[ \u3000]?(?P<su>{_SYMBOL_UNITS_RE})"
    rf"|(?P<f>(?<![{_FIN_CHARS}])[{_FIN_CHARS}]{{1,{_RUN}}})(?P<fu>万元|亿元|元|圆)"
    # a Chinese numeral alone after a label (申请数量：九千九百九十九; | 新收申请 | 三十 |), up to a clause end
    rf"|(?P<zb>(?<=[：:|])[{_ZH_CHARS}]{{1,{_RUN}}}|(?<=[：:|][ \u3000])[{_ZH_CHARS}]{{1,{_RUN}}})"
    r"(?=[ \u3000]*(?:[，,。；;|\n]|$))"
    ")"
)
# Two neighbouring digits are a range (两三件 is 2–3, 三四十件 30–40, 十五六件 15–16), never 23 or 340.
_NEIGHBOURS = re.compile("(十?)([一两二三四五六七八九])([两二三四五六七八九])([十百千万亿]?)")
_MAGNITUDE_TOKENS = re.compile(r"[\d.．]+|[零十百千万亿]")
_HAS_DIGIT = re.compile(r"\d")
_SIGNS = "-－−﹣"  # a minus right before a number (not a dash: —, –)
_SIGN_CHARS = frozenset(_SIGNS + "负")
_NOT_BEFORE_SIGN = frozenset("—–-－−﹣~～)）]】") | _ZH_DIGIT_CHARS | frozenset(_MAGNITUDES)
_HAS_ZH_DIGIT = re.compile("[零〇一二两三四五六七八九十]")


def _reportable(span: str) -> bool:
    """An exempt place is listed when it holds a numeral a reader would see as a number."""
    if _HAS_DIGIT.search(span):
        return True
    if not _HAS_ZH_DIGIT.search(span):
        return False
    return len(span) <= 10 or any(m.group("z") for m in NUMERAL_RE.finditer(span))
_ZH_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_SMALL = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10_000, "亿": 100_000_000}


@dataclass(slots=True)  # not frozen: frozen dataclasses are slow to create, and there is one per number
class Numeral:
    """One number as written. ``start``/``end`` cover the numeral and its unit."""

    start: int
    end: int
    text: str
    value: Decimal | None
    unit: str
    percent: bool = False
    approx: ApproxKind = ""
    chinese: bool = False
    exempt: str | None = None  # the reason, for numerals in exempt places
    bounds: Bounds | None = None  # the range meant (30余件, 近万件, 数百件); None: ``value`` (and ``approx``)


@lru_cache(maxsize=4096)  # a report repeats the same few numerals; a Decimal is immutable
def chinese_to_decimal(text: str) -> Decimal | None:
    """一百零五 → 105, 十二 → 12, 两千 → 2000, 三万 → 30000, 二〇二四 → 2024, 三点五 → 3.5."""
    if "点" in text:
        whole, _, frac = text.partition("点")
        base = chinese_to_decimal(whole) if whole else Decimal(0)
        if base is None or not frac or any(ch not in _ZH_VALUES for ch in frac):
            return None
        return base + Decimal("0." + "".join(str(_ZH_VALUES[ch]) for ch in frac))
    if not text:
        return None
    if all(ch in _ZH_VALUES for ch in text):
        if len(text) == 1:
            return Decimal(_ZH_VALUES[text])
        return Decimal("".join(str(_ZH_VALUES[ch]) for ch in text))  # digit by digit: 二〇二四
    if any(ch not in _ZH_VALUES and ch not in _MAGNITUDES for ch in text):
        return None
    return compose_magnitudes([_ZH_VALUES.get(ch, ch) for ch in text])


def compose_magnitudes(tokens: Sequence[Decimal | int | str]) -> Decimal:
    """The value of numbers and magnitude characters in order: [3, 千, 9, 百] → 3900, [1, 亿, 2000, 万] → 120000000.

    十/百/千 multiply the number before them (1 if none) within a section of four digits; 万 closes
    the section below 亿, 亿 closes everything before it (一万亿 is 10^12).
    """
    high: Decimal | int = 0
    mid: Decimal | int = 0
    section: Decimal | int = 0
    digit: Decimal | int | None = None
    for tok in tokens:
        if not isinstance(tok, str):
            digit = tok
        elif tok in _ZH_SMALL:
            section += (1 if digit is None else digit) * _ZH_SMALL[tok]
            digit = None
        elif tok == "万":
            mid += (section + (digit or 0)) * _ZH_BIG[tok]
            section, digit = 0, None
        elif tok == "亿":
            high = (high + mid + section + (digit or 0)) * _ZH_BIG[tok]
            mid = section = 0
            digit = None
    return Decimal(high + mid + section + (digit or 0))


arabic_to_decimal = digits_to_decimal


def _approx(
    text: str, start: int, end: int, marker: str, vocab: CompiledVocabulary, value: Decimal
) -> tuple[ApproxKind, Bounds | None]:
    """How exact the number is: 30余件 / 30多件 / 十几件 (``marker``) → up to the next step of its last digit;
    超过30件, 30件以上 → at least; 约30件, 30件左右 → within a tenth."""
    if marker:
        return "over", step_bounds(value)
    m = vocab.approx_before_re.search(text, max(0, start - 4), start) or vocab.approx_after_re.match(text, end)
    if m is None:
        return "", None
    return ("over" if m.lastgroup == "over" else "about"), None


def _vague(
    text: str, start: int, magnitude: Decimal, vocab: CompiledVocabulary
) -> tuple[int, ApproxKind, Bounds | None] | None:
    """A bare magnitude after a vague word (近万, 数百, 上千, 逾百): where the word starts, how exact it is.

    None: no vague word before it, so no number (万件 alone).
    """
    lo = max(0, start - 4)
    if vocab.several_unless_re is not None and vocab.several_unless_re.search(text, lo, start):
        return None  # 总数十件, 以上百件: the character belongs to the word before
    m = vocab.approx_before_re.search(text, lo, start)
    if m is not None and m.lastgroup == "over":
        return m.start(), "over", None
    if m is not None:  # 近万件: about the magnitude, from half of it up to a tenth more
        return m.start(), "about", (magnitude / 2, magnitude * Decimal("1.1"))
    m = vocab.several_before_re.search(text, lo, start) if vocab.several_before_re is not None else None
    if m is not None:
        return m.start(), "over", (magnitude, magnitude * 10)  # 数百件, 几十件, 上千条: one to ten times it
    return None


def _sign_start(text: str, start: int) -> int:
    """Where the number starts with its sign (-30件, －30件, 负30件); ``start`` when it has none."""
    if start == 0:
        return start
    ch = text[start - 1]
    before = text[start - 2] if start >= 2 else ""
    if ch == "负":
        return start if before == "正" else start - 1  # 正负3%: a tolerance, not a negative
    if ch in _SIGNS and not (before.isdigit() or (before.isascii() and before.isalpha()) or before in _NOT_BEFORE_SIGN):
        return start - 1  # 1-3, A-1, 2023-2024: a range or a code, not a sign
    return start


_LONG_DIGIT_RUN = re.compile(r"\d{40,}")


def _mask_long_digit_runs(text: str) -> str:
    """Runs of 40+ digits hidden from the exempt scan (same length, so spans stay valid): no exempt
    place is that long, and patterns like \\d+号 would retry at every digit (quadratic time)."""
    return _LONG_DIGIT_RUN.sub(lambda m: "\ufffc" * len(m.group()), text) if len(text) >= 40 else text


def exempt_spans(text: str, vocab: CompiledVocabulary | None = None) -> list[tuple[int, int, str]]:
    """(start, end, reason) of every exempt place that holds a numeral, in text order."""
    vocab = vocab or load_vocabulary()
    spans: list[tuple[int, int, str]] = []
    for m in vocab.exempt_re.finditer(_mask_long_digit_runs(text)):
        if m.end() > m.start() and _reportable(m.group()):
            group = m.lastgroup
            spans.append((m.start(), m.end(), vocab.exempt_reasons.get(group or "", "豁免")))
    return spans


def _numeral_from_match(text: str, m: re.Match[str], vocab: CompiledVocabulary) -> Numeral | None:
    start, end = m.span()
    pz, pzn, a, am, aa, au, z, za, zu, s, su, f, fu, zb = m.groups()
    if a is not None:
        if start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
            return Numeral(start, end, m.group(), None, "", exempt="名称、编号中的数字")
        value = digits_to_decimal(a)
        unit = au or ""
        marker = aa or ""
        if unit == "余件":
            unit, marker = "件", "余"
        if am:  # 1.2万件, 9千余件, 1万2千件, 12万元 (a money unit of 万元)
            value = _with_magnitudes(value, am.strip())
            if unit == "元" and am[-1] in _ZH_BIG:
                unit = am[-1] + "元"
                value /= _ZH_BIG[am[-1]]
        if unit == "％":
            unit = "%"
        if not unit:  # trailing spaces before a missing unit are not part of the numeral
            end = start + len(m.group().rstrip(" \u3000"))
        approx, bounds = _approx(text, start, end, marker, vocab, value)
        numeral = Numeral(start, end, text[start:end], value, unit, percent=unit == "%", approx=approx, bounds=bounds)
        return _signed(text, numeral) if start and text[start - 1] in _SIGN_CHARS else numeral
    if pz is not None:
        if pzn[0] in _ZH_VALUES or pzn[0] in _ZH_SMALL:
            value_or_none = chinese_to_decimal(pzn)
        else:
            value_or_none = digits_to_decimal(pzn.rstrip(".．"))
        return Numeral(start, end, m.group(), value_or_none, "%", percent=True, chinese=pzn[0] in _ZH_CHARS)
    if s is not None:
        if not ("\u2160" <= s[0] <= "\u217f" or s[0] in ASCII_ROMAN):  # ⑨件, ⑴件, ㈢件
            return Numeral(start, end, m.group(), Decimal(symbol_value(s)), su)
        roman = roman_value(s)
        if roman is None or s.strip("X") == "":  # XX件 is a placeholder (rule N1), not twenty
            return None
        return Numeral(start, end, m.group(), Decimal(roman), su)
    if f is not None:  # 壹万元, 叁仟元
        digits, unit = f.translate(_FIN_TABLE), fu.replace("圆", "元")
        if not any(ch in _ZH_DIGIT_CHARS for ch in digits):
            return None
        if digits[-1] in _ZH_BIG and unit == "元":
            unit, digits = digits[-1] + "元", digits[:-1]
        fin_value = chinese_to_decimal(digits)
        if fin_value is None:
            return None
        numeral = Numeral(start, end, m.group(), fin_value, unit, chinese=True)
        return _signed(text, numeral) if start and text[start - 1] in _SIGN_CHARS else numeral
    if zb is not None:  # 申请数量：九千九百九十九
        return _chinese(text, start, end, zb, "", "", vocab) if any(ch in _ZH_DIGIT_CHARS for ch in zb) else None
    digits, unit = z, zu
    if unit == "％":
        unit = "%"
    if digits == "零" and unit == "件":
        return None  # 零件: spare parts
    if digits[-1] in _ZH_BIG and unit == "元":
        unit = digits[-1] + "元"
        digits = digits[:-1]
    bare = bool(digits) and all(ch in _MAGNITUDES for ch in digits)  # 万, 十万, 百: no digit before them
    if bare and not za:
        vague = _vague(text, start, _magnitude_value(digits), vocab)
        if vague is not None:  # the vague word is part of the numeral: 近万件
            begin, approx, bounds = vague
            return Numeral(begin, end, text[begin:end], _magnitude_value(digits), unit, chinese=True, approx=approx,
                           bounds=bounds)
    if not (za and bare) and not any(ch in _ZH_DIGIT_CHARS for ch in digits):
        return None  # 万件 alone is no number; 万余件 and 十件 are
    if bare:
        value = _magnitude_value(digits)
        approx, bounds = _approx(text, start, end, za or "", vocab, value)
        numeral = Numeral(start, end, m.group(), value, unit, percent=unit == "%", chinese=True, approx=approx,
                          bounds=bounds)
        return _signed(text, numeral) if start and text[start - 1] in _SIGN_CHARS else numeral
    return _chinese(text, start, end, digits, unit, za or "", vocab)


def _chinese(
    text: str, start: int, end: int, digits: str, unit: str, marker: str, vocab: CompiledVocabulary
) -> Numeral | None:
    """A Chinese numeral with digits (三十, 两三, 一亿二千万) and its unit, sign and range."""
    pair = _NEIGHBOURS.fullmatch(digits) if 2 <= len(digits) <= 4 else None
    if pair is not None and _ZH_VALUES[pair[3]] == _ZH_VALUES[pair[2]] + 1 and not marker:
        low, high = (chinese_to_decimal(pair[1] + d + pair[4]) for d in (pair[2], pair[3]))
        assert low is not None and high is not None
        numeral = Numeral(start, end, text[start:end], low, unit, percent=unit == "%", chinese=True, approx="about",
                          bounds=(low, high + 1))
    else:
        value = chinese_to_decimal(digits)
        if value is None:
            return None
        approx, bounds = _approx(text, start, end, marker, vocab, value)
        numeral = Numeral(start, end, text[start:end], value, unit, percent=unit == "%", chinese=True, approx=approx,
                          bounds=bounds)
    return _signed(text, numeral) if start and text[start - 1] in _SIGN_CHARS else numeral


def _with_magnitudes(first: Decimal, magnitudes: str) -> Decimal:
    """1.2 and 万 → 12000; 1 and 万2千 → 12000; 1 and 万零30 → 10030."""
    tokens: list[Decimal | str] = [first]
    for tok in _MAGNITUDE_TOKENS.findall(magnitudes):
        if tok != "零":
            tokens.append(tok if tok in _MAGNITUDES else digits_to_decimal(tok))
    return compose_magnitudes(tokens)


def describe_bounds(bounds: Bounds, unit: str) -> str:
    """[30, 40) → 30–39件; [5000, 11000) → 5000–10999件; a range of decimals → 不少于a、少于b."""
    low, high = bounds
    if low == low.to_integral_value() and high == high.to_integral_value():
        return f"{_plain(low)}–{_plain(high - 1)}{unit}"
    return f"不少于{_plain(low)}{unit}、少于{_plain(high)}{unit}"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _magnitude_value(digits: str) -> Decimal:
    """十万 → 100000, 万 → 10000 (chinese_to_decimal reads a lone 万 as 0: it needs a digit before it)."""
    value = Decimal(1)
    for ch in digits:
        value *= _MAGNITUDES[ch]
    return value


def _signed(text: str, n: Numeral) -> Numeral:
    """The numeral with its sign, if one is written right before it: -30件 is -30."""
    begin = _sign_start(text, n.start)
    if begin < n.start and n.value is not None:
        n.start, n.text, n.value = begin, text[begin : n.end], -n.value
        n.bounds = (-n.bounds[1], -n.bounds[0]) if n.bounds is not None else None
    return n


def extract_numerals(
    text: str, vocab: CompiledVocabulary | None = None, *, with_exempt: bool = True
) -> list[Numeral]:
    """Every numeral of the text in order, exempt places included (as one numeral per place)
    unless ``with_exempt`` is false (the checks never look at them)."""
    vocab = vocab or load_vocabulary()
    spans = exempt_spans(text, vocab)
    starts = [s for s, _, _ in spans]
    out: list[Numeral] = (
        [Numeral(s, e, text[s:e], _first_value(text[s:e]), "", exempt=r) for s, e, r in spans] if with_exempt else []
    )
    for m in NUMERAL_RE.finditer(text):
        i = bisect_right(starts, m.start()) - 1
        if i >= 0 and spans[i][1] > m.start():
            continue  # inside an exempt place
        if i + 1 < len(spans) and spans[i + 1][0] < m.end():
            # the numeral runs into an exempt place (e.g. 2024年 read as 2024 + unit): keep the part before it
            continue
        numeral = _numeral_from_match(text, m, vocab)
        if numeral is None:
            continue
        after = vocab.exempt_after_re.match(text, numeral.end) if vocab.exempt_after_re is not None else None
        if after is not None:  # 共六个部分: the words after the number say what it counts
            if with_exempt:
                end = after.end()
                out.append(Numeral(numeral.start, end, text[numeral.start : end], numeral.value, numeral.unit,
                                   exempt=vocab.exempt_reasons.get(after.lastgroup or "", "豁免")))
            continue
        out.append(numeral)
    out.sort(key=lambda n: n.start)
    return out


_FIRST_VALUE = re.compile(rf"{_ARABIC}|[{_ZH_CHARS}]+")


def _first_value(text: str) -> Decimal | None:
    m = _FIRST_VALUE.search(text)
    if m is None:
        return None
    if m.group()[0] in _ZH_CHARS:
        return chinese_to_decimal(m.group())
    return digits_to_decimal(m.group())
