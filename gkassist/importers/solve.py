"""Let a table's own identities decide between the possible readings of its rows.

The identities are the ones the checker enforces (rules/checks/*.yaml ``identity:`` blocks:
A1 新收 + 上年结转 = 总计 + 结转 per column, A2 总计 = the outcome rows, A3 总计列 = the six
applicant columns, B1–B3 表四 总计 = its four results). They are expanded here into plain
linear equations over cells, ``sum(coefficient × cell) == 0``, so the importer can test
candidate readings without a report.

``solve`` searches the combinations of the ambiguous rows' readings that satisfy every
equation those rows take part in. A row is settled only when all such combinations agree
on it; otherwise it stays open and the caller leaves it blank with a note. The search is
bounded, so hostile input cannot make it run long.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Literal

from gkassist.importers.split import Reading, RowEquation, cell_value
from gkassist.layouts import FormatId, TableLayout, table_layout

Number = int | Decimal
CellKey = tuple[str, str]  # (row id, column id)
Outcome = Literal["settled", "open", "conflict", "too_many"]

MAX_SOLUTIONS = 256
_BUDGET = 50_000


@dataclass(frozen=True)
class Equation:
    """``sum(coefficient × cell) == 0`` over cells of one table; ``code`` names the rule."""

    code: str
    terms: tuple[tuple[str, str, int], ...]

    def row_equation(self, row_id: str, columns: Sequence[str]) -> RowEquation | None:
        """The equation over column indexes, when all its cells are in ``row_id``."""
        if any(r != row_id for r, _, _ in self.terms):
            return None
        index = {c: i for i, c in enumerate(columns)}
        if any(c not in index for _, c, _ in self.terms):
            return None
        return tuple((index[c], k) for _, c, k in self.terms)


@cache
def table_equations(format_id: FormatId, table_id: str) -> tuple[Equation, ...]:
    """The checker's equality identities for one table, expanded per row and column.
    Identities that read last year's report or a constant are left out."""
    from gkassist.checks.rulebook import load_specs  # the rule files are read only when needed

    layout = table_layout(format_id, table_id)
    out: list[Equation] = []
    for code, spec in sorted(load_specs().items()):
        ident = spec.identity
        if ident is None or ident.table != table_id or ident.op != "==" or format_id not in spec.formats:
            continue
        if ident.layout not in (None, format_id):
            continue
        terms = [(t, 1) for t in ident.left] + [(t, -1) for t in ident.right]
        if any(t.lstrip("-").startswith("last:") or t.lstrip("-").isdigit() for t, _ in terms):
            continue
        for fixed in _instances(layout, ident.for_each, ident.blocks):
            expanded = _expand(layout, terms, ident.for_each, fixed)
            if expanded:
                out.append(Equation(code, expanded))
    return tuple(out)


def _instances(layout: TableLayout, for_each: str, blocks: Sequence[str]) -> list[str]:
    if for_each == "column":
        return list(dict.fromkeys(c.id for b in layout.blocks for c in b.columns))
    if for_each == "row":
        return [r.id for b in layout.blocks if not blocks or b.id in blocks for r in b.rows]
    return [""]


def _expand(
    layout: TableLayout, terms: list[tuple[str, int]], for_each: str, fixed: str
) -> tuple[tuple[str, str, int], ...]:
    rows = {r.id: r for r in layout.rows()}
    out: list[tuple[str, str, int]] = []
    for raw, side in terms:
        sign = -side if raw.startswith("-") else side
        name = raw.lstrip("-")
        if for_each == "column":
            row_name, col = name, fixed
        elif for_each == "row":
            row_name, col = fixed, name
        else:
            row_name, _, col = name.partition(".")
        row_ids = [r.id for r in layout.tagged(row_name[1:])] if row_name.startswith("@") else [row_name]
        for row_id in row_ids:
            if row_id not in rows or col not in {c.id for c in layout.block_of(row_id).columns}:
                return ()
            out.append((row_id, col, sign))
    return tuple(out)


# ---------------------------------------------------------------------------- search


@dataclass
class Solution:
    """Rows settled on one reading; for the others, the readings still possible (``picks``)."""

    settled: dict[str, Reading] = field(default_factory=dict)
    outcome: dict[str, Outcome] = field(default_factory=dict)
    picks: dict[str, set[Reading]] = field(default_factory=dict)


