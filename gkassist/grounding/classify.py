"""Classify every number of the narrative against the tables and the declared figures.

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

Blank, "/" or missing cells make a number ungrounded (a warning), never an error. A number
differing from a declared figure is an error only when the figure's label ends right before it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gkassist.cells import Cell
from gkassist.grounding.extract import COUNT_UNITS, Numeral, extract_numerals
from gkassist.grounding.vocabulary import (
    CLAUSE_DELIMS,
    SENTENCE_DELIMS,
    CellAddress,
    CompiledQuantity,
    CompiledVocabulary,
    PhraseHit,
    load_vocabulary,
)
from gkassist.layouts import TABLE_NUMERALS, table_layout
from gkassist.model import NARRATIVE_SECTIONS, SECTION_TITLES, DeclaredFigure, Report

ClaimKind = Literal["matched", "mismatched", "declared", "exempt", "ungrounded"]
ClaimForm = Literal["count", "share", "change", "zero", "upheld"]
KIND_ZH: dict[str, str] = {
    "matched": "一致",
    "mismatched": "不一致",
    "declared": "已申报",
    "exempt": "豁免",
    "ungrounded": "无依据",
}
OPENING_ID = "opening"
OPENING_TITLE = "开头段落"


class NumberClaim(BaseModel):
    """One number of the narrative with its class and the evidence for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    section: str  # opening | s1 | s5 | s6
    section_title: str  # 一、总体情况 ... or 开头段落
    start: int  # character span in the section text
    end: int
    text: str  # the number as written, with its unit (text[start:end])
    value: Decimal | None  # the number stated (for 均获维持: the total it implies)
    unit: str = ""
    form: ClaimForm = "count"
    kind: ClaimKind
    quantity: str | None = None  # Chinese label of the quantity named by the phrase
    quantity_id: str | None = None
    expected: Decimal | None = None  # what the tables (or the declared figure) say
    cells: list[str] = Field(default_factory=list)  # the cells used, e.g. 表三“（七）总计”行“总计”列
    cell_ids: list[str] = Field(default_factory=list)  # the same cells as table.row.column ids: s3.r_total.total
    basis: str = ""  # where the expected value comes from, with the summed cells' values
    evidence: str = ""  # Chinese explanation
    sentence: str = ""  # the sentence around the number

    @property
    def kind_zh(self) -> str:
        return KIND_ZH[self.kind]


# ---------------------------------------------------------------- quantities and cells


@dataclass(slots=True)
class Evaluation:
    value: Decimal | None  # None: cannot be compared
    unit: str  # 万元 / 元 / "" (counts)
    cells: list[str]
    basis: str  # Chinese description of the cells (and their values when summed)
    reason: str = ""  # why value is None
    ids: list[str] = field(default_factory=list)  # table.row.column


def _short_label(label: str) -> str:
    """（二）部分公开（区分处理的，只计这一情形，不计其他情形） → （二）部分公开."""
    if label.endswith("）") and "（" in label[1:]:
        cut = label.find("（", 1)
        if cut > 0:
            return label[:cut]
    return label


@cache
def describe_cell(format_id: str, address: CellAddress) -> str:
    """表三“（七）总计”行“总计”列 / 表四“行政复议·总计”列 / 表二“行政规范性文件”行“本年制发件数”列."""
    table_id, row_id, col_id = address
    layout = table_layout(format_id, table_id)
    row = layout.row(row_id)
    col = layout.column(row_id, col_id)
    numeral = TABLE_NUMERALS[table_id]
    if table_id == "s4":
        return f"表{numeral}“{col.path}”列"
    label = _short_label(row.label)
    if label[:1].isdigit() and row.groups:
        label = f"{_short_label(row.groups[-1])}{label}"
    return f"表{numeral}“{label}”行“{col.label}”列"


@cache
def _column_unit(format_id: str, address: CellAddress) -> str | None:
    table_id, row_id, col_id = address
    return table_layout(format_id, table_id).column(row_id, col_id).unit


