"""Rule specifications: one YAML file per rule in rules/checks/, validated at load time.

A spec either declares an arithmetic identity (evaluated by identities.py, no Python needed)
or names a rule implemented in code and registered with ``@implements(code)``.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gkassist.findings import Severity
from gkassist.layouts import FormatId, TableId
from gkassist.paths import rules_dir
from gkassist.yamlio import load_model


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Identity(_Strict):
    """``left op right`` over cells, evaluated once per column, per row, or once.

    Terms: with ``for_each: column`` a term is a row id (or ``@tag`` for the sum of the rows
    with that tag); with ``for_each: row`` a term is a column id; with ``for_each: none`` a
    term is ``row.column``. A leading ``-`` subtracts; ``last:`` reads last year's report.
    """

    table: TableId
    layout: FormatId | None = None  # only tables drawn in this layout
    for_each: Literal["column", "row", "none"]
    blocks: tuple[str, ...] = ()  # limit rows (for_each row) to these blocks
    left: tuple[str, ...] = Field(min_length=1)
    op: Literal["==", "<=", ">="]
    right: tuple[str, ...] = Field(min_length=1)
    min_year: int | None = None

    @property
    def uses_last_year(self) -> bool:
        return any(t.lstrip("-").startswith("last:") for t in (*self.left, *self.right))


class Example(_Strict):
    """A change to a bundled example report (gkassist/examples/<base>.json)."""

    cells: dict[str, str | None] = {}  # "s3.new.natural": "4"
    delta: dict[str, int] = {}  # "s3.new.natural": 1 (added to the base cell)
    meta: dict[str, Any] = {}
    sections: dict[str, str] = {}
    last_year: Literal["same", "none"] | None = None  # "same": last year = base with its own edits
    last_year_cells: dict[str, str | None] = {}
    note: str = ""


class Examples(_Strict):
    base: str
    fail: tuple[Example, ...] = Field(min_length=1)
    pass_: tuple[Example, ...] = Field(min_length=1, alias="pass")


class RuleSpec(_Strict):
    code: str = Field(pattern=r"^[A-Z][0-9]{1,2}$")
    name: str = Field(min_length=2)
    severity: Severity
    message: str = Field(min_length=4)  # str.format template; see identities.py / the rule module
    advice: str = Field(min_length=4)  # what the user should check or do
    rationale: str = Field(min_length=4)
    formats: tuple[FormatId, ...] = ("gk2019", "gk2021")
    identity: Identity | None = None
    examples: Examples

    @model_validator(mode="after")
    def _message_is_chinese(self) -> RuleSpec:
        if not any("\u4e00" <= ch <= "\u9fff" for ch in self.message + self.advice):
            raise ValueError(f"rule {self.code}: message must be in Chinese")
        return self


@cache
def load_specs() -> dict[str, RuleSpec]:
    specs: dict[str, RuleSpec] = {}
    for path in sorted((rules_dir() / "checks").glob("*.yaml")):
        spec = load_model(path, RuleSpec)
        if spec.code != path.stem:
            raise ValueError(f"rule file {path.name} declares code {spec.code}")
        specs[spec.code] = spec
    return specs
