"""Narrative comparison: a 雷同 score per section and a sentence-level diff.

雷同 score (documented in rules/checks/X6.yaml): both texts are normalised (whitespace and
punctuation removed, full-width folded, every run of digits replaced by one marker, so a
copied sentence with updated figures still counts as copied). The score is the share of this
year's normalised characters that lie inside some character n-gram (n from rules/compare.yaml,
default 8) that also occurs in last year's normalised text.

The diff splits each text into sentences (at 。！？； and line breaks; headings are their own
sentence) and aligns them with difflib: identical sentences are "unchanged"; inside a changed
region a sentence whose similarity to an unpaired one of last year reaches ``changed_ratio``
is "changed" (typically: the same sentence with new figures), the rest are "new" or "dropped".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from gkassist.compare.config import compare_config
from gkassist.model import Report, SectionId
from gkassist.names import SECTION_TITLES

SentenceStatus = Literal["unchanged", "changed", "new", "dropped"]
STATUS_ZH: dict[str, str] = {"unchanged": "未变", "changed": "改动", "new": "新增", "dropped": "删去"}

_SENTENCE = re.compile(r"[^。！？；;!?\n]*[。！？；;!?]?")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
DIGIT_MARK = "#"


_NOT_KEPT = re.compile(rf"[^\w{DIGIT_MARK}]|_")  # \w is str.isalnum() plus "_"


# Full-width ASCII and the ideographic space mapped as NFKC maps them. Folding these first
# leaves most Chinese text already in NFKC, so normalize() takes its quick path; the result is
# the same as NFKC on the raw text.
# (A regex with a lookup is quicker than str.translate here: few characters change.)
_WIDE = {chr(0xFF01 + i): chr(0x21 + i) for i in range(0x5E)} | {"\u3000": " "}
_WIDE_RE = re.compile("[\uff01-\uff5e\u3000]")


def _fold_wide(m: re.Match[str]) -> str:
    return _WIDE[m.group()]


def normalise(text: str) -> str:
    """Letters, CJK and digit markers only: no whitespace, no punctuation."""
    folded = unicodedata.normalize("NFKC", _WIDE_RE.sub(_fold_wide, text))
    return _NOT_KEPT.sub("", _DIGITS.sub(DIGIT_MARK, folded))


def split_sentences(text: str) -> list[str]:
    out = []
    for m in _SENTENCE.finditer(text):
        s = m.group().strip()
        if s and any(ch.isalnum() for ch in s):
            out.append(s)
    return out


def similarity_share(last: str, this: str, n: int | None = None) -> float:
    """Share (0–1) of this year's normalised characters covered by n-grams found in last year's text."""
    n = n or compare_config().similarity.ngram
    b = normalise(this)
    if not b:
        return 0.0
    if len(b) < n:
        return 1.0 if b in normalise(last) else 0.0
    grams = _ngrams(last, n)
    covered = reach = 0  # reach: end of the covered run so far (n-grams are met in order of start)
    for i in range(len(b) - n + 1):
        if b[i : i + n] in grams:
            covered += i + n - max(i, reach)
            reach = i + n
    return covered / len(b)


@lru_cache(maxsize=32)
def _ngrams(last: str, n: int) -> frozenset[str]:
    """Last year's n-grams: last year's text does not change while this year's is checked again and again."""
    a = normalise(last)
    return frozenset(a[i : i + n] for i in range(len(a) - n + 1))


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


@dataclass(frozen=True)
class Similarity:
    score: float  # 雷同 share 0–1
    checked: bool  # the section is long enough and listed in rules/compare.yaml
    over_threshold: bool


def section_similarity(last: Report, this: Report, section: SectionId) -> Similarity:
    """The 雷同 score of one section alone (rule X6 needs no sentence diff)."""
    cfg = compare_config().similarity
    old, new = last.section(section), this.section(section)
    score = similarity_share(old, new, cfg.ngram) if old.strip() else 0.0
    checked = section in cfg.sections and len(normalise(new)) >= cfg.min_chars and bool(old.strip())
    return Similarity(score, checked, checked and score >= cfg.warn_share)


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


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"
