"""The schema of rules/vocabulary.yaml: strict pydantic models, validated completely on load.

Unknown keys, unknown quantities in ``share_of`` / ``within``, outcomes no whole-set entry
names, regexes that do not compile, and every ``table.row.column`` reference against the
layouts in rules/layouts/ (an ``@tag`` row must name a tag that some row of the table carries).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, model_validator

from gkassist.layouts import FORMAT_IDS, FormatId, TableId, get_layout
from gkassist.strict import Strict

GAP_MARK = "…"
# Characters that end a clause: a phrase never spans them.
CLAUSE_DELIMS = "，,；;：:。！？!?\n"
SENTENCE_DELIMS = "。！？!?\n"

CellAddress = tuple[TableId, str, str]  # (table, row id, column id)


CellList = tuple[str, ...] | dict[FormatId, tuple[str, ...]]


class AlsoSum(Strict):
    """Another sum of cells the same wording may count (受理N件: 新收 + 上年结转 as well as 新收)."""

    label: str = Field(min_length=1)
    cells: CellList = Field(min_length=1)
    unless: tuple[str, ...] = ()  # the phrase as written holds one of these: it names the quantity exactly


class Outcome(Strict):
    """Cells counting the cases of a quantity with one outcome (结果维持, 结果纠正, 予以公开), or their whole."""

    label: str = Field(min_length=1)
    cells: CellList = Field(min_length=1)


class Quantity(Strict):
    """A quantity of the report that the narrative may state."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    phrases: tuple[str, ...] = Field(min_length=1)
    base_phrases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    near: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()
    rival: tuple[str, ...] = ()
    within: str | None = None
    cells: CellList = ()
    # what a whole-set claim (均获维持, 全部败诉, 全部予以公开) about this quantity is checked against:
    # the cases with each outcome, and all the cases (default: the quantity's own cells)
    outcomes: dict[str, Outcome] = Field(default_factory=dict)
    outcome_whole: Outcome | None = None
    declared: tuple[str, ...] = ()
    share_of: str | None = None
    units: tuple[str, ...] = ()
    also: tuple[AlsoSum, ...] = ()

    @model_validator(mode="after")
    def _has_source(self) -> Quantity:
        if not self.cells and not self.declared:
            raise ValueError(f"quantity {self.id}: give cells or declared")
        if self.rival and not self.subject:
            raise ValueError(f"quantity {self.id}: rival needs subject")
        for phrase in (*self.phrases, *self.base_phrases):
            if not phrase.replace(GAP_MARK, "").strip() or phrase.startswith(GAP_MARK) or phrase.endswith(GAP_MARK):
                raise ValueError(f"quantity {self.id}: bad phrase {phrase!r}")
            if len(phrase.split(GAP_MARK)[0]) < 2:
                raise ValueError(f"quantity {self.id}: phrase {phrase!r} must start with at least two characters")
        return self


class ZeroWords(Strict):
    negators: tuple[str, ...] = Field(min_length=1)
    verbs: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()


class WholeSetWords(Strict):
    """Words claiming that every case of the quantity named before them had one outcome (均获维持,
    全部败诉, 全部予以公开), or none did (无一败诉)."""

    outcomes: tuple[str, ...] = Field(min_length=1)  # tried in order on the quantity named before
    says: Literal["all", "none"]
    words: tuple[str, ...] = Field(min_length=1)
    # only when the sentence states the quantity's number first (收到申请30件，全部予以公开), not in a
    # statement of policy (对属于公开范围的，均予以公开)
    needs_count: bool = False
    # the words say the agency was a party to the cases (败诉, 被纠正, 获维持): what holds for all its cases
    # holds for those of table 四, so the quantity's ``near`` words (公开) are not needed
    party: bool = False


class ChangeWords(Strict):
    compare: tuple[str, ...] = Field(min_length=1)
    up: tuple[str, ...] = Field(min_length=1)
    down: tuple[str, ...] = Field(min_length=1)
    # before a number in the same sentence, these words (and ``compare``) make a negative count a change,
    # not a count: 本年增/减-3项, 较上年-30件
    signed: tuple[str, ...] = ()


class ApproxWords(Strict):
    over_before: tuple[str, ...] = ()
    over_after: tuple[str, ...] = ()
    about_before: tuple[str, ...] = ()
    about_after: tuple[str, ...] = ()
    several_before: tuple[str, ...] = ()  # 数百, 几十, 上千: one to ten times the magnitude
    several_unless: tuple[str, ...] = ()  # 总数十件, 以上百件: the word before owns the character


class SubUnitWords(Strict):
    """Words that show a sentence states the figure of a part of the agency (区政府办代表区政府受理17件)."""

    markers: tuple[str, ...] = ()  # anywhere before the phrase: X代表Y受理
    units: tuple[str, ...] = ()  # an organisation named before the phrase: 区公安局、区政务服务中心
    own: tuple[str, ...] = ()  # right before that organisation, it is the reporting agency itself: 我局、本局、全局


