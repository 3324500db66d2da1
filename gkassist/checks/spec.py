"""Rule specifications: the model of one YAML file per rule in rules/checks/.

A spec either declares an arithmetic identity (evaluated by identities.py, no Python needed)
or names a rule implemented in code and registered with ``@implements(code)``. The files are
loaded, and every name in them checked against the layouts, by rulebook.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, model_validator

from gkassist.findings import SEVERITY_ORDER, Severity
from gkassist.layouts import FormatId, TableId, TableLayout, columns_of_rows
from gkassist.model import DeclaredFigure, Rectification
from gkassist.strict import Strict

ForEach = Literal["column", "row", "none"]


class Identity(Strict):
    """``left op right`` over cells, evaluated once per column, per row, or once.

    Terms: with ``for_each: column`` a term is a row id (or ``@tag`` for the sum of the rows
    with that tag); with ``for_each: row`` a term is a column id; with ``for_each: none`` a
    term is ``row.column``. A leading ``-`` subtracts; ``last:`` reads last year's report.
    """

    table: TableId
    layout: FormatId | None = None  # only tables drawn in this layout
    for_each: ForEach
    blocks: tuple[str, ...] = ()  # limit rows (for_each row) to these blocks
    left: tuple[str, ...] = Field(min_length=1)
    op: Literal["==", "<=", ">="]
    right: tuple[str, ...] = Field(min_length=1)
    min_year: int | None = None

    @property
    def uses_last_year(self) -> bool:
        return any(t.lstrip("-").startswith("last:") for t in (*self.left, *self.right))

    @property
    def terms(self) -> tuple[str, ...]:
        return (*self.left, *self.right)

    def instances(self, layout: TableLayout) -> Iterator[str]:
        """The column id (for_each column), row id (for_each row) or "" (none) of each evaluation."""
        if self.for_each == "column":
            yield from (col.id for col in layout.blocks[0].columns)
        elif self.for_each == "row":
            for block in layout.blocks:
                if not self.blocks or block.id in self.blocks:
                    yield from (row.id for row in block.rows)
        else:
            yield ""


@dataclass(frozen=True)
class TermRef:
    """One identity term as written, for one evaluation: ``-last:@deny`` with for_each column
    ``total`` is sign −1, last year's report, the rows tagged deny, column total."""

    sign: int
    last_year: bool
    row: str  # a row id or @tag; "" for a constant
    column: str
    const: int = 0


def parse_term(raw: str, for_each: ForEach, fixed: str) -> TermRef:
    """The syntax of a term (see Identity); ValueError when it cannot be read. Whether its ids
    exist is ``term_rows``'s question."""
    sign = -1 if raw.startswith("-") else 1
    name = raw.lstrip("-")
    last = name.startswith("last:")
    name = name.removeprefix("last:")
    if name.isdigit():
        return TermRef(sign, False, "", "", int(name))
    if for_each == "column":
        return TermRef(sign, last, name, fixed)
    if for_each == "row":
        return TermRef(sign, last, fixed, name)
    row, dot, col = name.partition(".")
    if not dot or not row or not col:
        raise ValueError("with for_each: none a term is row.column")
    return TermRef(sign, last, row, col)


def term_rows(layout: TableLayout, term: TermRef) -> tuple[str, ...]:
    """The row ids a term sums (several for an @tag), each checked to have the term's column;
    KeyError naming the unknown row, tag or column."""
    if not term.row:
        return ()
    columns = columns_of_rows(layout.format, layout.id)
    if term.row.startswith("@"):
        rows = tuple(r.id for r in layout.tagged(term.row[1:]))
    elif term.row in columns:
        rows = (term.row,)
    else:
        raise KeyError(f"no row {term.row!r} in {layout.format} table {layout.id}")
    for row in rows:
        if term.column not in columns[row]:
            raise KeyError(f"row {row} has no column {term.column!r}")
    return rows


