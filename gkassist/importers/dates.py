"""Dates as a report's closing line prints them: '2025年1月20日' or '二〇二五年一月二十日'."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_DATE_LINE = re.compile(
    r"^((?:19|20)\d{2}|[〇零一二三四五六七八九○Ｏ]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月\s*([\d一二三四五六七八九十]{1,3})\s*日$"
)
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}


def parse_date_line(line: str) -> date | None:
    """A closing date line: '2025年1月20日' or '二〇二五年一月二十日'."""
    m = _DATE_LINE.match(unicodedata.normalize("NFKC", line.strip()))
    if not m:
        return None
    try:
        return date(*(_cn_number(g) for g in m.groups()))
    except ValueError:
        return None


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 4:  # year written digit by digit
        return int("".join(str(_CN_DIGITS.get(c, 0)) for c in text))
    head, _, tail = text.partition("十")
    if "十" not in text:
        return _CN_DIGITS.get(text, 0)
    return (_CN_DIGITS.get(head, 1) if head else 1) * 10 + (_CN_DIGITS.get(tail, 0) if tail else 0)
