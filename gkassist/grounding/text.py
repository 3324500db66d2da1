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
    part_starts: list[int]  # starts of lines that are sub-headings (（一）, 一、), not numbered items (1.)
    hits: list[PhraseHit]
    hit_starts: list[int]
    active: list[Numeral]
    active_starts: list[int]
    has_brackets: bool = False
    brackets: list[tuple[int, int, int]] | None = None  # (open, close, enclosing index or -1); computed when needed
    _marks: list[int] = field(default_factory=list)  # positions of the brackets of those pairs, in order
    _inner: list[int] = field(default_factory=list)  # the innermost pair open right after each of them, or -1
    _clauses: dict[int, tuple[int, int]] = field(default_factory=dict)
    _sentences: dict[int, tuple[int, int]] = field(default_factory=dict)

    def clause(self, pos: int) -> tuple[int, int]:
        """The clause around ``pos``; a clause without punctuation is read MAX_SPAN characters either side."""
        found = self._clauses.get(pos)
        if found is None:
            i = bisect_right(self.clause_delims, pos - 1)  # first delimiter at or after pos
            start = self.clause_delims[i - 1] + 1 if i > 0 else 0
            end = self.clause_delims[i] if i < len(self.clause_delims) else len(self.text)
            if end - start > MAX_SPAN:
                start, end = max(start, pos - MAX_SPAN), min(end, pos + MAX_SPAN)
            found = self._clauses[pos] = (start, end)
        return found

    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence around ``pos``, read at most MAX_SPAN characters either side (hostile input has no full stops)."""
        found = self._sentences.get(pos)
        if found is None:
            i = bisect_right(self.sentence_delims, pos - 1)
            start = self.sentence_delims[i - 1] + 1 if i > 0 else 0
            end = self.sentence_delims[i] if i < len(self.sentence_delims) else len(self.text)
            if end - start > MAX_SPAN:
                start, end = max(start, pos - MAX_SPAN), min(end, pos + MAX_SPAN)
            found = self._sentences[pos] = (start, end)
        return found

    def part_start(self, pos: int) -> int:
        """The start of the sub-heading's part around ``pos``, at most MAX_PART characters back."""
        i = bisect_right(self.part_starts, pos) - 1
        start = self.part_starts[i] if i >= 0 else 0
        return start if pos - start <= MAX_PART else pos - MAX_PART

    def hits_within(self, start: int, end: int) -> list[PhraseHit]:
        lo = bisect_left(self.hit_starts, start)
        out = []
        for hit in self.hits[lo:]:
            if hit.start >= end:
                break
            if hit.end <= end:
                out.append(hit)
        return out

    def aside(self, start: int, end: int, pos: int) -> bool:
        """The span [start, end) is inside brackets that do not hold ``pos``: an aside, not about it.

        答复3050件（含上年度结转申请34件）: 上年度结转 is said of the 34, not of the 3050 before it.
        """
        if _BRACKET_RE.search(self.text, min(start, pos), max(end, pos)) is None:
            return False  # no bracket between them: both inside the same brackets, or both outside
        if self.brackets is None:
            self.brackets, self._marks, self._inner = _bracket_index(self.text, self.sentence_delims)
        k = bisect_left(self._marks, start) - 1  # the last bracket before the span
        inner = self._inner[k] if k >= 0 else -1  # the innermost brackets open there
        if inner < 0:
            return False
        open_, close, _ = self.brackets[inner]
        return close >= end and not open_ < pos < close  # a span running out of its brackets is no aside

    def numerals_within(self, start: int, end: int) -> bool:
        i = bisect_left(self.active_starts, start)
        return i < len(self.active) and self.active[i].start < end


MAX_SPAN = 400  # characters read either side of a position in a clause or sentence without an end
MAX_PART = 2000  # characters read back to a sub-heading
CONNECTORS = re.compile(r"(?:[、和及与或]|以及)+")
SUBHEAD = re.compile(r"^[ \t\u3000]*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d{1,2}[、.．](?!\d))", re.M)
_DELIM_RE = re.compile(f"[{re.escape(CLAUSE_DELIMS)}]")
_BRACKET_RE = re.compile(r"[（(）)]")


def bracket_pairs(text: str, sentence_delims: list[int]) -> list[tuple[int, int, int]]:
    """(open, close, index of the enclosing pair or -1) of every matched round bracket pair, by opening position.

    An unmatched bracket is ignored, and so is a pair across a sentence end (a lost closing
    bracket must not make the rest of the text an aside).
    """
    matched: list[tuple[int, int]] = []
    stack: list[int] = []
    for m in _BRACKET_RE.finditer(text):
        pos = m.start()
        if text[pos] in "（(":
            stack.append(pos)
        elif stack:
            open_ = stack.pop()
            i = bisect_right(sentence_delims, open_)
            if i == len(sentence_delims) or sentence_delims[i] > pos:
                matched.append((open_, pos))
    matched.sort()
    out: list[tuple[int, int, int]] = []
    around: list[int] = []  # indices into out of the pairs still open
    for open_, close in matched:
        while around and out[around[-1]][1] < open_:
            around.pop()
        out.append((open_, close, around[-1] if around else -1))
        around.append(len(out) - 1)
    return out


def _bracket_index(text: str, sentence_delims: list[int]) -> tuple[list[tuple[int, int, int]], list[int], list[int]]:
    """The bracket pairs, the positions of their brackets, and the innermost pair open right after each."""
    pairs = bracket_pairs(text, sentence_delims)
    events = sorted([(o, k) for k, (o, _, _) in enumerate(pairs)] + [(c, k) for k, (_, c, _) in enumerate(pairs)])
    marks: list[int] = []
    inner: list[int] = []
    for pos, k in events:
        marks.append(pos)
        inner.append(k if pos == pairs[k][0] else pairs[k][2])  # opened: itself; closed: the one around it
    return pairs, marks, inner


def structure(text: str, vocab: CompiledVocabulary, active: list[Numeral]) -> TextStructure:
    clause_delims = [m.start() for m in _DELIM_RE.finditer(text)]
    sentence_delims = [p for p in clause_delims if text[p] in SENTENCE_DELIMS]
    heads = list(SUBHEAD.finditer(text))
    # brackets that can hold a phrase: not only those of sub-heading markers, （一）
    opened = text.count("（") + text.count("(")
    has_brackets = opened > len(heads) or (opened > 0 and opened > sum("（" in m.group() or "(" in m.group() for m in heads))
    # a numbered item (1. 申请数量：30件) belongs to the part of the sub-heading above it
    parts = [m.start() for m in heads if not m.group().strip()[0].isdigit()]
    t = TextStructure(text, clause_delims, sentence_delims, parts, [], [], active,
                      [n.start for n in active], has_brackets=has_brackets)
    t.hits = vocab.phrase_hits(text, regions(t, vocab))
    t.hit_starts = [h.start for h in t.hits]
    return t


def regions(t: TextStructure, vocab: CompiledVocabulary) -> list[tuple[int, int]]:
    """Where phrases can matter: around numbers, zeros in words and whole-set claims such as 均获维持
    (prose elsewhere is skipped)."""
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
    if vocab.whole_set_re is not None:
        for m in vocab.whole_set_re.finditer(t.text):
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