def solve(
    equations: Sequence[Equation],
    known: Mapping[CellKey, Number | None],
    options: Mapping[str, Sequence[Reading]],
    columns: Mapping[str, Sequence[str]],
) -> Solution:
    """Settle the rows of ``options`` (row id -> its possible readings over ``columns[row]``).

    ``known`` holds the cells of the other rows: a value (a blank counts as 0), or None for
    a cell that was not read (an equation touching it cannot be used).
    """
    result = Solution()
    values = {r: [_values(columns[r], o) for o in opts] for r, opts in options.items()}
    fixed: dict[CellKey, Number | None] = dict(known)
    live = {r: list(range(len(options[r]))) for r in options}
    usable = [eq for eq in equations if all(fixed.get((r, c)) is not None or r in options for r, c, _ in eq.terms)]
    usable = [eq for eq in usable if _decides(eq, values)]
    _narrow(usable, fixed, values, live)
    for r in options:
        if len(live[r]) == 1:
            result.settled[r] = options[r][live[r][0]]
            result.outcome[r] = "settled"
        elif not live[r]:
            result.outcome[r] = "conflict"
    ambiguous = [r for r in options if len(live[r]) > 1]
    if not ambiguous:
        return result
    for r in result.settled:  # rows settled by narrowing are fixed for the search
        fixed.update({(r, c): v for c, v in values[r][live[r][0]].items()})
    usable = [eq for eq in usable if any(r in ambiguous for r, _, _ in eq.terms)]
    search = _Search(ambiguous, values, live, fixed, usable)
    search.run(0)
    involved = {r for eq in usable for r, _, _ in eq.terms}
    for r in ambiguous:
        if search.overflow:
            result.outcome[r] = "too_many"
        elif r not in involved:
            result.outcome[r] = "open"
            result.picks[r] = {options[r][k] for k in live[r]}
        elif not search.found:
            result.outcome[r] = "conflict"
        else:
            picks = {options[r][s[r]] for s in search.found}
            if len(picks) == 1:
                result.settled[r] = picks.pop()
                result.outcome[r] = "settled"
            else:
                result.outcome[r] = "open"
                result.picks[r] = picks
    return result


def _decides(eq: Equation, values: Mapping[str, list[dict[str, Number]]]) -> bool:
    """Whether the readings of some row in the equation differ in it (an equation that
    every reading passes or fails alike cannot decide anything, and a printed error in it
    must not leave the rows blank)."""
    for r in {r for r, _, _ in eq.terms if r in values}:
        if len({_row_part(eq, r, cells) for cells in values[r]}) > 1:
            return True
    return False


def _values(columns: Sequence[str], reading: Reading) -> dict[str, Number]:
    return {c: cell_value(raw) for c, raw in zip(columns, reading, strict=True)}


def _narrow(
    equations: Sequence[Equation],
    fixed: Mapping[CellKey, Number | None],
    values: Mapping[str, list[dict[str, Number]]],
    live: dict[str, list[int]],
) -> None:
    """Drop readings that no choice of the other rows can fit into an equation, judged by
    the least and the most the other terms can add up to; repeat until nothing changes."""
    for _ in range(20):
        changed = False
        for eq in equations:
            low: dict[str, Number] = {}
            high: dict[str, Number] = {}
            for r, c, k in eq.terms:
                if r in live:
                    vals = [k * values[r][i][c] for i in live[r]] or [0]
                    low[r] = low.get(r, 0) + min(vals)
                    high[r] = high.get(r, 0) + max(vals)
                else:
                    v = fixed[(r, c)]
                    assert v is not None
                    low[""] = low.get("", 0) + k * v
                    high[""] = high.get("", 0) + k * v
            total_low, total_high = sum(low.values()), sum(high.values())
            for r in [r for r in low if r and len(live[r]) > 1]:
                rest_low, rest_high = total_low - low[r], total_high - high[r]
                keep = [i for i in live[r] if rest_low <= -_row_part(eq, r, values[r][i]) <= rest_high]
                if len(keep) < len(live[r]):
                    live[r], changed = keep, True
        if not changed:
            return


def _row_part(eq: Equation, row: str, cells: Mapping[str, Number]) -> Number:
    return sum(k * cells[c] for r, c, k in eq.terms if r == row)


class _Search:
    """Backtracking over the rows still open; an equation is tested once all its open rows
    have a reading."""

    def __init__(
        self,
        order: list[str],
        values: Mapping[str, list[dict[str, Number]]],
        live: Mapping[str, list[int]],
        fixed: Mapping[CellKey, Number | None],
        equations: Sequence[Equation],
    ) -> None:
        self.order = sorted(order, key=lambda r: len(live[r]))
        self.values = values
        self.live = live
        self.chosen: dict[str, int] = {}
        self.found: list[dict[str, int]] = []
        self.steps = 0
        self.overflow = False
        position = {r: k for k, r in enumerate(self.order)}
        self.due: dict[int, list[tuple[Number, list[tuple[str, str, int]]]]] = {}
        for eq in equations:
            const: Number = 0
            open_terms: list[tuple[str, str, int]] = []
            for r, c, k in eq.terms:
                if r in position:
                    open_terms.append((r, c, k))
                else:
                    v = fixed[(r, c)]
                    assert v is not None
                    const += k * v
            depth = max(position[r] for r, _, _ in open_terms)
            self.due.setdefault(depth, []).append((const, open_terms))

    def run(self, depth: int) -> None:
        if depth == len(self.order):
            self.found.append(dict(self.chosen))
            self.overflow = len(self.found) > MAX_SOLUTIONS
            return
        row = self.order[depth]
        for index in self.live[row]:
            self.steps += 1
            if self.steps > _BUDGET:
                self.overflow = True
            if self.overflow:
                return
            self.chosen[row] = index
            if all(self._holds(const, terms) for const, terms in self.due.get(depth, ())):
                self.run(depth + 1)
        self.chosen.pop(row, None)

    def _holds(self, const: Number, terms: list[tuple[str, str, int]]) -> bool:
        return const + sum(k * self.values[r][self.chosen[r]][c] for r, c, k in terms) == 0


def agreed(readings: Sequence[Reading]) -> list[tuple[bool, str | None]]:
    """Per cell: whether all readings agree on it, and the cell they agree on."""
    first = readings[0]
    return [(all(r[i] == c for r in readings), c) for i, c in enumerate(first)]
