"""Thresholds for the comparison with last year, read from rules/compare.yaml (data, not code)."""

from __future__ import annotations

from functools import cache

from pydantic import Field

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


class CompareConfig(Strict):
    similarity: Similarity
    diff: Diff
    tables: Tables
    problems: Problems


@cache
def compare_config() -> CompareConfig:
    return load_model(rules_dir() / "compare.yaml", CompareConfig)
