"""Narrative comparison: a 雷同 score per section (gkassist.last_year.similarity) and a
sentence-level diff.

The diff splits each text into sentences (at 。！？； and line breaks; headings are their own
sentence) and aligns them with difflib: identical sentences are "unchanged"; inside a changed
region a sentence whose similarity to an unpaired one of last year reaches ``changed_ratio``
is "changed" (typically: the same sentence with new figures), the rest are "new" or "dropped".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

from gkassist.last_year.config import compare_config
from gkassist.last_year.similarity import normalise, section_similarity, split_sentences
from gkassist.model import Report, SectionId
from gkassist.names import SECTION_TITLES

SentenceStatus = Literal["unchanged", "changed", "new", "dropped"]
STATUS_ZH: dict[str, str] = {"unchanged": "未变", "changed": "改动", "new": "新增", "dropped": "删去"}


@dataclass(frozen=True)
class SentenceDiff:
    status: SentenceStatus
    text: str  # this year's sentence; last year's for "dropped"
    previous: str = ""  # last year's sentence for "unchanged"/"changed"

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.status]


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, normalise(a), normalise(b), autojunk=False).ratio()


def _pair_region(last: list[str], this: list[str], threshold: float) -> list[SentenceDiff]:
    paired: dict[int, int] = {}  # this index -> last index
    used: set[int] = set()
    for i, s in enumerate(this):
        best, best_j = threshold, -1
        for j, p in enumerate(last):
            if j in used:
                continue
            r = _ratio(p, s)
            if r >= best:
                best, best_j = r, j
        if best_j >= 0:
            paired[i] = best_j
            used.add(best_j)
    out = [SentenceDiff("dropped", p) for j, p in enumerate(last) if j not in used]
    for i, s in enumerate(this):
        if i in paired:
            prev = last[paired[i]]
            status: SentenceStatus = "unchanged" if _plain(prev) == _plain(s) else "changed"
            out.append(SentenceDiff(status, s, prev))
        else:
            out.append(SentenceDiff("new", s))
    return out


def diff_sentences(last: str, this: str, changed_ratio: float | None = None) -> list[SentenceDiff]:
    threshold = changed_ratio if changed_ratio is not None else compare_config().diff.changed_ratio
    a, b = split_sentences(last), split_sentences(this)
    keys_a = [_plain(s) for s in a]
    keys_b = [_plain(s) for s in b]
    out: list[SentenceDiff] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(SentenceDiff("unchanged", b[j], a[i]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            out.extend(_pair_region(a[i1:i2], b[j1:j2], threshold))
    return out


@dataclass(frozen=True)
class SectionComparison:
    section: SectionId
    title: str
    score: float  # 雷同 share 0–1
    checked: bool  # the section is long enough and listed in rules/compare.yaml
    over_threshold: bool
    sentences: list[SentenceDiff] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {k: sum(1 for s in self.sentences if s.status == k) for k in STATUS_ZH}


def compare_section(last: Report, this: Report, section: SectionId) -> SectionComparison:
    sim = section_similarity(last, this, section)
    return SectionComparison(
        section=section,
        title=SECTION_TITLES[section],
        score=sim.score,
        checked=sim.checked,
        over_threshold=sim.over_threshold,
        sentences=diff_sentences(last.section(section), this.section(section)),
    )


