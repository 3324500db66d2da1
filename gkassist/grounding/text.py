"""The structure of one narrative text: clauses, sentences, sub-headings and phrase hits.

Built once per text; the classifier asks it for the clause or sentence around a position, the
phrases within a span, and whether a span holds a number.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from gkassist.grounding.extract import Numeral
from gkassist.grounding.vocabulary import CLAUSE_DELIMS, SENTENCE_DELIMS, CompiledVocabulary, PhraseHit


@dataclass(slots=True)
class TextStructure:
    text: str
    clause_delims: list[int]  # positions of clause-ending characters
    sentence_delims: list[int]
    part_starts: list[int]  # starts of lines that are sub-headings
    hits: list[PhraseHit]
    hit_starts: list[int]
    active: list[Numeral]
    active_starts: list[int]
    _clauses: dict[int, tuple[int, int]] = field(default_factory=dict)
    _sentences: dict[int, tuple[int, int]] = field(default_factory=dict)

    def clause(self, pos: int) -> tuple[int, int]:
        found = self._clauses.get(pos)
        if found is None:
            i = bisect_right(self.clause_delims, pos - 1)  # first delimiter at or after pos
            start = self.clause_delims[i - 1] + 1 if i > 0 else 0
            end = self.clause_delims[i] if i < len(self.clause_delims) else len(self.text)
            found = self._clauses[pos] = (start, end)
        return found

    def sentence(self, pos: int) -> tuple[int, int]:
        found = self._sentences.get(pos)
        if found is None:
            i = bisect_right(self.sentence_delims, pos - 1)
            start = self.sentence_delims[i - 1] + 1 if i > 0 else 0
            end = self.sentence_delims[i] if i < len(self.sentence_delims) else len(self.text)
            found = self._sentences[pos] = (start, end)
        return found

    def part_start(self, pos: int) -> int:
        i = bisect_right(self.part_starts, pos) - 1
        return self.part_starts[i] if i >= 0 else 0

    def hits_within(self, start: int, end: int) -> list[PhraseHit]:
        lo = bisect_left(self.hit_starts, start)
        out = []
        for hit in self.hits[lo:]:
            if hit.start >= end:
                break
            if hit.end <= end:
                out.append(hit)
        return out

    def numerals_within(self, start: int, end: int) -> bool:
        i = bisect_left(self.active_starts, start)
        return i < len(self.active) and self.active[i].start < end


CONNECTORS = re.compile(r"(?:[、和及与或]|以及)+")
_SUBHEAD = re.compile(r"^[ \t\u3000]*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d{1,2}[、.．](?!\d))", re.M)
_DELIM_RE = re.compile(f"[{re.escape(CLAUSE_DELIMS)}]")


def structure(text: str, vocab: CompiledVocabulary, active: list[Numeral]) -> TextStructure:
    clause_delims = [m.start() for m in _DELIM_RE.finditer(text)]
    sentence_delims = [p for p in clause_delims if text[p] in SENTENCE_DELIMS]
    part_starts = [m.start() for m in _SUBHEAD.finditer(text)]
    t = TextStructure(text, clause_delims, sentence_delims, part_starts, [], [], active, [n.start for n in active])
    t.hits = vocab.phrase_hits(text, regions(t, vocab))
    t.hit_starts = [h.start for h in t.hits]
    return t


def regions(t: TextStructure, vocab: CompiledVocabulary) -> list[tuple[int, int]]:
    """Where phrases can matter: around numbers, zeros in words and 均获维持 (prose elsewhere is skipped)."""
    spans: list[tuple[int, int]] = []
    for n in t.active:
        c_start, c_end = t.clause(n.start)
        sent_start = t.sentence(n.start)[0]
        start = c_start
        for _ in range(2):  # the clauses the fallback may look at
            if start <= sent_start:
                break
            start = t.clause(start - 1)[0]
        spans.append((start, c_end))
    for m in vocab.zero_re.finditer(t.text):
        spans.append(t.clause(m.start()))
    if vocab.zero_suffix_re is not None:
        for m in vocab.zero_suffix_re.finditer(t.text):
            spans.append(t.clause(m.start()))
    if vocab.upheld_re is not None:
        for m in vocab.upheld_re.finditer(t.text):
            spans.append((t.sentence(m.start())[0], t.clause(m.start())[1]))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1] + 1:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def quote(text: str, start: int, end: int, sent: tuple[int, int], width: int = 40) -> str:
    s, e = sent
    s = max(s, start - width)
    e = min(e, end + width)
    quote = text[s:e].strip().replace("\n", " ")
    if s > sent[0]:
        quote = "…" + quote
    if e < sent[1]:
        quote = quote + "…"
    return quote
