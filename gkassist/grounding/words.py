"""Statements in words: zeros (未收到申请, 无行政复议) and 均获维持, checked like numbers.

A zero in words is compared with the quantity it names (or its declared figure); 均获维持 claims
that the upheld count equals the total of the quantity named before it in the sentence.
"""

from __future__ import annotations

from decimal import Decimal

from gkassist.grounding.candidates import Candidate, QuantityFinder
from gkassist.grounding.claims import NumberClaim, new_claim
from gkassist.grounding.declared import DeclaredFigures
from gkassist.grounding.definite import Definiteness
from gkassist.grounding.tables import Tables, fmt
from gkassist.grounding.text import CONNECTORS, TextStructure, quote
from gkassist.grounding.vocabulary import CompiledQuantity, CompiledVocabulary, PhraseHit


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

    def upheld_claims(
        self, sid: str, title: str, t: TextStructure, named: list[tuple[int, CompiledQuantity]]
    ) -> list[NumberClaim]:
        if self.vocab.upheld_re is None:
            return []
        out: list[NumberClaim] = []
        for m in self.vocab.upheld_re.finditer(t.text):
            sent = t.sentence(m.start())
            q = None
            for hit in reversed(t.hits_within(sent[0], m.start())):
                for target in hit.phrase.targets:
                    cand = self.vocab.quantities[target.quantity]
                    if cand.upheld and not target.base_only and self.finder.passes(cand, t, m.start(), sent[0], m.end(), hit):
                        q = cand
                        break
                if q is not None:
                    break
            if q is None:
                continue
            total = self.tables.evaluate(q)
            upheld = self.tables.evaluate(q, "upheld")
            base: dict[str, object] = {"section": sid, "section_title": title, "start": m.start(), "end": m.end(),
                                       "text": m.group(), "form": "upheld", "sentence": quote(t.text, m.start(), m.end(), sent)}
            label = f"{q.label}中结果维持的数量"
            if total is None or upheld is None or total.value is None or upheld.value is None:
                reason = (total.reason if total is not None and total.reason else
                          upheld.reason if upheld is not None else "表格中没有该项")
                out.append(new_claim(**base, value=None, kind="ungrounded", quantity=label, quantity_id=q.id,
                                       evidence=f"{reason}，无法核对“{m.group()}”"))
                continue
            ok = upheld.value == total.value
            basis = f"{upheld.basis}为{fmt(upheld.value)}，{total.basis}为{fmt(total.value)}"
            evidence = f"{label}：{basis}" + ("，与“均获维持”一致" if ok else "，并非全部维持")
            out.append(new_claim(**base, value=total.value, kind="matched" if ok else "mismatched", quantity=label,
                                   quantity_id=q.id, expected=upheld.value, cells=upheld.cells + total.cells,
                                   cell_ids=upheld.ids + total.ids, basis=basis, evidence=evidence))
        return out


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