@cache
def _group_basis(format_id: str, cells: tuple[CellAddress, ...]) -> str | None:
    """表三“（三）不予公开”各项“总计”列之和, when the cells are exactly the rows of one group."""
    tables = {c[0] for c in cells}
    cols = {c[2] for c in cells}
    if len(cells) < 3 or len(tables) != 1 or len(cols) != 1:
        return None
    table_id = next(iter(tables))
    layout = table_layout(format_id, table_id)
    groups = {layout.row(c[1]).groups[-1:] for c in cells}
    if len(groups) != 1 or not next(iter(groups)):
        return None
    group = next(iter(groups))[0]
    members = [r.id for r in layout.rows() if r.groups[-1:] == (group,)]
    if sorted(members) != sorted(c[1] for c in cells):
        return None
    col = layout.column(cells[0][1], cells[0][2])
    return f"表{TABLE_NUMERALS[table_id]}“{group}”各项“{col.label}”列之和"


def _fmt(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


_MONEY_FACTORS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}


class _Tables:
    """Evaluates quantities on one report, with a cache."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self._cache: dict[str, Evaluation | None] = {}
        self._upheld_cache: dict[str, Evaluation | None] = {}
        self._applicable: dict[str, bool] = {}

    def layout_of(self, table_id: str) -> str:
        table = self.report.tables.get(table_id)  # type: ignore[call-overload]
        return table.layout if table is not None else self.report.meta.format

    def applicable(self, q: CompiledQuantity) -> bool:
        try:
            return self._applicable[q.id]
        except KeyError:
            ok = True
            if q.cells:
                first_table = next(iter(q.cells.values()))[0][0]
                ok = self.layout_of(first_table) in q.cells
            self._applicable[q.id] = ok
            return ok

    def evaluate(self, q: CompiledQuantity, which: str = "cells") -> Evaluation | None:
        """The quantity's value from the tables; None when it has no cells in this layout."""
        cache = self._cache if which == "cells" else self._upheld_cache
        try:
            return cache[q.id]
        except KeyError:
            result = cache[q.id] = self._evaluate(q, which)
            return result

    def _evaluate(self, q: CompiledQuantity, which: str) -> Evaluation | None:
        source = q.cells if which == "cells" else q.upheld
        if not source:
            return None
        first_table = next(iter(source.values()))[0][0]
        fmt = self.layout_of(first_table)
        addresses = source.get(fmt)
        if not addresses:
            return None
        descriptions = [describe_cell(fmt, a) for a in addresses]
        values: list[Decimal] = []
        unit = ""
        problem = ""
        for address, desc in zip(addresses, descriptions, strict=True):
            table_id, row_id, col_id = address
            table = self.report.tables.get(table_id)
            if table is None or table.is_empty():
                problem = f"表{TABLE_NUMERALS[table_id]}未填写"
                break
            cell: Cell = table.get(row_id, col_id)
            if cell.state != "number" or cell.value is None:
                shown = {"blank": "空白", "na": "“/”"}.get(cell.state, f"无法识别的“{cell.raw}”")
                problem = f"{desc}为{shown}"
                break
            unit = cell.unit or table.column_units.get(col_id) or _column_unit(fmt, address) or unit
            values.append(Decimal(cell.value))
        group = _group_basis(fmt, addresses)
        ids = [".".join(a) for a in addresses]
        if problem:
            return Evaluation(None, unit, descriptions, group or "＋".join(descriptions), reason=problem, ids=ids)
        total = sum(values, Decimal(0))
        if len(values) == 1:
            basis = descriptions[0]
        elif group:
            basis = group
        else:
            basis = "＋".join(f"{d}（{_fmt(v)}）" for d, v in zip(descriptions, values, strict=True)) + "之和"
        return Evaluation(total, unit if unit in _MONEY_FACTORS else "", descriptions, basis, ids=ids)


def _to_base(value: Decimal, unit: str) -> Decimal:
    return value * _MONEY_FACTORS.get(unit, Decimal(1))


def _units_compatible(stated: str, expected: str, allowed: tuple[str, ...] = ()) -> bool:
    if allowed:
        return stated in allowed or stated == ""
    if stated == "%":
        return False
    if expected in _MONEY_FACTORS:
        return stated == "" or stated in _MONEY_FACTORS
    return stated == "" or stated in COUNT_UNITS or stated in ("起", "宗")


