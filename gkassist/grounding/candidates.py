"""Which quantity a number's phrase names: the candidates around a span, best first.

A phrase hit proposes its quantities; each must suit the report's layout, the number's unit and
the quantity's context rules (exclude / avoid / context / near / subject). The closest phrase
wins, then the most specific, then the vocabulary order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gkassist.grounding.tables import Tables, units_compatible
from gkassist.grounding.text import TextStructure
from gkassist.grounding.vocabulary import CLAUSE_DELIMS, CompiledQuantity, CompiledVocabulary, PhraseHit

_NOT_COUNTED = re.compile(f"[\\s{re.escape(CLAUSE_DELIMS)}]")


@dataclass(slots=True)
class Candidate:
    quantity: CompiledQuantity
    hit: PhraseHit
    rank: tuple[float, int, int]


class QuantityFinder:
    """Finds the quantities named around numbers, for one report (its caches live as long as the run)."""

    def __init__(self, vocab: CompiledVocabulary, tables: Tables) -> None:
        self.vocab = vocab
        self.tables = tables
        self._unit_ok: dict[tuple[str, str], bool] = {}
        self._applicable: dict[str, bool] = {}

    def passes(
        self, q: CompiledQuantity, t: TextStructure, pos: int, lo: int, hi: int, hit: PhraseHit, *, near: bool = True
    ) -> bool:
        """The phrase ``hit`` names ``q`` at ``pos`` (clause [lo, hi)); ``near=False`` skips the ``near`` rule."""
        text = t.text
        applicable = self._applicable.get(q.id)
        if applicable is None:
            applicable = self._applicable[q.id] = self.tables.applicable(q)
        if not applicable:
            return False
        if q.exclude_re is not None:
            ex_lo, ex_hi = min(lo, hit.start), max(hi, hit.end)
            if q.exclude_re.search(text, ex_lo, ex_hi) is not None and (
                not t.has_brackets or self._excluded(q.exclude_re, t, ex_lo, ex_hi, pos)
            ):
                return False
        if q.context_re is None and q.near_re is None and q.avoid_re is None and not q.subject:
            return True
        part = t.part_start(min(pos, hit.start))
        if q.context_re is not None or q.near_re is not None or q.avoid_re is not None:
            sent_start, sent_end = t.sentence(pos)
            if q.avoid_re is not None and q.avoid_re.search(text, min(sent_start, hit.start), sent_end):
                return False
            if q.context_re is not None and not q.context_re.search(text, part, sent_end):
                return False
            if near and q.near_re is not None and not q.near_re.search(text, min(sent_start, hit.start), sent_end):
                return False
        if q.subject:
            scope = text[part : max(pos, hit.end)]
            best_end, best_word = -1, ""
            for w in (*q.subject, *q.rival):
                i = scope.rfind(w)
                if i >= 0 and (i + len(w) > best_end or (i + len(w) == best_end and len(w) > len(best_word))):
                    best_end, best_word = i + len(w), w
            if best_word not in q.subject:
                return False
        return True

    @staticmethod
    def _excluded(exclude: re.Pattern[str], t: TextStructure, lo: int, hi: int, pos: int) -> bool:
        """An excluding word is in [lo, hi), other than in brackets that do not hold ``pos``
        (受理申请33件（含上年结转3件）: the bracket's 上年结转 does not exclude 受理…申请)."""
        return any(not t.aside(m.start(), m.end(), pos) for m in exclude.finditer(t.text, lo, hi))

    def candidates(
        self, t: TextStructure, n_start: int, n_end: int, seg: tuple[int, int], unit: str, *, base: bool = False
    ) -> list[Candidate]:
        """Quantities named around the span [n_start, n_end) within its segment, best first."""
        seg_start, seg_end = seg
        out: list[Candidate] = []
        between = self.vocab.not_between_re
        brackets = t.has_brackets
        for hit in t.hits_within(seg_start, seg_end):
            if brackets and t.aside(hit.start, hit.end, n_start):
                continue  # 答复3050件（含上年度结转申请34件）: the bracket speaks of its own number
            if hit.end <= n_start:
                dist: float = n_start - hit.end
                if between is not None and dist and between.search(t.text, hit.end, n_start):
                    continue  # 行政复议纠错率为0: a rate, not the count the phrase names
            elif hit.start < n_start:
                dist = 0  # spans the number: 收到30件申请
            elif hit.start >= n_end and hit.start - n_end <= 2:
                dist = hit.start - n_end + 0.5  # right after the number: 3件行政复议案件
            else:
                continue
            self.add_targets(out, t, hit, dist, n_start, seg_start, seg_end, unit, base)
        if not out and t.clause(n_start)[0] == seg_start:
            # up to two earlier clauses of the sentence, joined by a comma or colon and holding no
            # number: 收到政府信息公开申请，共计30件. A clause that denies (未接到申请) names no count.
            c_start = seg_start
            for _ in range(2):
                if c_start == 0 or t.text[c_start - 1] not in "，,：:":
                    break
                prev_start, _ = t.clause(c_start - 1)
                if t.numerals_within(prev_start, c_start - 1):
                    break
                for hit in t.hits_within(prev_start, c_start - 1):
                    if brackets and t.aside(hit.start, hit.end, n_start):
                        continue
                    if self.vocab.zero_re.search(t.text, max(prev_start, hit.start - 4), hit.start + 1):
                        continue
                    self.add_targets(out, t, hit, 100 + n_start - hit.end, n_start, prev_start, seg_end, unit, base)
                if out:
                    break
                c_start = prev_start
        out.sort(key=lambda c: c.rank)
        if len(out) > 1:
            # a part named right before its whole wins: 属于国家秘密不予公开1件 is 国家秘密, not all 不予公开
            best = out[0]
            for c in out[1:]:
                if c.quantity.within == best.quantity.id and 0 <= best.hit.start - c.hit.end <= 3:
                    out.remove(c)
                    out.insert(0, c)
                    break
        return out

    def gap(self, t: TextStructure, hit: PhraseHit, n_start: int, n_end: int) -> int:
        """Characters between the phrase and the number, not counting spaces and clause ends."""
        if hit.end <= n_start:
            between = t.text[hit.end : n_start]
        elif hit.start >= n_end:
            between = t.text[n_end : hit.start]
        else:
            return 0
        return len(_NOT_COUNTED.sub("", between))

    def add_targets(
        self, out: list[Candidate], t: TextStructure, hit: PhraseHit, dist: float, pos: int, lo: int, hi: int, unit: str,
        base: bool,
    ) -> None:
        unit_ok = self._unit_ok
        for target, q in zip(hit.phrase.targets, hit.phrase.quantities, strict=True):
            if target.base_only and not base:
                continue
            if unit:
                fits = unit_ok.get((q.id, unit))
                if fits is None:
                    fits = self.unit_fits(q, unit)
                if not fits:
                    continue
            if not self.passes(q, t, pos, lo, hi, hit):
                continue
            out.append(Candidate(q, hit, (dist, -target.specificity, q.index)))

    def unit_fits(self, q: CompiledQuantity, unit: str) -> bool:
        key = (q.id, unit)
        try:
            return self._unit_ok[key]
        except KeyError:
            pass
        if q.units:
            ok = unit in q.units
        elif not q.cells:
            ok = True
        else:
            ev = self.tables.evaluate(q)
            ok = units_compatible(unit, ev.unit if ev is not None else "")
        self._unit_ok[key] = ok
        return ok
