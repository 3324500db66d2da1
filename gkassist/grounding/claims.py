"""The claim model: one number of the narrative with its class and the evidence for it.

``new_claim`` builds a claim without pydantic validation, for the classifier's own values.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from gkassist.strict import Strict

ClaimKind = Literal["matched", "mismatched", "declared", "exempt", "ungrounded"]
# whole: a whole-set claim in words (均获维持, 全部败诉, 全部予以公开, 无一败诉)
ClaimForm = Literal["count", "share", "change", "zero", "whole"]
KIND_ZH: dict[str, str] = {
    "matched": "一致",
    "mismatched": "不一致",
    "declared": "已申报",
    "exempt": "豁免",
    "ungrounded": "无依据",
}


class NumberClaim(Strict):
    """One number of the narrative with its class and the evidence for it."""

    section: str  # opening | s1 | s5 | s6
    section_title: str  # 一、总体情况 ... or 开头段落
    start: int  # character span in the section text
    end: int
    text: str  # the number as written, with its unit (text[start:end])
    value: Decimal | None  # the number stated (for 均获维持: the total it implies; for 无一败诉: 0)
    unit: str = ""
    form: ClaimForm = "count"
    kind: ClaimKind
    quantity: str | None = None  # Chinese label of the quantity named by the phrase
    quantity_id: str | None = None
    expected: Decimal | None = None  # what the tables (or the declared figure) say
    cells: list[str] = Field(default_factory=list)  # the cells used, e.g. 表三“（七）总计”行“总计”列
    cell_ids: list[str] = Field(default_factory=list)  # the same cells as table.row.column ids: s3.r_total.total
    basis: str = ""  # where the expected value comes from, with the summed cells' values
    evidence: str = ""  # Chinese explanation
    sentence: str = ""  # the sentence around the number

    @property
    def kind_zh(self) -> str:
        return KIND_ZH[self.kind]


_CLAIM_TEMPLATE: dict[str, object] = {
    name: None if info.is_required() else info.get_default(call_default_factory=True)
    for name, info in NumberClaim.model_fields.items()
}
_REQUIRED = frozenset(name for name, info in NumberClaim.model_fields.items() if info.is_required())
_LIST_FIELDS = ("cells", "cell_ids")
_new_object = object.__new__
_set = object.__setattr__


def new_claim(**fields: object) -> NumberClaim:
    """A NumberClaim from values already of the right types, without pydantic validation.

    The classifier builds hundreds of claims per report from values it made itself (Decimals,
    ints, strings, fresh lists of strings); validating each costs more than the rest of its work.
    The result equals ``NumberClaim(**fields)`` (tests/test_numbers_structure.py checks it).
    """
    claim = _new_object(NumberClaim)
    values = {**_CLAIM_TEMPLATE, **fields}
    for name in _LIST_FIELDS:  # a fresh list per claim, never one shared with an evaluation
        values[name] = list(values[name])  # type: ignore[call-overload]
    _set(claim, "__dict__", values)
    _set(claim, "__pydantic_fields_set__", set(fields))
    _set(claim, "__pydantic_extra__", None)
    _set(claim, "__pydantic_private__", None)
    return claim
