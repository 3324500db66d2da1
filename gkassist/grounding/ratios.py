"""Shares (占…的比例) and year-on-year changes (同比增长…), recomputed from the tables.

The numerator is the quantity named before the marker (or the last count of the sentence), the
denominator the quantity named after it (or the numerator's ``share_of``); a change compares with
last year's report.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from gkassist.grounding.candidates import QuantityFinder
from gkassist.grounding.claims import ClaimForm, NumberClaim, new_claim
from gkassist.grounding.extract import Numeral
from gkassist.grounding.tables import Tables, fmt
from gkassist.grounding.text import TextStructure
from gkassist.grounding.vocabulary import CompiledQuantity, CompiledVocabulary


class RatioClaims:
    """Checks the shares and changes of one report."""

    def __init__(self, vocab: CompiledVocabulary, finder: QuantityFinder, tables: Tables, last: Tables | None) -> None:
        self.vocab = vocab
        self.finder = finder
        self.tables = tables
        self.last = last

    def change_direction(self, text: str, sent_start: int, pos: int, lead: str) -> str | None:
        v = self.vocab
        up = v.change_up_re.search(lead)
        down = v.change_down_re.search(lead)
        if up is None and down is None:
            return None
        if not v.change_compare_re.search(text, sent_start, pos):
            return None
        if up is not None and (down is None or up.start() > down.start()):
            return "up"
        return "down"

    def _numerator(
        self, t: TextStructure, n: Numeral, seg: tuple[int, int], marker_pos: int, named: list[tuple[int, CompiledQuantity]],
        sent: tuple[int, int],
    ) -> CompiledQuantity | None:
        cands = [c for c in self.finder.candidates(t, marker_pos, marker_pos, (seg[0], marker_pos), "") if c.quantity.cells]
        if cands:
            return cands[0].quantity
        for pos, q in reversed(named):
            if sent[0] <= pos < n.start:
                return q
        return None

    def claim(
        self, t: TextStructure, n: Numeral, seg: tuple[int, int], base: dict[str, object],
        named: list[tuple[int, CompiledQuantity]], sent: tuple[int, int], lead: str, change: str | None,
    ) -> NumberClaim:
        assert n.value is not None
        share = self.vocab.share_re.search(lead) if self.vocab.share_re is not None and n.percent else None
        if share is None and change is None:
            return new_claim(**base, form="share", kind="ungrounded", evidence="该比例无法从表格核算")
        marker_pos = seg[0] + (share.start() if share is not None else len(lead))
        if change is not None and share is None:
            m = (self.vocab.change_compare_re.search(lead))
            marker_pos = seg[0] + m.start() if m is not None else marker_pos
        num_q = self._numerator(t, n, seg, marker_pos, named, sent)
        form: ClaimForm = "share" if share is not None else "change"
        if num_q is None:
            return new_claim(**base, form=form, kind="ungrounded", evidence="看不出这是哪个数量的比例或变化")
        num = self.tables.evaluate(num_q)
        if num is None or num.value is None:
            reason = num.reason if num is not None else "表格中没有该项"
            return new_claim(**base, form=form, kind="ungrounded", quantity=num_q.label, quantity_id=num_q.id,
                               evidence=f"{num_q.label}：{reason}，无法核算")
        decimals = -n.value.as_tuple().exponent if n.value.as_tuple().exponent < 0 else 0  # type: ignore[operator]
        if share is not None:
            den_q = None
            after = seg[0] + share.end()
            cands = [c for c in self.finder.candidates(t, n.start, n.end, (after, n.start), "", base=True) if c.quantity.cells]
            if cands:
                den_q = cands[0].quantity
            elif num_q.share_of:
                den_q = self.vocab.quantities[num_q.share_of]
            if den_q is None:
                return new_claim(**base, form="share", kind="ungrounded", quantity=num_q.label, quantity_id=num_q.id,
                                   evidence="看不出比例的分母是哪个数量")
            den = self.tables.evaluate(den_q)
            if den is None or den.value is None or den.value == 0:
                reason = "为0" if den is not None and den.value == 0 else (den.reason if den else "表格中没有该项")
                return new_claim(**base, form="share", kind="ungrounded", quantity=num_q.label, quantity_id=num_q.id,
                                   evidence=f"分母{den_q.label}{reason}，无法核算")
            exact = num.value / den.value * 100
            basis = f"{num.basis}（{fmt(num.value)}）÷{den.basis}（{fmt(den.value)}）"
            label = f"{num_q.label}占{den_q.label}的比例"
            cells = num.cells + den.cells
            cell_ids = num.ids + den.ids
        else:
            if self.last is None:
                return new_claim(**base, form="change", kind="ungrounded", quantity=num_q.label, quantity_id=num_q.id,
                                   evidence="没有上年报告，无法核对同比变化")
            prev = self.last.evaluate(num_q)
            if prev is None or prev.value is None or (n.percent and prev.value == 0):
                return new_claim(**base, form="change", kind="ungrounded", quantity=num_q.label, quantity_id=num_q.id,
                                   evidence="上年报告中该项为空或为0，无法核对同比变化")
            delta = num.value - prev.value if change == "up" else prev.value - num.value
            exact = delta / prev.value * 100 if n.percent else delta
            word = "增长" if change == "up" else "下降"
            basis = f"{num.basis}本年{fmt(num.value)}、上年{fmt(prev.value)}"
            label = f"{num_q.label}同比{word}"
            cells = num.cells
            cell_ids = num.ids
        expected = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        tolerance = Decimal(5).scaleb(-decimals - 1)
        if n.bounds is not None:  # 增长30余%
            ok = n.bounds[0] <= exact < n.bounds[1]
        elif n.approx == "over":
            ok = exact >= n.value
        elif n.approx == "about":
            ok = abs(exact - n.value) <= max(abs(n.value) / 10, tolerance)
        else:
            ok = abs(exact - n.value) <= tolerance
        unit = "%" if n.percent else n.unit
        if ok:
            evidence = f"{label}：按{basis}计算为{fmt(expected)}{unit}，与叙述一致"
        else:
            evidence = f"{label}按{basis}计算应为{fmt(expected)}{unit}"
        return new_claim(
            **base, form=form, kind="matched" if ok else "mismatched", quantity=label, quantity_id=num_q.id,
            expected=expected, cells=cells, cell_ids=cell_ids, basis=basis, evidence=evidence,
        )
