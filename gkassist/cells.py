"""One table cell: a number, blank, not applicable ("/"), or text we could not read.

The cell keeps exactly what was typed or imported (``raw``); the parsed value is derived
from it. Blank and "/" are never turned into 0.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_serializer, model_validator

CellState = Literal["number", "blank", "na", "invalid"]

NA_MARKS = frozenset({"/", "—", "-", "--", "——", "－", "\\"})
_NUMBER = re.compile(r"^([+-]?)(\d+(?:\.\d+)?)(万元|元|件|条|个|项|篇|次)?$")


def normalise_number_text(raw: str) -> str:
    """Full-width to half-width, no spaces, no thousands separators."""
    text = unicodedata.normalize("NFKC", raw)
    return re.sub(r"[\s,，]", "", text)


class Cell(BaseModel):
    """A parsed cell. Serialises to its raw text, so saved reports hold what the user typed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    raw: str = ""
    state: CellState = "blank"
    value: int | Decimal | None = None
    unit: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_raw(cls, data: Any) -> Any:
        if isinstance(data, Cell):
            return data
        if isinstance(data, dict) and "state" in data:
            return data
        if isinstance(data, dict):
            data = data.get("raw", "")
        return _parse_fields(data)

    @model_serializer
    def _as_raw(self) -> str:
        return self.raw

    @classmethod
    def parse(cls, raw: str | int | Decimal | None) -> Cell:
        return cls.model_validate(_parse_fields(raw))

    @property
    def is_number(self) -> bool:
        return self.state == "number"

    def display(self) -> str:
        return self.raw if self.raw else "（空白）"


def _parse_fields(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {"raw": "", "state": "blank"}
    if isinstance(raw, bool):
        raise TypeError("a cell cannot be a boolean")
    if isinstance(raw, int):
        return {"raw": str(raw), "state": "number", "value": raw}
    if isinstance(raw, Decimal):
        return {"raw": str(raw), "state": "number", "value": raw}
    text = str(raw).strip()
    if not text:
        return {"raw": "", "state": "blank"}
    norm = normalise_number_text(text)
    if norm in NA_MARKS or text in NA_MARKS:
        return {"raw": text, "state": "na"}
    m = _NUMBER.match(norm)
    if not m:
        return {"raw": text, "state": "invalid"}
    sign, digits, unit = m.groups()
    value: int | Decimal
    value = Decimal(sign + digits) if "." in digits else int(sign + digits)
    return {"raw": text, "state": "number", "value": value, "unit": unit}


BLANK = Cell()
