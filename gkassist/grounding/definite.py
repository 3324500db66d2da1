"""Whether a number that differs from its quantity is a definite contradiction (an error) or only a doubt.

A number that cannot be matched is a warning; an error needs a definite contradiction. A phrase
states a table quantity definitely when it is close to the number (at most ``definite_gap``
characters between them: 提起行政诉讼的情况、……等六个部分 is not about lawsuits) and the sentence
speaks of the whole reporting agency, not of one of its parts (区政府办代表区政府受理17件,
其中区公安局受理…): a part's figure may differ from the agency's table.
"""

from __future__ import annotations

from gkassist.grounding.candidates import QuantityFinder
from gkassist.grounding.text import TextStructure
from gkassist.grounding.vocabulary import CompiledVocabulary, PhraseHit

_QUOTE_WIDTH = 16
_SUBJECT_WIDTH = 40  # the subject of a statement is written shortly before its verb


class Definiteness:
    """Decides, for one report, whether a phrase states the number it is compared with."""

    def __init__(self, vocab: CompiledVocabulary, finder: QuantityFinder, agency: str) -> None:
        self.vocab = vocab
        self.finder = finder
        self.agency = agency.strip()

    def doubt(self, t: TextStructure, hit: PhraseHit, n_start: int, n_end: int) -> str | None:
        """Why the phrase may not state this number (None: it does, a difference is an error)."""
        phrase = t.text[hit.start : hit.end]
        if self.finder.gap(t, hit, n_start, n_end) > self.vocab.source.definite_gap:
            return f"“{phrase}”与数字相隔较远，不能确定说的就是这个数量"
        part = self.sub_unit(t, min(hit.start, n_start))
        if part is not None:
            return f"句中“{part}”说的可能是下属单位或部分机构的数字，不一定是本机关全部的数量"
        return None

    def sub_unit(self, t: TextStructure, end: int) -> str | None:
        """The words naming a part of the agency before ``end`` in its clause, if any."""
        v = self.vocab
        text = t.text
        start = max(t.clause(end)[0], end - _SUBJECT_WIDTH)
        subject = text[start:end]
        if v.sub_unit_marker_re is not None and v.sub_unit_marker_re.search(subject):
            return _tail(subject)
        if v.sub_unit_re is None:
            return None
        for m in v.sub_unit_re.finditer(subject):
            if m.group("own"):
                continue  # 我局、本局、全局: the agency itself
            if self._own_name(subject[: m.end()], len(m.group())):
                continue  # the agency's own name, in full or shortened at the front (市生态环境局)
            return _tail(subject[: m.end()])
        return None

    def _own_name(self, words: str, unit_len: int) -> bool:
        """``words`` ends with the reporting agency's name: the same organisation word and more before it."""
        return bool(self.agency) and _common_suffix(words, self.agency) >= unit_len + 2


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _tail(words: str) -> str:
    words = words.strip()
    return words if len(words) <= _QUOTE_WIDTH else "…" + words[-_QUOTE_WIDTH:]
