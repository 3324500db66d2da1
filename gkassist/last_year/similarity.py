"""The 雷同 share: how much of this year's text repeats last year's.

Both texts are normalised (whitespace and punctuation removed, full-width folded, every run of
digits replaced by one marker, so a copied sentence with updated figures still counts as
copied). The share is the part of this year's normalised characters that lie inside some
character n-gram (n from rules/compare.yaml, default 8) that also occurs in last year's
normalised text. Documented in rules/checks/X6.yaml; rule X6 and the 对照上年 page use it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from gkassist.last_year.config import compare_config
from gkassist.model import Report, SectionId

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


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"
