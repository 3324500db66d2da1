"""Statements in words: zeros (未收到申请, 无行政复议) and whole-set claims (均获维持, 全部败诉,
全部予以公开, 无一败诉), checked like numbers.

A zero in words is compared with the quantity it names (or its declared figure). A whole-set
claim says that every case of the quantity named before it in the sentence had one outcome (the
outcome's cells equal the whole), or that none did (they are zero). For the agency, a lawsuit
lost (败诉) is a result 纠正 in table 四.
"""

from __future__ import annotations

from bisect import bisect_left
from decimal import Decimal

from gkassist.grounding.candidates import Candidate, QuantityFinder
from gkassist.grounding.claims import NumberClaim, new_claim
from gkassist.grounding.declared import DeclaredFigures
from gkassist.grounding.definite import Definiteness
from gkassist.grounding.tables import Tables, fmt
from gkassist.grounding.text import CONNECTORS, TextStructure, quote
from gkassist.grounding.vocabulary import CompiledOutcome, CompiledQuantity, CompiledVocabulary, PhraseHit


class WordClaims:
    """Finds and checks the statements in words of one report."""

    def __init__(
        self, vocab: CompiledVocabulary, finder: QuantityFinder, tables: Tables, declared: DeclaredFigures,
        definite: Definiteness,
    ) -> None:
        self.vocab = vocab
        self.finder = finder
        self.tables = tables
        self.declared = declared
        self.definite = definite

    def zero_claims(self, sid: str, title: str, t: TextStructure) -> list[NumberClaim]:
        text = t.text
        out: list[NumberClaim] = []
        gap = self.vocab.source.gap
        # (claim start, scan start, scan end, clause end, chained): with ``chained`` the first phrase must
        # start at the scan start and each further one follow the previous after a connector only
        spans: list[tuple[int, int, int, int, bool]] = []
        verb_re = self.vocab.zero_verb_re
        for m in self.vocab.zero_re.finditer(text):
            c_start, c_end = t.clause(m.start())
            verb = verb_re.match(text, m.end()) if verb_re is not None else None
            if verb is not None:  # 未收到…申请: the phrase may start with the verb
                spans.append((m.start(), m.end(), min(c_end, verb.end() + gap + 8), c_end, False))
            else:  # 无行政复议、行政诉讼: the phrases follow the negator at once
                spans.append((m.start(), m.end(), c_end, c_end, True))
        if self.vocab.zero_suffix_re is not None:
            for m in self.vocab.zero_suffix_re.finditer(text):
                c_start, c_end = t.clause(m.start())
                spans.append((-1, c_start, m.start(), m.end(), False))
        for claim_start, lo, hi, c_end, chained in spans:
            if t.numerals_within(lo, c_end if claim_start >= 0 else hi):
                continue  # the clause states a number: that number is checked instead
            chosen: list[tuple[PhraseHit, CompiledQuantity]] = []
            for hit in t.hits_within(lo, hi + 20):
                if hit.start >= hi:
                    break
                if chained:
                    last_end = chosen[-1][0].end if chosen else lo
                    if hit.start > last_end and not CONNECTORS.fullmatch(text, last_end, hit.start):
                        if chosen:
                            break
                        continue
                    if not chosen and hit.start != lo:
                        continue
                cands: list[Candidate] = []
                self.finder.add_targets(cands, t, hit, 0, hit.start, lo, hi, "", False)
                if not cands:
                    continue
                cands.sort(key=lambda c: c.rank)
                best = cands[0]
                # a longer phrase that contains this one wins (复议后起诉 over 起诉)
                overlapping = [i for i, (h, _) in enumerate(chosen) if h.start < hit.end and hit.start < h.end]
                if overlapping:
                    i = overlapping[0]
                    h, q = chosen[i]
                    if (hit.end - hit.start) > (h.end - h.start):
                        chosen[i] = (hit, best.quantity)
                    continue
                chosen.append((hit, best.quantity))
            chosen = _heads(text, chosen)
            seen: set[str] = set()
            for hit, q in chosen:
                if q.id in seen:
                    continue
                seen.add(q.id)
                start = claim_start if claim_start >= 0 else hit.start
                end = hit.end if claim_start >= 0 else c_end
                claim = self._zero_claim(sid, title, t, start, end, q)
                if claim is not None:
                    out.append(claim)
        return out

    def _zero_claim(self, sid: str, title: str, t: TextStructure, start: int, end: int, q: CompiledQuantity) -> NumberClaim | None:
        sent = t.sentence(start)
        base: dict[str, object] = {"section": sid, "section_title": title, "start": start, "end": end,
                                   "text": t.text[start:end], "value": Decimal(0), "form": "zero",
                                   "sentence": quote(t.text, start, end, sent)}
        if q.cells:
            ev = self.tables.evaluate(q)
            if ev is None or ev.value is None:
                return None  # nothing to compare: a zero in words is no number to declare
            ok = ev.value == 0
            evidence = f"{q.label}：{ev.basis}为{fmt(ev.value)}" + ("，与“零”的表述一致" if ok else "，并不是零")
            part = None if ok else self.definite.sub_unit(t, start)
            if part is not None:  # 其中区公安局未收到申请: a part of the agency, not the whole table
                return new_claim(**base, kind="ungrounded", quantity=q.label, quantity_id=q.id, cells=ev.cells,
                                 cell_ids=ev.ids, basis=ev.basis,
                                 evidence=f"句中“{part}”说的可能是下属单位或部分机构；{evidence}，请核对")
            return new_claim(**base, kind="matched" if ok else "mismatched", quantity=q.label, quantity_id=q.id,
                               expected=ev.value, cells=ev.cells, cell_ids=ev.ids, basis=ev.basis,
                               evidence=evidence)
        figures = self.declared.of_quantity(q)
        if not figures:
            return None
        d = figures[0]
        ok = d.value == 0
        evidence = f"已申报数字“{d.label}”为{fmt(d.value)}{d.unit}" + ("，与“零”的表述一致" if ok else "，并不是零")
        return new_claim(**base, kind="declared" if ok else "mismatched", quantity=d.label, quantity_id=q.id,
                           expected=d.value, cells=[f"已申报数字“{d.label}”"], basis=f"已申报数字“{d.label}”",
                           evidence=evidence)

    def whole_set_claims(
        self, sid: str, title: str, t: TextStructure, named: list[tuple[int, CompiledQuantity]]
    ) -> list[NumberClaim]:
        """均获维持, 全部败诉, 全部予以公开, 无一败诉 … against the outcome cells of the quantity named before."""
        v = self.vocab
        if v.whole_set_re is None:
            return []
        out: list[NumberClaim] = []
        for m in v.whole_set_re.finditer(t.text):
            words = v.whole_set_of[m.group()]
            c_end = t.clause(m.start())[1]
            if (m.end() < len(t.text) and t.text[m.end()] in _JOINED) or t.numerals_within(m.end(), c_end):
                continue  # 全部予以公开15件, 全部公开和部分公开: a count or a part of a longer phrase
            found = self._whole_of(t, m.start(), m.end(), words.outcomes, words.party)
            if found is not None and words.needs_count and not _stated(named, found[0], t.sentence(m.start())[0], m.start()):
                continue  # 对属于公开范围的，均予以公开: a statement of policy, no figure
            if found is not None and self._conditioned(t, found[2], m.start()):
                continue  # 收到申请30件，对属于公开范围的，全部予以公开: the cases meeting a condition
            if found is not None:
                out.append(self._whole_claim(sid, title, t, m.start(), m.end(), words.says, *found))
        return out

    def _conditioned(self, t: TextStructure, hit: PhraseHit, start: int) -> bool:
        """Words between the figure stated (or else the quantity's phrase) and the claim at ``start`` limit
        it to the cases meeting a condition (属于公开范围的, 依法应当公开的)."""
        markers = self.vocab.condition_markers_re
        if markers is None:
            return False
        begin = hit.end
        i = bisect_left(t.active_starts, start) - 1
        if i >= 0 and t.active[i].end > begin and t.active[i].start >= t.sentence(start)[0]:
            begin = t.active[i].end
        return markers.search(t.text, begin, start) is not None

    def _whole_of(
        self, t: TextStructure, start: int, end: int, outcomes: tuple[str, ...], party: bool
    ) -> tuple[CompiledQuantity, CompiledOutcome, PhraseHit, bool] | None:
        """The quantity named last before the words that has one of the outcomes, that outcome, its phrase,
        and whether the sentence passes every rule of the quantity (False: only its ``near`` words are missing;
        with ``party`` they are not needed)."""
        sent = t.sentence(start)
        loose: tuple[CompiledQuantity, CompiledOutcome, PhraseHit, bool] | None = None
        for hit in reversed(t.hits_within(sent[0], start)):
            for target in hit.phrase.targets:
                q = self.vocab.quantities[target.quantity]
                outcome = next((q.outcomes[o] for o in outcomes if o in q.outcomes), None)
                if outcome is None or target.base_only:
                    continue
                if self.finder.passes(q, t, start, sent[0], end, hit, near=not party):
                    return q, outcome, hit, True
                if loose is None and self.finder.passes(q, t, start, sent[0], end, hit, near=False):
                    loose = (q, outcome, hit, False)
        return loose

    def _whole_claim(
        self, sid: str, title: str, t: TextStructure, start: int, end: int, says: str, q: CompiledQuantity,
        outcome: CompiledOutcome, hit: PhraseHit, sure: bool,
    ) -> NumberClaim:
        text = t.text
        written = text[start:end]
        sent = t.sentence(start)
        base: dict[str, object] = {"section": sid, "section_title": title, "start": start, "end": end, "text": written,
                                   "form": "whole", "sentence": quote(text, start, end, sent)}
        whole = self.tables.evaluate_sum(q.outcome_whole) if q.outcome_whole is not None else self.tables.evaluate(q)
        part = self.tables.evaluate_sum(outcome)
        whole_label = q.outcome_whole.label if q.outcome_whole is not None else q.label
        if whole is None or part is None or whole.value is None or part.value is None:
            reason = next((e.reason for e in (part, whole) if e is not None and e.reason), "表格中没有该项")
            return new_claim(**base, value=None, kind="ungrounded", quantity=outcome.label, quantity_id=q.id,
                             evidence=f"{reason}，无法核对“{written}”")
        ok = part.value == (whole.value if says == "all" else 0)
        basis = f"{part.basis}为{fmt(part.value)}" + (f"，{whole.basis}为{fmt(whole.value)}" if says == "all" else "")
        if ok:
            evidence = f"{outcome.label}：{basis}，与“{written}”一致"
        elif says == "all":
            evidence = f"{outcome.label}：{basis}，并非{whole_label}全部如此"
        else:
            evidence = f"{outcome.label}：{basis}，并不是没有"
        fields: dict[str, object] = {
            "value": whole.value if says == "all" else Decimal(0), "quantity": outcome.label, "quantity_id": q.id,
            "expected": part.value, "cells": part.cells + (whole.cells if says == "all" else []),
            "cell_ids": part.ids + (whole.ids if says == "all" else []), "basis": basis}
        doubt = None if ok else self._doubt(t, hit, start, q, sure)
        if doubt is not None:  # not a definite contradiction: a warning to check
            return new_claim(**base, **fields, kind="ungrounded", evidence=f"{doubt}；{evidence}，请核对")
        return new_claim(**base, **fields, kind="matched" if ok else "mismatched", evidence=evidence)

    def _doubt(self, t: TextStructure, hit: PhraseHit, start: int, q: CompiledQuantity, sure: bool) -> str | None:
        """Why a whole-set claim that the tables contradict may still be about something else."""
        if not sure:
            return (f"句中没有“{'”“'.join(q.near)}”，“{t.text[hit.start:hit.end]}”说的可能不是因政府信息公开引起的案件"
                    "（表格只统计这些）")
        v = self.vocab
        between = v.part_markers_re.search(t.text, hit.end, start) if v.part_markers_re is not None else None
        if between is not None:
            return f"“{between.group()}”表明说的可能只是其中一部分"
        part = self.definite.sub_unit(t, hit.start)
        if part is not None:
            return f"句中“{part}”说的可能是下属单位或部分机构"
        return None


def _stated(named: list[tuple[int, CompiledQuantity]], q: CompiledQuantity, start: int, end: int) -> bool:
    """A number of ``q`` was stated in [start, end)."""
    return any(start <= pos < end and prev is q for pos, prev in named)


_JOINED = frozenset("和及与或、")  # 全部公开和部分公开: the words are part of a longer phrase


def _heads(text: str, chosen: list[tuple[PhraseHit, CompiledQuantity]]) -> list[tuple[PhraseHit, CompiledQuantity]]:
    """The quantities a denial is about, without those named only as the subject of a later outcome.

    未发生被行政复议纠错或行政诉讼败诉的情形 denies 纠错 and 败诉, the outcomes; 行政复议 and 行政诉讼
    only say whose outcome it is. It does not say that there were no cases.
    """
    if len(chosen) < 2:
        return chosen
    out = []
    for i, (hit, q) in enumerate(chosen):
        words = text[hit.start : hit.end]
        if any(later.subject and any(w in words for w in (*later.subject, *later.rival)) for _, later in chosen[i + 1 :]):
            continue
        out.append((hit, q))
    return out