class Pinned(Strict):
    """One finding a failing example must raise: where (an address, see Location.address, e.g.
    s3.*.natural, s1:14-16, meta.period) and the parts of its message that matter (the difference,
    the value read)."""

    at: str
    says: tuple[str, ...] = Field(min_length=1)


class Example(Strict):
    """A change to a bundled example report (gkassist/examples/<base>.json)."""

    cells: dict[str, str | None] = Field(default_factory=dict)  # "s3.new.natural": "4"
    delta: dict[str, int] = Field(default_factory=dict)  # "s3.new.natural": 1 (added to the base cell)
    meta: dict[str, Any] = Field(default_factory=dict)
    sections: dict[str, str] = Field(default_factory=dict)
    declared: tuple[DeclaredFigure, ...] = ()  # added to the base's declared figures
    highlights: dict[str, str] = Field(default_factory=dict)  # added to (or replacing) the base's 工作亮点
    rectifications: tuple[Rectification, ...] = ()  # 上年问题整改情况 the clerk entered
    last_year: Literal["same", "none"] | None = None  # "same": last year = base with its own edits
    last_year_cells: dict[str, str | None] = Field(default_factory=dict)
    case: str | None = None  # a failing example of a rule with cases: which case it raises
    # a failing example pins its findings: exactly these places, each message saying these parts
    finds: tuple[Pinned, ...] = ()
    note: str = ""


class Examples(Strict):
    base: str
    fail: tuple[Example, ...] = Field(min_length=1)
    pass_: tuple[Example, ...] = Field(min_length=1, alias="pass")


class RuleCase(Strict):
    """An outcome of a code rule with its own severity and wording, e.g. X4: section 六
    contradicting table 三 is an error (the rule's own severity), not mentioning the fee
    notices at all is the case ``omitted``, a warning."""

    severity: Severity
    message: str = Field(min_length=4)
    advice: str | None = None  # default: the rule's advice


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


class RuleSpec(Strict):
    code: str = Field(pattern=r"^[A-Z][0-9]{1,2}$")
    name: str = Field(min_length=2)
    severity: Severity  # with cases: the most severe outcome (the rule's own message and advice)
    message: str = Field(min_length=4)  # str.format template; see identities.py / the rule module
    advice: str = Field(min_length=4)  # what the user should check or do
    rationale: str = Field(min_length=4)
    formats: tuple[FormatId, ...] = ("gk2019", "gk2021")
    min_year: int | None = None  # the rule applies to reports of this year and later
    cases: dict[str, RuleCase] = Field(default_factory=dict)
    # word lists a code rule reads (e.g. X5's zero-fee wordings): policy data, not code
    phrases: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    # numeric thresholds a code rule reads (e.g. P2's shares of the text): policy data, not code
    limits: dict[str, float] = Field(default_factory=dict)
    # drafts_only: the rule judges only candidate texts from a drafter (a published report may be
    # written otherwise); rejects_draft: an error of this rule means the candidate is no draft at all
    drafts_only: bool = False
    rejects_draft: bool = False
    identity: Identity | None = None
    reads_last_year: bool = False  # a code rule that compares with last year's report (X6, X9)
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

    @model_validator(mode="after")
    def _a_failing_example_is_pinned(self) -> RuleSpec:
        if not any(example.finds for example in self.examples.fail):
            raise ValueError(f"rule {self.code}: no failing example pins its findings (finds: [{{at: …, says: […]}}])")
        if self.identity is not None and self.reads_last_year:
            raise ValueError(f"rule {self.code}: an identity reads last year through last: terms, not reads_last_year")
        return self

    @property
    def needs_last_year(self) -> bool:
        """Whether the rule compares with last year's report (the cross-year rules)."""
        return self.reads_last_year or (self.identity is not None and self.identity.uses_last_year)

    def severity_of(self, case: str | None) -> Severity:
        return self.cases[case].severity if case is not None else self.severity
