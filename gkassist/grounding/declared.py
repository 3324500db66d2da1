"""Numbers compared with the staff-declared figures (numbers that are in no table).

A figure fits a number when its label is written near it (or names the quantity the phrase
names); a differing number is an error only when the label ends right before it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from gkassist.grounding.claims import NumberClaim, new_claim
from gkassist.grounding.extract import Numeral
from gkassist.grounding.tables import MONEY_FACTORS, equal, fmt, in_stated_unit
from gkassist.grounding.vocabulary import CompiledQuantity, CompiledVocabulary, PhraseHit
from gkassist.model import DeclaredFigure, Report

_LABEL_NOISE = re.compile(r"[\s，,。：:、（）()“”\"'《》]|数量$|情况$|总数$")


@lru_cache(maxsize=1024)  # a report has a few labels, each compared with every number
def norm_label(label: str) -> str:
    return _LABEL_NOISE.sub("", label)


@lru_cache(maxsize=1024)
def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def label_just_before(label: str, scope: str, at: int, slack: int = 4) -> bool:
    """The label is written in scope, ending at most ``slack`` characters before position ``at``."""
    norm = norm_label(label)
    i = scope.rfind(norm, 0, at) if norm else -1
    return i >= 0 and at - (i + len(norm)) <= slack


def label_fits(label: str, scope: str) -> bool:
    norm = norm_label(label)
    if not norm:
        return False
    if norm in scope:
        return True
    grams = _bigrams(norm)
    if not grams:
        return False
    return sum(1 for g in grams if g in scope) / len(grams) >= 0.6


def declared_unit_ok(d: DeclaredFigure, unit: str) -> bool:
    if not d.unit or not unit:
        return True
    if d.unit == unit:
        return True
    return d.unit in MONEY_FACTORS and unit in MONEY_FACTORS


class DeclaredFigures:
    """The declared figures of one report, matched against the narrative's numbers."""

    def __init__(self, report: Report, vocab: CompiledVocabulary) -> None:
        self.report = report
        self.vocab = vocab
        self.declared_labels = [(d, norm_label(d.label)) for d in report.declared]
        # the keywords of the declared-only quantities: few of all the quantities have any
        self._keywords = [(w, q.id) for q in vocab.quantities.values() for w in q.declared]
        self._of_quantity: dict[str, list[DeclaredFigure]] = {}

    def more_specific(self, scope: str, scope_start: int, hit: PhraseHit, n: Numeral) -> DeclaredFigure | None:
        """A declared figure whose label covers the phrase (发布规范性文件解读3篇 declared as 规范性文件解读)."""
        for d, norm in self.declared_labels:
            at = scope.find(norm) if norm else -1
            if at < 0:
                continue
            a = scope_start + at
            b = a + len(norm)
            if a <= hit.start and hit.end <= b and (b - a) > (hit.end - hit.start) and declared_unit_ok(d, n.unit):
                return d
        return None

    def of_quantity(self, q: CompiledQuantity) -> list[DeclaredFigure]:
        """Declared figures that are this declared-only quantity.

        A label belongs to the quantity whose keyword ends last in it (the head of a Chinese noun
        phrase is at its end): 信息处理费收费通知 is a fee notice count, not a fee amount.
        """
        found = self._of_quantity.get(q.id)
        if found is not None:
            return found
        out = []
        for d in self.report.declared:
            best: tuple[int, int, str] | None = None
            for w, qid in self._keywords:
                i = d.label.rfind(w)
                if i >= 0 and (best is None or (i + len(w), len(w)) > best[:2]):
                    best = (i + len(w), len(w), qid)
            if best is not None and best[2] == q.id:
                out.append(d)
        self._of_quantity[q.id] = out
        return out

    def claim(
        self, base: dict[str, object], n: Numeral, figures: list[DeclaredFigure], scope: str, at: int, *,
        strong: bool, quantity: CompiledQuantity | None = None, breakdown: bool = False,
    ) -> NumberClaim:
        """Compare with declared figures; ``at`` is the number's position in ``scope``.

        ``strong``: the figures are known to be the quantity named. Otherwise a different number is
        an error only when the figure's label itself ends right before it (组织政府信息公开培训5次), and
        not in a breakdown (发布政策解读18篇，其中图解政策解读5篇: the 5 is a part, not the figure).
        """
        assert n.value is not None
        fitting = [d for d in figures if declared_unit_ok(d, n.unit) and (strong or label_fits(d.label, scope))]
        for d in fitting:
            if equal(n.value, n.unit, d.value, d.unit, n.approx, n.bounds):
                return new_claim(
                    **base, kind="declared", quantity=d.label, quantity_id=quantity.id if quantity else None,
                    expected=d.value, basis=f"已申报数字“{d.label}”",
                    evidence=f"与已申报数字“{d.label}”（{fmt(d.value)}{d.unit}）一致",
                )
        sure = [d for d in fitting if strong or (not breakdown and label_just_before(d.label, scope, at))]
        if len(sure) == 1:
            d = sure[0]
            expected = in_stated_unit(d.value, d.unit, n.unit)
            return new_claim(
                **base, kind="mismatched", quantity=d.label, quantity_id=quantity.id if quantity else None,
                expected=expected, cells=[f"已申报数字“{d.label}”"], basis=f"已申报数字“{d.label}”",
                evidence=f"按已申报数字“{d.label}”应为{fmt(d.value)}{d.unit}",
            )
        return new_claim(**base, kind="ungrounded", evidence="表格和已申报数字中都没有与之对应的数量")