def _equal(stated: Decimal, stated_unit: str, expected: Decimal, expected_unit: str, approx: str) -> bool:
    if stated_unit in _MONEY_FACTORS or expected_unit in _MONEY_FACTORS:
        stated = _to_base(stated, stated_unit or expected_unit)
        expected = _to_base(expected, expected_unit or stated_unit)
    if approx == "over":
        return expected >= stated
    if approx == "about":
        return abs(expected - stated) <= max(abs(stated) / 10, Decimal(1))
    return stated == expected


def _in_stated_unit(expected: Decimal, expected_unit: str, stated_unit: str) -> Decimal:
    if expected_unit in _MONEY_FACTORS and stated_unit in _MONEY_FACTORS and expected_unit != stated_unit:
        return _to_base(expected, expected_unit) / _MONEY_FACTORS[stated_unit]
    return expected


# ---------------------------------------------------------------- declared figures


_LABEL_NOISE = re.compile(r"[\s，,。：:、（）()“”\"'《》]|数量$|情况$|总数$")


def _norm_label(label: str) -> str:
    return _LABEL_NOISE.sub("", label)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _label_just_before(label: str, scope: str, at: int, slack: int = 4) -> bool:
    """The label is written in scope, ending at most ``slack`` characters before position ``at``."""
    norm = _norm_label(label)
    i = scope.rfind(norm, 0, at) if norm else -1
    return i >= 0 and at - (i + len(norm)) <= slack


def _label_fits(label: str, scope: str) -> bool:
    norm = _norm_label(label)
    if not norm:
        return False
    if norm in scope:
        return True
    grams = _bigrams(norm)
    if not grams:
        return False
    return sum(1 for g in grams if g in scope) / len(grams) >= 0.6


def _declared_unit_ok(d: DeclaredFigure, unit: str) -> bool:
    if not d.unit or not unit:
        return True
    if d.unit == unit:
        return True
    return d.unit in _MONEY_FACTORS and unit in _MONEY_FACTORS


# ---------------------------------------------------------------- text structure


@dataclass(slots=True)
class _Text:
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


_CONNECTORS = re.compile(r"(?:[、和及与或]|以及)+")
_SUBHEAD = re.compile(r"^[ \t\u3000]*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d{1,2}[、.．](?!\d))", re.M)
_DELIM_RE = re.compile(f"[{re.escape(CLAUSE_DELIMS)}]")


def _structure(text: str, vocab: CompiledVocabulary, active: list[Numeral]) -> _Text:
    clause_delims = [m.start() for m in _DELIM_RE.finditer(text)]
    sentence_delims = [p for p in clause_delims if text[p] in SENTENCE_DELIMS]
    part_starts = [m.start() for m in _SUBHEAD.finditer(text)]
    t = _Text(text, clause_delims, sentence_delims, part_starts, [], [], active, [n.start for n in active])
    t.hits = vocab.phrase_hits(text, _regions(t, vocab))
    t.hit_starts = [h.start for h in t.hits]
    return t


def _regions(t: _Text, vocab: CompiledVocabulary) -> list[tuple[int, int]]:
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


# ---------------------------------------------------------------- the classifier


@dataclass(slots=True)
class _Candidate:
    quantity: CompiledQuantity
    hit: PhraseHit
    rank: tuple[float, int, int]


def _quote(text: str, start: int, end: int, sent: tuple[int, int], width: int = 40) -> str:
    s, e = sent
    s = max(s, start - width)
    e = min(e, end + width)
    quote = text[s:e].strip().replace("\n", " ")
    if s > sent[0]:
        quote = "…" + quote
    if e < sent[1]:
        quote = quote + "…"
    return quote


