"""One table cell: a number, blank, not applicable ("/"), or text we could not read.

The cell keeps exactly what was typed or imported (``raw``); the parsed value is derived
from it. Blank and "/" are never turned into 0. Two things are never kept: control characters
(removed; Word and XML cannot hold them) and numbers longer than MAX_DIGITS digits (the cell
is invalid with a ``reason``: no table figure is that long, and Python refuses to convert
numbers of thousands of digits).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal

from pydantic import model_serializer, model_validator

from gkassist.control_chars import strip_control_chars
from gkassist.limits import LIMITS
from gkassist.strict import Strict

CellState = Literal["number", "blank", "na", "invalid"]
Number = int | Decimal  # a cell's value: counts are int, amounts may be Decimal
MAX_DIGITS = LIMITS.cell_digits  # more than any count or 万元 amount; far below the int-string conversion limit

NA_MARKS = frozenset({"/", "—", "-", "--", "——", "－", "\\"})
_NUMBER = re.compile(r"^([+-]?)(\d+(?:\.\d+)?)(万元|元|件|条|个|项|篇|次)?$")


def normalise_number_text(raw: str) -> str:
    """Full-width to half-width, no spaces, no thousands separators."""
    text = unicodedata.normalize("NFKC", raw)
    return re.sub(r"[\s,，]", "", text)


class Cell(Strict):
    """A parsed cell. Serialises to its raw text, so saved reports hold what the user typed."""

    raw: str = ""
    state: CellState = "blank"
    value: Number | None = None
    unit: str | None = None
    reason: str | None = None  # why an invalid cell is invalid, when "not a number" is not enough

    @model_validator(mode="before")
    @classmethod
    def _from_raw(cls, data: Any) -> Any:
        if isinstance(data, Cell):
            return data
        if isinstance(data, dict):  # always re-derived from raw: a saved file cannot set state or value
            data = data.get("raw", "")
        return _parse_fields(data)

    @model_serializer
    def _as_raw(self) -> str:
        return self.raw

    @classmethod
    def parse(cls, raw: str | int | Decimal | None) -> Cell:
        return cls.model_validate(raw)

    @property
    def is_number(self) -> bool:
        return self.state == "number"

    def display(self) -> str:
        return self.raw if self.raw else "（空白）"


def _parse_fields(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {"raw": "", "state": "blank"}
    if isinstance(raw, bool):
        raise ValueError("单元格的内容不能是 true/false，应为数字、空白或“/”")
    if isinstance(raw, int):
        return _from_int(raw)
    if not isinstance(raw, str | float | Decimal):
        raise ValueError("单元格的内容应为数字或文字")
    if isinstance(raw, Decimal):
        raw = format(raw, "f") if raw.is_finite() and abs(raw.adjusted()) <= MAX_DIGITS else str(raw)
    text, removed = strip_control_chars(str(raw))
    text = text.strip()
    if removed:
        return {"raw": text, "state": "invalid", "reason": f"含有{removed}个不可见的控制字符（已删除），请核对后重新填写"}
    if not text:
        return {"raw": "", "state": "blank"}
    norm = normalise_number_text(text)
    if norm in NA_MARKS or text in NA_MARKS:
        return {"raw": text, "state": "na"}
    m = _NUMBER.match(norm)
    if not m:
        return {"raw": text, "state": "invalid"}
    sign, digits, unit = m.groups()
    if len(digits) - ("." in digits) > MAX_DIGITS:
        return {"raw": text, "state": "invalid", "reason": _too_long(len(digits) - ("." in digits))}
    value: int | Decimal
    value = Decimal(sign + digits) if "." in digits else int(sign + digits)
    return {"raw": text, "state": "number", "value": value, "unit": unit}


def _from_int(raw: int) -> dict[str, Any]:
    if abs(raw) < 10**MAX_DIGITS:
        return {"raw": str(raw), "state": "number", "value": raw}
    digits = len(str(abs(raw))) if raw.bit_length() < 10_000 else None  # str() refuses ~4300+ digits
    if digits is None:
        raise ValueError(f"数字位数过多（超过{MAX_DIGITS}位），不是有效的统计数字")
    return {"raw": str(raw), "state": "invalid", "reason": _too_long(digits)}


def _too_long(digits: int) -> str:
    return f"数字有{digits}位，超过{MAX_DIGITS}位，不是有效的统计数字，请核对"


BLANK = Cell()


def sum_numbers(values: Iterable[Number | None]) -> Number | None:
    """The sum of cell values, or None when one of them is missing (a blank, "/" or unreadable
    cell has no value and is never counted as 0) or when there is nothing to add."""
    total: Number = 0
    added = False
    for value in values:
        if value is None:
            return None
        total += value
        added = True
    return total if added else None
