"""Find every numeral in a narrative text.

Arabic and full-width digits, thousands separators (1,234), decimals, Chinese numerals with a
counting unit (三篇, 十二件, 一百零五条, 两件), percentages (33.9%, 百分之十) and multipliers
(1.5万条, 12万元). Numerals inside exempt places (years, dates, article and document numbers,
names, phone numbers, ...) are reported once per exempt span with the reason, so that a
listing shows them too; they are never compared with the tables.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from gkassist.grounding.vocabulary import CompiledVocabulary, load_vocabulary

PAGE_NUMBER_REASON = "页码"
ApproxKind = str  # "" exact, "over" (余/多/超过: at least), "about" (约/近/左右: within a tenth)

_DIGITS = "0-9０-９"
_ZH_CHARS = "零〇一二两三四五六七八九十百千万亿"
_ZH_DIGIT_CHARS = frozenset("零〇一二两三四五六七八九十")
COUNT_UNITS = ("人次", "件", "条", "篇", "次", "个", "项", "份", "期", "场", "批", "家", "名", "人", "户", "宗", "封")
MONEY_UNITS = ("万元", "亿元", "元")
_UNITS_RE = "|".join(sorted((*COUNT_UNITS, *MONEY_UNITS, "起", "余件"), key=len, reverse=True))
_ZH_UNITS_RE = "|".join(sorted((*COUNT_UNITS, *MONEY_UNITS), key=len, reverse=True))
_ARABIC = rf"[{_DIGITS}]+(?:,[{_DIGITS}]{{3}}(?![{_DIGITS}]))*(?:[.．][{_DIGITS}]+)?"

# The look-ahead lets the scan fail fast where no numeral can start (named groups defeat the
# regex engine's own first-character optimisation).
NUMERAL_RE = re.compile(
    rf"(?=[百{_DIGITS}{_ZH_CHARS}])(?:"
    rf"(?P<pz>百分之(?P<pzn>[零〇一二两三四五六七八九十百点]+|[{_DIGITS}.．]+))"
    rf"|(?P<a>{_ARABIC})(?P<am>[ \u3000]?[万亿](?!元))?(?P<aa>余|多)?[ \u3000]?(?P<au>%|％|{_UNITS_RE})?"
    rf"|(?P<z>[{_ZH_CHARS}]+)(?P<za>余|多)?(?P<zu>{_ZH_UNITS_RE})"
    ")"
)
_HAS_DIGIT = re.compile(rf"[{_DIGITS}]")
_HAS_ZH_DIGIT = re.compile("[零〇一二两三四五六七八九十]")


def _reportable(span: str) -> bool:
    """An exempt place is listed when it holds a numeral a reader would see as a number."""
    if _HAS_DIGIT.search(span):
        return True
    if not _HAS_ZH_DIGIT.search(span):
        return False
    return len(span) <= 10 or any(m.group("z") for m in NUMERAL_RE.finditer(span))
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
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
    total = section = digit = 0
    for ch in text:
        if ch in _ZH_VALUES:
            digit = _ZH_VALUES[ch]
        elif ch in _ZH_SMALL:
            section += (digit or 1) * _ZH_SMALL[ch]
            digit = 0
        elif ch in _ZH_BIG:
            total = (total + section + digit) * _ZH_BIG[ch]
            section = digit = 0
        else:
            return None
    return Decimal(total + section + digit)


def arabic_to_decimal(text: str) -> Decimal:
    if text.isascii() and "," not in text:
        return Decimal(text)
    return Decimal(text.translate(_FULLWIDTH).replace(",", ""))


def _approx(text: str, start: int, end: int, marker: str, vocab: CompiledVocabulary) -> ApproxKind:
    if marker and marker in vocab.approx.over_after:
        return "over"
    m = vocab.approx_before_re.search(text, max(0, start - 4), start) or vocab.approx_after_re.match(text, end)
    if m is None:
        return ""
    return "over" if m.lastgroup == "over" else "about"


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
    pz, pzn, a, am, aa, au, z, za, zu = m.groups()
    if a is not None:
        if start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
            return Numeral(start, end, m.group(), None, "", exempt="名称、编号中的数字")
        value = arabic_to_decimal(a)
        unit = au or ""
        marker = aa or ""
        if unit == "余件":
            unit, marker = "件", "余"
        if am:
            value *= _ZH_BIG[am.strip()]
        if unit == "％":
            unit = "%"
        if not unit:  # trailing spaces before a missing unit are not part of the numeral
            end = start + len(m.group().rstrip(" \u3000"))
        return Numeral(
            start, end, text[start:end], value, unit, percent=unit == "%", approx=_approx(text, start, end, marker, vocab)
        )
    if pz is not None:
        if pzn[0] in _ZH_VALUES or pzn[0] in _ZH_SMALL:
            value_or_none = chinese_to_decimal(pzn)
        else:
            value_or_none = arabic_to_decimal(pzn.rstrip(".．"))
        return Numeral(start, end, m.group(), value_or_none, "%", percent=True, chinese=pzn[0] in _ZH_CHARS)
    digits, unit = z, zu
    if digits[-1] in _ZH_BIG and unit == "元":
        unit = digits[-1] + "元"
        digits = digits[:-1]
    if not any(ch in _ZH_DIGIT_CHARS for ch in digits):
        return None
    zh_value = chinese_to_decimal(digits)
    if zh_value is None:
        return None
    return Numeral(start, end, m.group(), zh_value, unit, chinese=True, approx=_approx(text, start, end, za or "", vocab))


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
    return arabic_to_decimal(m.group())