class _Classifier:
    def __init__(self, report: Report, vocab: CompiledVocabulary) -> None:
        self.report = report
        self.vocab = vocab
        self.tables = _Tables(report)
        self.last = _Tables(report.last_year) if report.last_year is not None else None
        self.declared_labels = [(d, _norm_label(d.label)) for d in report.declared]
        self._unit_ok: dict[tuple[str, str], bool] = {}

    # -- choosing the quantity named by the phrase

    def _passes(self, q: CompiledQuantity, t: _Text, pos: int, lo: int, hi: int, hit: PhraseHit) -> bool:
        text = t.text
        if not self.tables.applicable(q):
            return False
        if q.exclude_re is not None and q.exclude_re.search(text, min(lo, hit.start), max(hi, hit.end)):
            return False
        part = t.part_start(min(pos, hit.start))
        if q.context_re is not None or q.near_re is not None or q.avoid_re is not None:
            sent_start, sent_end = t.sentence(pos)
            if q.avoid_re is not None and q.avoid_re.search(text, min(sent_start, hit.start), sent_end):
                return False
            if q.context_re is not None and not q.context_re.search(text, part, sent_end):
                return False
            if q.near_re is not None and not q.near_re.search(text, min(sent_start, hit.start), sent_end):
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

    def _candidates(
        self, t: _Text, n_start: int, n_end: int, seg: tuple[int, int], unit: str, *, base: bool = False
    ) -> list[_Candidate]:
        """Quantities named around the span [n_start, n_end) within its segment, best first."""
        seg_start, seg_end = seg
        out: list[_Candidate] = []
        between = self.vocab.not_between_re
        for hit in t.hits_within(seg_start, seg_end):
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
            self._add_targets(out, t, hit, dist, n_start, seg_start, seg_end, unit, base)
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
                    if self.vocab.zero_re.search(t.text, max(prev_start, hit.start - 4), hit.start + 1):
                        continue
                    self._add_targets(out, t, hit, 100 + n_start - hit.end, n_start, prev_start, seg_end, unit, base)
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

    def _add_targets(
        self, out: list[_Candidate], t: _Text, hit: PhraseHit, dist: float, pos: int, lo: int, hi: int, unit: str,
        base: bool,
    ) -> None:
        for target in hit.phrase.targets:
            if target.base_only and not base:
                continue
            q = self.vocab.quantities[target.quantity]
            if unit and not self._unit_fits(q, unit):
                continue
            if not self._passes(q, t, pos, lo, hi, hit):
                continue
            out.append(_Candidate(q, hit, (dist, -target.specificity, q.index)))

    def _unit_fits(self, q: CompiledQuantity, unit: str) -> bool:
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
            ok = _units_compatible(unit, ev.unit if ev is not None else "")
        self._unit_ok[key] = ok
        return ok

    # -- the claims

    def classify_text(self, sid: str, title: str, text: str) -> list[NumberClaim]:
        vocab = self.vocab
        numerals = extract_numerals(text, vocab)
        t = _structure(text, vocab, [n for n in numerals if n.exempt is None])
        claims: list[NumberClaim] = []
        named: list[tuple[int, CompiledQuantity]] = []  # (position, quantity) of claims with a table quantity
        for n in numerals:
            sent = t.sentence(n.start)
            base = {"section": sid, "section_title": title, "start": n.start, "end": n.end, "text": n.text,
                    "value": n.value, "unit": n.unit, "sentence": _quote(text, n.start, n.end, sent)}
            if n.exempt is not None:
                claims.append(NumberClaim(**base, kind="exempt", evidence=n.exempt))
                continue
            seg = self._segment(t, n)
            claim = self._classify_numeral(t, n, seg, base, named, sent)
            claims.append(claim)
            if claim.quantity_id and claim.form == "count" and claim.quantity_id in vocab.quantities:
                named.append((n.start, vocab.quantities[claim.quantity_id]))
        claims.extend(self._zero_claims(sid, title, t))
        claims.extend(self._upheld_claims(sid, title, t, named))
        claims.sort(key=lambda c: (c.start, c.end))
        return claims

    def _segment(self, t: _Text, n: Numeral) -> tuple[int, int]:
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
        self, t: _Text, n: Numeral, seg: tuple[int, int], base: dict[str, object],
        named: list[tuple[int, CompiledQuantity]], sent: tuple[int, int],
    ) -> NumberClaim:
        text = t.text
        lead = text[seg[0] : n.start]
        change = self._change_direction(text, sent[0], n.start, lead)
        if n.percent or change is not None:
            return self._ratio_claim(t, n, seg, base, named, sent, lead, change)
        assert n.value is not None
        candidates = self._candidates(t, n.start, n.end, seg, n.unit)
        scope_start = min([seg[0], *(c.hit.start for c in candidates[:1])])
        scope = text[scope_start : seg[1]]
        at = n.start - scope_start
        breakdown = "其中" in text[sent[0] : n.start]
        if candidates:
            best = candidates[0]
            q = best.quantity
            specific = self._more_specific_declared(scope, scope_start, best.hit, n)
            if specific is not None:
                return self._declared_claim(base, n, [specific], scope, at, strong=True)
            if breakdown and any(sent[0] <= pos < n.start and prev is q for pos, prev in named):
                # 收到申请30件，其中通过网络收到申请20件: a part of the figure stated before 其中
                return NumberClaim(
                    **base, kind="ungrounded", quantity=q.label, quantity_id=q.id,
                    evidence=f"是本句前面“{q.label}”的一部分，表格中没有这一部分的数字",
                )
            if q.cells:
                ev = self.tables.evaluate(q)
                if ev is not None and ev.value is not None:
                    return self._compare_claim(base, n, q, ev)
                declared = self._declared_claim(base, n, self.report.declared, scope, at, strong=False, breakdown=breakdown)
                if declared.kind != "ungrounded":
                    return declared
                reason = ev.reason if ev is not None else "表格中没有该项"
                return NumberClaim(
                    **base, kind="ungrounded", quantity=q.label, quantity_id=q.id,
                    cells=ev.cells if ev is not None else [],
                    evidence=f"叙述说的是“{q.label}”，但{reason}，无法核对",
                )
            figures = self._declared_of(q)
            if figures:
                return self._declared_claim(base, n, figures, scope, at, strong=True, quantity=q)
            declared = self._declared_claim(base, n, self.report.declared, scope, at, strong=False, breakdown=breakdown)
            if declared.kind != "ungrounded":
                return declared
            return NumberClaim(
                **base, kind="ungrounded", quantity=q.label, quantity_id=q.id,
                evidence=f"“{q.label}”不在表格中，需要在已申报数字中申报",
            )
        return self._declared_claim(base, n, self.report.declared, scope, at, strong=False, breakdown=breakdown)

    def _compare_claim(self, base: dict[str, object], n: Numeral, q: CompiledQuantity, ev: Evaluation) -> NumberClaim:
        assert n.value is not None and ev.value is not None
        ok = _equal(n.value, n.unit, ev.value, ev.unit, n.approx)
        expected = _in_stated_unit(ev.value, ev.unit, n.unit)
        shown = f"{_fmt(expected)}{n.unit or ev.unit}"
        evidence = f"{q.label}：{ev.basis}为{shown}，与叙述一致" if ok else f"{q.label}按{ev.basis}应为{shown}"
        return NumberClaim(
            **base, kind="matched" if ok else "mismatched", quantity=q.label, quantity_id=q.id,
            expected=expected, cells=ev.cells, cell_ids=ev.ids, basis=ev.basis, evidence=evidence,
        )

    def _more_specific_declared(self, scope: str, scope_start: int, hit: PhraseHit, n: Numeral) -> DeclaredFigure | None:
        """A declared figure whose label covers the phrase (发布规范性文件解读3篇 declared as 规范性文件解读)."""
        for d, norm in self.declared_labels:
            at = scope.find(norm) if norm else -1
            if at < 0:
                continue
            a = scope_start + at
            b = a + len(norm)
            if a <= hit.start and hit.end <= b and (b - a) > (hit.end - hit.start) and _declared_unit_ok(d, n.unit):
                return d
        return None

    def _declared_of(self, q: CompiledQuantity) -> list[DeclaredFigure]:
        """Declared figures that are this declared-only quantity.

        A label belongs to the quantity whose keyword ends last in it (the head of a Chinese noun
        phrase is at its end): 信息处理费收费通知 is a fee notice count, not a fee amount.
        """
        out = []
        for d in self.report.declared:
            best: tuple[int, int, str] | None = None
            for other in self.vocab.quantities.values():
                for w in other.declared:
                    i = d.label.rfind(w)
                    if i >= 0 and (best is None or (i + len(w), len(w)) > best[:2]):
                        best = (i + len(w), len(w), other.id)
            if best is not None and best[2] == q.id:
                out.append(d)
        return out

    def _declared_claim(
        self, base: dict[str, object], n: Numeral, figures: list[DeclaredFigure], scope: str, at: int, *,
        strong: bool, quantity: CompiledQuantity | None = None, breakdown: bool = False,
    ) -> NumberClaim:
        """Compare with declared figures; ``at`` is the number's position in ``scope``.

        ``strong``: the figures are known to be the quantity named. Otherwise a different number is
        an error only when the figure's label itself ends right before it (组织政府信息公开培训5次), and
        not in a breakdown (发布政策解读18篇，其中图解政策解读5篇: the 5 is a part, not the figure).
        """
        assert n.value is not None
        fitting = [d for d in figures if _declared_unit_ok(d, n.unit) and (strong or _label_fits(d.label, scope))]
        for d in fitting:
            if _equal(n.value, n.unit, d.value, d.unit, n.approx):
                return NumberClaim(
                    **base, kind="declared", quantity=d.label, quantity_id=quantity.id if quantity else None,
                    expected=d.value, basis=f"已申报数字“{d.label}”",
                    evidence=f"与已申报数字“{d.label}”（{_fmt(d.value)}{d.unit}）一致",
                )
        sure = [d for d in fitting if strong or (not breakdown and _label_just_before(d.label, scope, at))]
        if len(sure) == 1:
            d = sure[0]
            expected = _in_stated_unit(d.value, d.unit, n.unit)
            return NumberClaim(
                **base, kind="mismatched", quantity=d.label, quantity_id=quantity.id if quantity else None,
                expected=expected, cells=[f"已申报数字“{d.label}”"], basis=f"已申报数字“{d.label}”",
                evidence=f"按已申报数字“{d.label}”应为{_fmt(d.value)}{d.unit}",
            )
        return NumberClaim(**base, kind="ungrounded", evidence="表格和已申报数字中都没有与之对应的数量")

    # -- shares and year-on-year changes

    def _change_direction(self, text: str, sent_start: int, pos: int, lead: str) -> str | None:
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
        self, t: _Text, n: Numeral, seg: tuple[int, int], marker_pos: int, named: list[tuple[int, CompiledQuantity]],
        sent: tuple[int, int],
    ) -> CompiledQuantity | None:
        cands = [c for c in self._candidates(t, marker_pos, marker_pos, (seg[0], marker_pos), "") if c.quantity.cells]
        if cands:
            return cands[0].quantity
        for pos, q in reversed(named):
            if sent[0] <= pos < n.start:
                return q
        return None

    def _ratio_claim(
        self, t: _Text, n: Numeral, seg: tuple[int, int], base: dict[str, object],
        named: list[tuple[int, CompiledQuantity]], sent: tuple[int, int], lead: str, change: str | None,
    ) -> NumberClaim:
        assert n.value is not None
        share = self.vocab.share_re.search(lead) if self.vocab.share_re is not None and n.percent else None
        if share is None and change is None:
            return NumberClaim(**base, form="share", kind="ungrounded", evidence="该比例无法从表格核算")
        marker_pos = seg[0] + (share.start() if share is not None else len(lead))
        if change is not None and share is None:
            m = (self.vocab.change_compare_re.search(lead))
            marker_pos = seg[0] + m.start() if m is not None else marker_pos
        num_q = self._numerator(t, n, seg, marker_pos, named, sent)
        form: ClaimForm = "share" if share is not None else "change"
        if num_q is None:
            return NumberClaim(**base, form=form, kind="ungrounded", evidence="看不出这是哪个数量的比例或变化")
        num = self.tables.evaluate(num_q)
        if num is None or num.value is None:
            reason = num.reason if num is not None else "表格中没有该项"
            return NumberClaim(**base, form=form, kind="ungrounded", quantity=num_q.label, quantity_id=num_q.id,
                               evidence=f"{num_q.label}：{reason}，无法核算")
        decimals = -n.value.as_tuple().exponent if n.value.as_tuple().exponent < 0 else 0  # type: ignore[operator]
        if share is not None:
            den_q = None
            after = seg[0] + share.end()
            cands = [c for c in self._candidates(t, n.start, n.end, (after, n.start), "", base=True) if c.quantity.cells]
            if cands:
                den_q = cands[0].quantity
            elif num_q.share_of:
                den_q = self.vocab.quantities[num_q.share_of]
            if den_q is None:
                return NumberClaim(**base, form="share", kind="ungrounded", quantity=num_q.label, quantity_id=num_q.id,
                                   evidence="看不出比例的分母是哪个数量")
            den = self.tables.evaluate(den_q)
            if den is None or den.value is None or den.value == 0:
                reason = "为0" if den is not None and den.value == 0 else (den.reason if den else "表格中没有该项")
                return NumberClaim(**base, form="share", kind="ungrounded", quantity=num_q.label, quantity_id=num_q.id,
                                   evidence=f"分母{den_q.label}{reason}，无法核算")
            exact = num.value / den.value * 100
            basis = f"{num.basis}（{_fmt(num.value)}）÷{den.basis}（{_fmt(den.value)}）"
            label = f"{num_q.label}占{den_q.label}的比例"
            cells = num.cells + den.cells
            cell_ids = num.ids + den.ids
        else:
            if self.last is None:
                return NumberClaim(**base, form="change", kind="ungrounded", quantity=num_q.label, quantity_id=num_q.id,
                                   evidence="没有上年报告，无法核对同比变化")
            prev = self.last.evaluate(num_q)
            if prev is None or prev.value is None or (n.percent and prev.value == 0):
                return NumberClaim(**base, form="change", kind="ungrounded", quantity=num_q.label, quantity_id=num_q.id,
                                   evidence="上年报告中该项为空或为0，无法核对同比变化")
            delta = num.value - prev.value if change == "up" else prev.value - num.value
            exact = delta / prev.value * 100 if n.percent else delta
            word = "增长" if change == "up" else "下降"
            basis = f"{num.basis}本年{_fmt(num.value)}、上年{_fmt(prev.value)}"
            label = f"{num_q.label}同比{word}"
            cells = num.cells
            cell_ids = num.ids
        expected = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        tolerance = Decimal(5).scaleb(-decimals - 1)
        if n.approx == "over":
            ok = exact >= n.value
        elif n.approx == "about":
            ok = abs(exact - n.value) <= max(abs(n.value) / 10, tolerance)
        else:
            ok = abs(exact - n.value) <= tolerance
        unit = "%" if n.percent else n.unit
        if ok:
            evidence = f"{label}：按{basis}计算为{_fmt(expected)}{unit}，与叙述一致"
        else:
            evidence = f"{label}按{basis}计算应为{_fmt(expected)}{unit}"
        return NumberClaim(
            **base, form=form, kind="matched" if ok else "mismatched", quantity=label, quantity_id=num_q.id,
            expected=expected, cells=cells, cell_ids=cell_ids, basis=basis, evidence=evidence,
        )

    # -- statements in words

    def _zero_claims(self, sid: str, title: str, t: _Text) -> list[NumberClaim]:
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
                    if hit.start > last_end and not _CONNECTORS.fullmatch(text, last_end, hit.start):
                        if chosen:
                            break
                        continue
                    if not chosen and hit.start != lo:
                        continue
                cands: list[_Candidate] = []
                self._add_targets(cands, t, hit, 0, hit.start, lo, hi, "", False)
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

    def _zero_claim(self, sid: str, title: str, t: _Text, start: int, end: int, q: CompiledQuantity) -> NumberClaim | None:
        sent = t.sentence(start)
        base: dict[str, object] = {"section": sid, "section_title": title, "start": start, "end": end,
                                   "text": t.text[start:end], "value": Decimal(0), "form": "zero",
                                   "sentence": _quote(t.text, start, end, sent)}
        if q.cells:
            ev = self.tables.evaluate(q)
            if ev is None or ev.value is None:
                return None  # nothing to compare: a zero in words is no number to declare
            ok = ev.value == 0
            evidence = f"{q.label}：{ev.basis}为{_fmt(ev.value)}" + ("，与“零”的表述一致" if ok else "，并不是零")
            return NumberClaim(**base, kind="matched" if ok else "mismatched", quantity=q.label, quantity_id=q.id,
                               expected=ev.value, cells=ev.cells, cell_ids=ev.ids, basis=ev.basis,
                               evidence=evidence)
        figures = self._declared_of(q)
        if not figures:
            return None
        d = figures[0]
        ok = d.value == 0
        evidence = f"已申报数字“{d.label}”为{_fmt(d.value)}{d.unit}" + ("，与“零”的表述一致" if ok else "，并不是零")
        return NumberClaim(**base, kind="declared" if ok else "mismatched", quantity=d.label, quantity_id=q.id,
                           expected=d.value, cells=[f"已申报数字“{d.label}”"], basis=f"已申报数字“{d.label}”",
                           evidence=evidence)

    def _upheld_claims(
        self, sid: str, title: str, t: _Text, named: list[tuple[int, CompiledQuantity]]
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
                    if cand.upheld and not target.base_only and self._passes(cand, t, m.start(), sent[0], m.end(), hit):
                        q = cand
                        break
                if q is not None:
                    break
            if q is None:
                continue
            total = self.tables.evaluate(q)
            upheld = self.tables.evaluate(q, "upheld")
            base: dict[str, object] = {"section": sid, "section_title": title, "start": m.start(), "end": m.end(),
                                       "text": m.group(), "form": "upheld", "sentence": _quote(t.text, m.start(), m.end(), sent)}
            label = f"{q.label}中结果维持的数量"
            if total is None or upheld is None or total.value is None or upheld.value is None:
                reason = (total.reason if total is not None and total.reason else
                          upheld.reason if upheld is not None else "表格中没有该项")
                out.append(NumberClaim(**base, value=None, kind="ungrounded", quantity=label, quantity_id=q.id,
                                       evidence=f"{reason}，无法核对“{m.group()}”"))
                continue
            ok = upheld.value == total.value
            basis = f"{upheld.basis}为{_fmt(upheld.value)}，{total.basis}为{_fmt(total.value)}"
            evidence = f"{label}：{basis}" + ("，与“均获维持”一致" if ok else "，并非全部维持")
            out.append(NumberClaim(**base, value=total.value, kind="matched" if ok else "mismatched", quantity=label,
                                   quantity_id=q.id, expected=upheld.value, cells=upheld.cells + total.cells,
                                   cell_ids=upheld.ids + total.ids, basis=basis, evidence=evidence))
        return out


def narrative_sections(report: Report) -> list[tuple[str, str, str]]:
    """(section id, section title, text) of the opening paragraph and sections 一, 五, 六."""
    out: list[tuple[str, str, str]] = []
    if report.meta.opening:
        out.append((OPENING_ID, OPENING_TITLE, report.meta.opening))
    for sid in NARRATIVE_SECTIONS:
        text = report.section(sid)
        if text:
            out.append((sid, SECTION_TITLES[sid], text))
    return out


def classify_text(report: Report, sid: str, text: str) -> list[NumberClaim]:
    """Classify the numbers of one text as if it were section ``sid`` of the report."""
    title = OPENING_TITLE if sid == OPENING_ID else SECTION_TITLES.get(sid, sid)
    return _Classifier(report, load_vocabulary()).classify_text(sid, title, text)


def classify_report(report: Report) -> list[NumberClaim]:
    """Every number of the narrative (opening paragraph, sections 一, 五, 六) with its class and evidence."""
    classifier = _Classifier(report, load_vocabulary())
    claims: list[NumberClaim] = []
    for sid, title, text in narrative_sections(report):
        claims.extend(classifier.classify_text(sid, title, text))
    return claims
