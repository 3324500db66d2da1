"""Classify every number of the narrative against the tables and the declared figures (the orchestrator).

Each numeral of sections 一, 五, 六 and the opening paragraph becomes one ``NumberClaim``:

- matched: the phrase around it names a quantity of the report (rules/vocabulary.yaml) and the
  number equals it (one cell or a sum of cells);
- mismatched: the phrase names a quantity and the number differs (also wrong shares and
  wrong year-on-year changes, recomputed from the tables);
- declared: it equals a staff-declared figure whose label fits the phrase;
- exempt: a year, date, article or document number, a name or fixed phrase, a phone number...;
- ungrounded: anything else, including numbers whose table cells are blank or missing.

Statements of zero in words (未收到申请) and 均获维持 are checked like numbers.

How a number finds its phrase: the text is cut into clauses (at ，；：。 and line ends); the
*segment* of a number is its clause, cut again at the neighbouring numbers. The phrase that
ends closest before the number wins (or one spanning it, 收到30件申请; or one right after
it, 3件行政复议案件); among equally close phrases the longest (most specific) wins. When the
segment names nothing, earlier clauses of the same sentence that hold no number are used
(收到政府信息公开申请，共计30件). A part named right before its whole is the part
(属于国家秘密不予公开1件); after 其中, a second number for the quantity already stated is a
breakdown, not the figure (收到申请30件，其中网上收到申请20件).

A phrase inside brackets speaks of the numbers in the same brackets, never of the one before
them (答复3050件（含上年度结转申请34件）: 34 is 上年结转, 3050 is 办理结果). Some wordings may
count more than one sum of cells (受理N件: 新收, or 新收 + 上年结转): equal to any of them is a match.

A number that cannot be matched is a warning; an error needs a definite contradiction. Blank,
"/" or missing cells make a number ungrounded (a warning). A differing number is an error only
when its phrase is close to it and the sentence speaks of the whole agency (definite.py); a
number differing from a declared figure only when the figure's label ends right before it.

Text copied from a PDF breaks lines inside sentences and carries page numbers: the numbers are
read on the text with its wrapped lines joined (flow.py), at their positions as written.

The work is shared out: claims.py (the claim model), flow.py (wrapped lines joined), text.py
(clauses, sentences, brackets, phrase hits), candidates.py (the quantity a phrase names),
tables.py (quantities evaluated on the tables), definite.py (whether a difference is an error),
declared.py (declared figures), ratios.py (shares and changes), words.py (zeros in words and
均获维持). This module walks the numbers of each text and picks the claim for each.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection
from decimal import Decimal

from gkassist.grounding.candidates import Candidate, QuantityFinder
from gkassist.grounding.claims import KIND_ZH, ClaimForm, ClaimKind, NumberClaim, new_claim
from gkassist.grounding.declared import DeclaredFigures
from gkassist.grounding.definite import Definiteness
from gkassist.grounding.extract import (
    COUNT_UNITS,
    PAGE_NUMBER_REASON,
    Bounds,
    Numeral,
    describe_bounds,
    extract_numerals,
)
from gkassist.grounding.flow import Flow, join_lines
from gkassist.grounding.ratios import RatioClaims
from gkassist.grounding.tables import Evaluation, Tables, describe_cell, equal, fmt, in_stated_unit
from gkassist.grounding.text import TextStructure, quote, structure
from gkassist.grounding.vocabulary import CompiledQuantity, CompiledVocabulary, load_vocabulary
from gkassist.grounding.words import WordClaims
from gkassist.model import NARRATIVE_SECTIONS, Report
from gkassist.names import OPENING, SECTION_TITLES, section_name

__all__ = [
    "KIND_ZH",
    "ClaimForm",
    "ClaimKind",
    "NumberClaim",
    "classify_report",
    "classify_text",
    "describe_cell",
    "narrative_sections",
]

# The evidence of a count below zero that no table quantity or declared figure is compared with
NEGATIVE_COUNT = "件数、条数等计数不会小于零"


def _named_in(named: list[tuple[int, CompiledQuantity]], q: CompiledQuantity, start: int, end: int) -> bool:
    """``q`` was named by a claim at a position in [start, end) (``named`` is in order of position)."""
    i = bisect_left(named, start, key=_position)
    for pos, prev in named[i:]:
        if pos >= end:
            return False
        if prev is q:
            return True
    return False


def _position(item: tuple[int, CompiledQuantity]) -> int:
    return item[0]



class _Classifier:
    """Classifies the narrative texts of one report; every cache lives only as long as the instance."""

    def __init__(self, report: Report, vocab: CompiledVocabulary) -> None:
        self.report = report
        self.vocab = vocab
        self.tables = Tables(report)
        self.last = Tables(report.last_year) if report.last_year is not None else None
        self.finder = QuantityFinder(vocab, self.tables)
        self.declared = DeclaredFigures(report, vocab)
        self.ratios = RatioClaims(vocab, self.finder, self.tables, self.last)
        self.definite = Definiteness(vocab, self.finder, report.meta.agency)
        self.words = WordClaims(vocab, self.finder, self.tables, self.declared, self.definite)
        self._compared: dict[tuple[str, Decimal, str, str, Bounds | None, bool], dict[str, object]] = {}

    def classify_text(self, sid: str, title: str, text: str, exempt: bool = True) -> list[NumberClaim]:
        """The claims of one text, read with its wrapped lines joined, at their positions in the text as written."""
        flow = join_lines(text, self.vocab.page_line_re, self.vocab.page_scan_re)
        claims = self._classify_flow(sid, title, flow.text, exempt)
        if flow.origin is None:
            return claims
        out = [_relocate(c, flow, text) for c in claims]
        if exempt:
            out.extend(new_claim(section=sid, section_title=title, start=a, end=b, text=text[a:b], value=None,
                                 kind="exempt", evidence=PAGE_NUMBER_REASON, sentence=text[a:b])
                       for a, b in flow.page_lines)
            out.sort(key=lambda c: (c.start, c.end))
        return out

    def _classify_flow(self, sid: str, title: str, text: str, exempt: bool) -> list[NumberClaim]:
        vocab = self.vocab
        numerals = extract_numerals(text, vocab, with_exempt=exempt)
        t = structure(text, vocab, [n for n in numerals if n.exempt is None])
        claims: list[NumberClaim] = []
        named: list[tuple[int, CompiledQuantity]] = []  # (position, quantity) of claims with a table quantity
        for n in numerals:
            sent = t.sentence(n.start)
            base = {"section": sid, "section_title": title, "start": n.start, "end": n.end, "text": n.text,
                    "value": n.value, "unit": n.unit, "sentence": quote(text, n.start, n.end, sent)}
            if n.exempt is not None:
                claims.append(new_claim(**base, kind="exempt", evidence=n.exempt))
                continue
            seg = self._segment(t, n)
            claim = self._classify_numeral(t, n, seg, base, named, sent)
            if claim.kind == "ungrounded" and claim.form == "count" and self._negative_count(t, n, sent):
                claim = new_claim(**base, kind="mismatched", quantity=claim.quantity, quantity_id=claim.quantity_id,
                                  evidence=NEGATIVE_COUNT)
            claims.append(claim)
            if claim.quantity_id and claim.form == "count" and claim.quantity_id in vocab.quantities:
                named.append((n.start, vocab.quantities[claim.quantity_id]))
        claims.extend(self.words.zero_claims(sid, title, t))
        claims.extend(self.words.whole_set_claims(sid, title, t, named))
        claims.sort(key=lambda c: (c.start, c.end))
        return claims

    def _negative_count(self, t: TextStructure, n: Numeral, sent: tuple[int, int]) -> bool:
        """A count below zero (收到申请-30件): never right, whatever it counts; after 增/减 or 较上年
        in its sentence it is a change (本年增/减-3项)."""
        return (n.value is not None and n.value < 0 and n.unit in COUNT_UNITS
                and self.vocab.change_signed_re.search(t.text, sent[0], n.start) is None)

    @staticmethod
    def _label_start(t: TextStructure, seg: tuple[int, int]) -> int:
        """Where the words a number may be compared with start: its segment, and a label before a colon
        that ends right before it (政策解读：18篇), like the phrase of a sentence (发布政策解读18篇)."""
        c_start = t.clause(seg[0])[0]
        if seg[0] != c_start or c_start == 0 or t.text[c_start - 1] not in "：:":
            return seg[0]
        label_start = t.clause(c_start - 1)[0]
        return seg[0] if t.numerals_within(label_start, c_start - 1) else label_start

    def _segment(self, t: TextStructure, n: Numeral) -> tuple[int, int]:
        c_start, c_end = t.clause(n.start)
        i = bisect_left(t.active_starts, n.start)
        seg_start = c_start
        if i > 0 and t.active[i - 1].end > c_start:
            seg_start = t.active[i - 1].end
        seg_end = c_end
        if i + 1 < len(t.active) and t.active[i + 1].start < c_end:
            seg_end = t.active[i + 1].start
        return seg_start, seg_end

    def _classify_numeral(
        self, t: TextStructure, n: Numeral, seg: tuple[int, int], base: dict[str, object],
        named: list[tuple[int, CompiledQuantity]], sent: tuple[int, int],
    ) -> NumberClaim:
        text = t.text
        lead = text[seg[0] : n.start]
        change = self.ratios.change_direction(text, sent[0], n.start, lead)
        if change is None and n.value is not None and n.value < 0 and self.vocab.change_signed_re.search(lead):
            change = "up"  # 较上年-5件, 同比-3%, 增/减-3项: a signed change, the sign says which way
        if n.percent or change is not None:
            return self.ratios.claim(t, n, seg, base, named, sent, lead, change)
        assert n.value is not None
        candidates = self.finder.candidates(t, n.start, n.end, seg, n.unit)
        scope_start = min([seg[0], *(c.hit.start for c in candidates[:1])]) if candidates else self._label_start(t, seg)
        scope = text[scope_start : seg[1]]
        at = n.start - scope_start
        breakdown = "其中" in text[sent[0] : n.start]
        if candidates:
            best = candidates[0]
            q = best.quantity
            specific = self.declared.more_specific(scope, scope_start, best.hit, n)
            if specific is not None:
                return self.declared.claim(base, n, [specific], scope, at, strong=True)
            if breakdown and _named_in(named, q, sent[0], n.start):
                # 收到申请30件，其中通过网络收到申请20件: a part of the figure stated before 其中
                return new_claim(
                    **base, kind="ungrounded", quantity=q.label, quantity_id=q.id,
                    evidence=f"是本句前面“{q.label}”的一部分，表格中没有这一部分的数字",
                )
            if q.cells:
                ev = self.tables.evaluate(q)
                if ev is not None and ev.value is not None:
                    return self._compare_claim(base, t, n, best, ev)
                declared = self.declared.claim(base, n, self.report.declared, scope, at, strong=False, breakdown=breakdown)
                if declared.kind != "ungrounded":
                    return declared
                reason = ev.reason if ev is not None else "表格中没有该项"
                return new_claim(
                    **base, kind="ungrounded", quantity=q.label, quantity_id=q.id,
                    cells=ev.cells if ev is not None else [],
                    evidence=f"叙述说的是“{q.label}”，但{reason}，无法核对",
                )
            figures = self.declared.of_quantity(q)
            if figures:
                return self.declared.claim(base, n, figures, scope, at, strong=True, quantity=q)
            declared = self.declared.claim(base, n, self.report.declared, scope, at, strong=False, breakdown=breakdown)
            if declared.kind != "ungrounded":
                return declared
            return new_claim(
                **base, kind="ungrounded", quantity=q.label, quantity_id=q.id,
                evidence=f"“{q.label}”不在表格中，需要在已申报数字中申报",
            )
        return self.declared.claim(base, n, self.report.declared, scope, at, strong=False, breakdown=breakdown)

    def _compare_claim(self, base: dict[str, object], t: TextStructure, n: Numeral, best: Candidate, ev: Evaluation) -> NumberClaim:
        assert n.value is not None and ev.value is not None
        q = best.quantity
        key = (q.id, n.value, n.unit, n.approx, n.bounds, False)  # the same number stated again for the same quantity
        fields = self._compared.get(key)
        if fields is None:
            fields = self._compared[key] = self._compare(n, q, ev, False)
        if fields["kind"] == "mismatched" and q.also:
            # the wording may count another sum (受理N件: 新收 + 上年结转), unless it names the row exactly (新收)
            phrase = t.text[best.hit.start : best.hit.end]
            if not any(w in phrase for a in q.also for w in a.unless):
                key = (q.id, n.value, n.unit, n.approx, n.bounds, True)
                fields = self._compared.get(key) or self._compared.setdefault(key, self._compare(n, q, ev, True))
        if fields["kind"] == "mismatched":
            doubt = self.definite.doubt(t, best.hit, n.start, n.end)
            if doubt is not None:  # not a definite contradiction: a warning to check, never an error
                return new_claim(**base, kind="ungrounded", quantity=q.label, quantity_id=q.id,
                                 cells=ev.cells, cell_ids=ev.ids, basis=ev.basis,
                                 evidence=f"{doubt}；{fields['evidence']}，请核对")
        return new_claim(**base, **fields)

    def _compare(self, n: Numeral, q: CompiledQuantity, ev: Evaluation, also: bool) -> dict[str, object]:
        assert n.value is not None and ev.value is not None
        sums: list[tuple[str | None, Evaluation]] = [(None, ev)]
        if also:  # 受理N件 may count 新收 + 上年结转: any of the sums the wording may mean
            sums += [(a.label, e) for a in q.also if (e := self.tables.evaluate_sum(a)) is not None and e.value is not None]
        for label, s in sums:
            assert s.value is not None
            if equal(n.value, n.unit, s.value, s.unit, n.approx, n.bounds):
                shown = f"{fmt(in_stated_unit(s.value, s.unit, n.unit))}{n.unit or s.unit}"
                what = f"{q.label}" if label is None else f"{q.label}（按{label}计）"
                return {"kind": "matched", "quantity": q.label, "quantity_id": q.id,
                        "expected": in_stated_unit(s.value, s.unit, n.unit), "cells": s.cells, "cell_ids": s.ids,
                        "basis": s.basis, "evidence": f"{what}：{s.basis}为{shown}，与叙述一致"}
        expected = in_stated_unit(ev.value, ev.unit, n.unit)
        evidence = f"{q.label}按{ev.basis}应为{fmt(expected)}{n.unit or ev.unit}"
        others = [f"{label}{fmt(in_stated_unit(s.value, s.unit, n.unit))}" for label, s in sums[1:] if s.value is not None]
        if others:
            evidence += f"（也不等于{'、'.join(others)}）"
        if n.bounds is not None:
            evidence += f"，而“{n.text}”指的是{describe_bounds(n.bounds, n.unit or ev.unit)}"
        return {"kind": "mismatched", "quantity": q.label, "quantity_id": q.id, "expected": expected,
                "cells": ev.cells, "cell_ids": ev.ids, "basis": ev.basis, "evidence": evidence}


def _relocate(claim: NumberClaim, flow: Flow, text: str) -> NumberClaim:
    """The claim at its position in the text as written (it was found in the joined text)."""
    start, end = flow.span(claim.start, claim.end)
    fields = dict(claim.__dict__)
    fields.update(start=start, end=end, text=text[start:end])
    return new_claim(**fields)


def narrative_sections(report: Report) -> list[tuple[str, str, str]]:
    """(section id, section title, text) of the opening paragraph and sections 一, 五, 六."""
    out: list[tuple[str, str, str]] = []
    if report.meta.opening:
        out.append((OPENING, section_name(OPENING), report.meta.opening))
    for sid in NARRATIVE_SECTIONS:
        text = report.section(sid)
        if text:
            out.append((sid, SECTION_TITLES[sid], text))
    return out


def classify_text(report: Report, sid: str, text: str) -> list[NumberClaim]:
    """Classify the numbers of one text as if it were section ``sid`` of the report."""
    title = section_name(sid)
    return _Classifier(report, load_vocabulary()).classify_text(sid, title, text)


def classify_report(
    report: Report, *, exempt: bool = True, sections: Collection[str] | None = None
) -> list[NumberClaim]:
    """Every number of the narrative (opening paragraph, sections 一, 五, 六) with its class and evidence.

    ``exempt=False`` leaves out the numbers in exempt places (years, document numbers...): the
    checks never report them, only listings show them. ``sections``: only these section ids
    (a number's class depends on its own text and the tables, never on the other sections).
    """
    classifier = _Classifier(report, load_vocabulary())
    claims: list[NumberClaim] = []
    for sid, title, text in narrative_sections(report):
        if sections is not None and sid not in sections:
            continue
        claims.extend(classifier.classify_text(sid, title, text, exempt))
    return claims

