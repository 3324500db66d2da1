"""Thresholds for the comparison with last year, read from rules/compare.yaml (data, not code)."""

from __future__ import annotations

from functools import cache

from pydantic import Field, model_validator

from gkassist.layouts import FormatId, table_layout
from gkassist.model import SectionId
from gkassist.paths import rules_dir
from gkassist.strict import Strict
from gkassist.yamlio import load_model


class Similarity(Strict):
    ngram: int = Field(ge=2, le=40)
    warn_share: float = Field(gt=0, le=1)
    min_chars: int = Field(ge=0)
    sections: tuple[SectionId, ...]


class Diff(Strict):
    changed_ratio: float = Field(gt=0, le=1)


class Tables(Strict):
    highlight_top: int = Field(ge=0)


class Problems(Strict):
    addressed_share: float = Field(gt=0, le=1)
    max_items: int = Field(ge=1)
    hint_words: tuple[str, ...]
    stop_bigrams: tuple[str, ...]
    own_problem_headings: tuple[str, ...]
    generic_rectification: str


class CarriedColumn(Strict):
    """This year's 表二 column that starts from last year's report: the sum of ``from`` on the same row."""

    format: FormatId
    last_format: FormatId
    column: str
    from_: tuple[str, ...] = Field(alias="from", min_length=1)

    @model_validator(mode="after")
    def _columns_exist(self) -> CarriedColumn:
        for fmt, cols in ((self.format, (self.column,)), (self.last_format, self.from_)):
            known = {c.id for b in table_layout(fmt, "s2").blocks for c in b.columns}
            if unknown := [c for c in cols if c not in known]:
                raise ValueError(f"carry_over: 表二（{fmt}）没有编号为{'、'.join(unknown)}的列")
        return self


class CarryOver(Strict):
    table2: tuple[CarriedColumn, ...]


class CompareConfig(Strict):
    similarity: Similarity
    diff: Diff
    tables: Tables
    problems: Problems
    carry_over: CarryOver


@cache
def compare_config() -> CompareConfig:
    return load_model(rules_dir() / "compare.yaml", CompareConfig)
