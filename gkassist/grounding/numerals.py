"""Numeral forms beyond plain digits, and their values.

A reader takes all of these as numbers, so the narrative check must too:
- decimal digits of any script (Arabic-Indic ٣٠, Devanagari, full-width ３０, mathematical 𝟑𝟎 …:
  every character ``unicodedata.decimal`` reads);
- circled, parenthesised and full-stop numbers (①, ⑴, ⒈, ❶, ㈠, ㊀ …);
- Roman numerals (Ⅸ, ⅻ, ⅩⅩⅨ, XIV);
- the ranges meant by 30余, 十几 and by vague magnitudes (近万, 数百, 上千, 万余).

Digits other than ASCII and full-width ones (full-width digits are part of the Chinese
character set GB 2312 and common in real reports) are *foreign*: a reader of a Chinese report
cannot check them, so rule X10 flags them wherever they appear.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

PLAIN_DIGITS = frozenset("0123456789０１２３４５６７８９")


def _ranges(chars: list[str]) -> str:
    """A regex character class body for the given characters, as ranges of consecutive code points."""
    out: list[str] = []
    codes = sorted(ord(c) for c in chars)
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        out.append(re.escape(chr(codes[i])) + (f"-{re.escape(chr(codes[j]))}" if j > i else ""))
        i = j + 1
    return "".join(out)


# Every decimal digit (a character not in \D) other than the plain ones.
FOREIGN_DIGIT_RE = re.compile(r"[^\D0-9０-９]+")

# Circled / parenthesised / full-stop numbers and circled or parenthesised ideographs.
_SYMBOL_BLOCKS = ((0x2460, 0x249B), (0x24EA, 0x24FF), (0x2776, 0x2793), (0x3220, 0x3229), (0x3248, 0x324F),
                  (0x3251, 0x325F), (0x3280, 0x3289), (0x32B1, 0x32BF))
SYMBOL_CHARS = _ranges([chr(c) for a, b in _SYMBOL_BLOCKS for c in range(a, b + 1)])
ROMAN_CHARS = _ranges([chr(c) for c in range(0x2160, 0x2180)])  # Ⅰ…Ⅿ and ⅰ…ⅿ
ASCII_ROMAN = "IVXLCDM"

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_TABLE = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def to_roman(value: int) -> str:
    """19 → XIX (the canonical form)."""
    out = []
    for v, letters in _ROMAN_TABLE:
        while value >= v:
            out.append(letters)
            value -= v
    return "".join(out)


def roman_value(text: str) -> int | None:
    """Ⅸ → 9, ⅩⅨ → 19, ⅻ → 12, XIV → 14; None when the letters are no canonical Roman numeral (IIII, VX)."""
    letters = "".join(ch if ch in _ROMAN_VALUES else to_roman(int(unicodedata.numeric(ch))) for ch in text)
    total = 0
    for i, ch in enumerate(letters):
        v = _ROMAN_VALUES[ch]
        total += -v if i + 1 < len(letters) and _ROMAN_VALUES[letters[i + 1]] > v else v
    return total if total > 0 and to_roman(total) == letters else None


def symbol_value(ch: str) -> int:
    """⑨ → 9, ⒇ → 20, ㈢ → 3."""
    return int(unicodedata.numeric(ch))


def _ascii(ch: str) -> str:
    if ch == "．":
        return "."
    if ch == ",":
        return ""
    return ch if ch.isascii() else str(unicodedata.decimal(ch, ch))


def digits_to_decimal(text: str) -> Decimal:
    """Digits of any script (with thousands commas and a decimal point) → Decimal: ١٢٣ → 123, ３．５ → 3.5."""
    if text.isascii() and "," not in text:
        return Decimal(text)
    return Decimal("".join(map(_ascii, text)))


def step_bounds(value: Decimal) -> tuple[Decimal, Decimal] | None:
    """The range meant by 30余 / 30多 / 十几: from the number up to the next step of its last digit.

    30余 → [30, 40), 1.2万余 → [12000, 13000), 十余 → [10, 20), 百余 → [100, 200).
    """
    if value <= 0:
        return None
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return value, value + Decimal(1).scaleb(exponent)