class ExemptRule(Strict):
    reason: str = Field(min_length=1)
    pattern: str = Field(min_length=1)

    @model_validator(mode="after")
    def _compiles(self) -> ExemptRule:
        try:
            re.compile(self.pattern, re.M)
        except re.error as exc:
            raise ValueError(f"exempt pattern for {self.reason!r} does not compile: {exc}") from exc
        return self


class Vocabulary(Strict):
    version: int = 1
    gap: int = Field(default=12, ge=1, le=40)
    definite_gap: int = Field(default=16, ge=0, le=200)
    not_between: tuple[str, ...] = ()
    # a phrase ending in one of these words does not end there when one of the listed characters
    # follows ('申请人' is a person, not '申请')
    word_tails: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    quantities: tuple[Quantity, ...] = Field(min_length=1)
    zero: ZeroWords
    whole_set: tuple[WholeSetWords, ...] = ()
    # between the quantity and a whole-set claim, these words show it may be about a part (其中涉及…的12件)
    part_markers: tuple[str, ...] = ()
    # between the number stated (or the quantity) and a whole-set claim, these words make it a claim about
    # the cases that meet a condition (属于公开范围的，全部予以公开): policy, not a figure of the tables
    condition_markers: tuple[str, ...] = ()
    share_markers: tuple[str, ...] = ()
    change: ChangeWords
    approx: ApproxWords = ApproxWords()
    sub_unit: SubUnitWords = SubUnitWords()
    page_lines: tuple[str, ...] = ()
    exempt: tuple[ExemptRule, ...] = ()
    exempt_after: tuple[ExemptRule, ...] = ()

    @model_validator(mode="after")
    def _page_lines_compile(self) -> Vocabulary:
        for pattern in self.page_lines:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"page_lines pattern {pattern!r} does not compile: {exc}") from exc
        return self

    @model_validator(mode="after")
    def _references_exist(self) -> Vocabulary:
        ids = [q.id for q in self.quantities]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate quantity ids: {sorted(dupes)}")
        words = [w for entry in self.whole_set for w in entry.words]
        if len(words) != len(set(words)):
            raise ValueError(f"whole_set words listed twice: {sorted({w for w in words if words.count(w) > 1})}")
        used = {o for w in self.whole_set for o in w.outcomes}
        for q in self.quantities:
            unknown = set(q.outcomes) - used
            if unknown:
                raise ValueError(f"quantity {q.id}: outcomes {sorted(unknown)} are named by no whole_set entry")
            if q.share_of is not None and q.share_of not in ids:
                raise ValueError(f"quantity {q.id}: share_of names unknown quantity {q.share_of}")
            if q.within is not None and q.within not in ids:
                raise ValueError(f"quantity {q.id}: within names unknown quantity {q.within}")
            sources = [("cells", q.cells), *((f"outcome {k}", o.cells) for k, o in q.outcomes.items()),
                       *(("also", a.cells) for a in q.also)]
            if q.outcome_whole is not None:
                sources.append(("outcome_whole", q.outcome_whole.cells))
            for field, cells in sources:
                for fmt, refs in per_format(cells).items():
                    for ref in refs:
                        resolve_cell(fmt, ref, where=f"quantity {q.id} {field}")
        return self


def per_format(cells: CellList) -> dict[FormatId, tuple[str, ...]]:
    if isinstance(cells, dict):
        return dict(cells)
    if not cells:
        return {}
    return {fmt: cells for fmt in FORMAT_IDS}


def resolve_cell(format_id: FormatId, ref: str, where: str = "") -> list[CellAddress]:
    """``s3.@deny.total`` → every (table, row, column) it names in that format; raises on unknown ids."""
    parts = ref.split(".")
    if len(parts) != 3:
        raise ValueError(f"{where}: cell reference {ref!r} must be table.row.column")
    table_id, row_ref, col_id = parts
    layout = get_layout(format_id)
    try:
        table = layout.table(table_id)
    except KeyError:
        raise ValueError(f"{where}: unknown table {table_id!r} in {format_id}") from None
    if row_ref.startswith("@"):
        try:
            rows = list(table.tagged(row_ref[1:]))
        except KeyError:
            raise ValueError(f"{where}: no row of {format_id} table {table_id} has tag {row_ref[1:]!r}") from None
    else:
        try:
            rows = [table.row(row_ref)]
        except KeyError:
            raise ValueError(f"{where}: unknown row {row_ref!r} in {format_id} table {table_id}") from None
    out: list[CellAddress] = []
    for row in rows:
        try:
            table.column(row.id, col_id)
        except KeyError:
            raise ValueError(f"{where}: unknown column {col_id!r} for row {row.id!r} in {format_id}") from None
        out.append((table.id, row.id, col_id))
    return out
