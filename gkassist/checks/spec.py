"""Rule specifications: one YAML file per rule in rules/checks/, validated at load time.

A spec either declares an arithmetic identity (evaluated by identities.py, no Python needed)
or names a rule implemented in code and registered with ``@implements(code)``.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gkassist.findings import SEVERITY_ORDER, Severity
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
    case: str | None = None  # a failing example of a rule with cases: which case it raises
    note: str = ""


class Examples(_Strict):
    base: str
    fail: tuple[Example, ...] = Field(min_length=1)
    pass_: tuple[Example, ...] = Field(min_length=1, alias="pass")


class RuleCase(_Strict):
    """An outcome of a code rule with its own severity and wording, e.g. X4: section 六
    contradicting table 三 is an error (the rule's own severity), not mentioning the fee
    notices at all is the case ``omitted``, a warning."""

    severity: Severity
    message: str = Field(min_length=4)
    advice: str | None = None  # default: the rule's advice


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


class RuleSpec(_Strict):
    code: str = Field(pattern=r"^[A-Z][0-9]{1,2}$")
    name: str = Field(min_length=2)
    severity: Severity  # with cases: the most severe outcome (the rule's own message and advice)
    message: str = Field(min_length=4)  # str.format template; see identities.py / the rule module
    advice: str = Field(min_length=4)  # what the user should check or do
    rationale: str = Field(min_length=4)
    formats: tuple[FormatId, ...] = ("gk2019", "gk2021")
    min_year: int | None = None  # the rule applies to reports of this year and later
    cases: dict[str, RuleCase] = {}
    # word lists a code rule reads (e.g. X5's zero-fee wordings): policy data, not code
    phrases: dict[str, tuple[str, ...]] = {}
    # numeric thresholds a code rule reads (e.g. P2's shares of the text): policy data, not code
    limits: dict[str, float] = {}
    # drafts_only: the rule judges only candidate texts from a drafter (a published report may be
    # written otherwise); rejects_draft: an error of this rule means the candidate is no draft at all
    drafts_only: bool = False
    rejects_draft: bool = False
    identity: Identity | None = None
    examples: Examples

    @model_validator(mode="after")
    def _message_is_chinese(self) -> RuleSpec:
        if not _has_chinese(self.message + self.advice):
            raise ValueError(f"rule {self.code}: message must be in Chinese")
        for name, case in self.cases.items():
            if not _has_chinese(case.message + (case.advice or "")):
                raise ValueError(f"rule {self.code}: message of case {name} must be in Chinese")
            if SEVERITY_ORDER[case.severity] < SEVERITY_ORDER[self.severity]:
                raise ValueError(f"rule {self.code}: case {name} is more severe than the rule ({self.severity})")
        return self

    @model_validator(mode="after")
    def _examples_name_known_cases(self) -> RuleSpec:
        for example in (*self.examples.fail, *self.examples.pass_):
            if example.case is not None and example.case not in self.cases:
                raise ValueError(f"rule {self.code}: example names unknown case {example.case!r}")
        for name, words in self.phrases.items():
            if not words or not all(w.strip() for w in words):
                raise ValueError(f"rule {self.code}: phrase list {name!r} is empty or has an empty entry")
        return self

    def severity_of(self, case: str | None) -> Severity:
        return self.cases[case].severity if case is not None else self.severity


@cache
def load_specs() -> dict[str, RuleSpec]:
    specs: dict[str, RuleSpec] = {}
    for path in sorted((rules_dir() / "checks").glob("*.yaml")):
        spec = load_model(path, RuleSpec)
        if spec.code != path.stem:
            raise ValueError(f"rule file {path.name} declares code {spec.code}")
        specs[spec.code] = spec
    return specs
