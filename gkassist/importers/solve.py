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
    from gkassist.checks.spec import load_specs  # the rule files are read only when needed

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
        row_ids = [r.id for r in rows.values() if row_name[1:] in r.tags] if row_name.startswith("@") else [row_name]
        for row_id in row_ids:
            if row_id not in rows or col not in {c.id for c in layout.block_of(row_id).columns}:
                return ()
            out.append((row_id, col, sign))
    return tuple(out)


# ---------------------------------------------------------------------------- search


@dataclass
class Solution:
    settled: dict[str, Reading] = field(default_factory=dict)
    outcome: dict[str, Outcome] = field(default_factory=dict)


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
    ambiguous = [r for r in options if len(options[r]) > 1]
    for r in options:
        if len(options[r]) == 1:
            result.settled[r] = options[r][0]
    if not ambiguous:
        return result
    fixed = dict(known)
    for r in result.settled:
        fixed.update(_cells(r, columns[r], options[r][0]))
    usable = [eq for eq in equations if _usable(eq, fixed, options, columns)]
    order = sorted(ambiguous, key=lambda r: len(options[r]))
    due: dict[int, list[Equation]] = {}
    for eq in usable:
        depth = max(order.index(r) for r, _, _ in eq.terms if r in options and len(options[r]) > 1)
        due.setdefault(depth, []).append(eq)
    search = _Search(order, options, columns, fixed, due)
    search.run(0)
    involved = {r for eq in usable for r, _, _ in eq.terms}
    for r in ambiguous:
        if search.overflow:
            result.outcome[r] = "too_many"
        elif r not in involved:
            result.outcome[r] = "open"
        elif not search.found:
            result.outcome[r] = "conflict"
        else:
            picks = {s[r] for s in search.found}
            if len(picks) == 1:
                result.settled[r] = picks.pop()
                result.outcome[r] = "settled"
            else:
                result.outcome[r] = "open"
    return result


def _cells(row: str, columns: Sequence[str], reading: Reading) -> dict[CellKey, Number]:
    return {(row, c): cell_value(raw) for c, raw in zip(columns, reading, strict=True)}


def _usable(
    eq: Equation,
    fixed: Mapping[CellKey, Number | None],
    options: Mapping[str, Sequence[Reading]],
    columns: Mapping[str, Sequence[str]],
) -> bool:
    """Every cell known or in an ambiguous row, and the readings of those rows differ in it
    (an equation that every combination passes or fails alike cannot decide anything)."""
    open_rows = False
    for r, c, _ in eq.terms:
        if r in options and len(options[r]) > 1:
            col = list(columns[r]).index(c)
            if len({cell_value(o[col]) for o in options[r]}) > 1:
                open_rows = True
        elif fixed.get((r, c)) is None:
            return False
    return open_rows


class _Search:
    def __init__(
        self,
        order: list[str],
        options: Mapping[str, Sequence[Reading]],
        columns: Mapping[str, Sequence[str]],
        fixed: dict[CellKey, Number | None],
        due: dict[int, list[Equation]],
    ) -> None:
        self.order = order
        self.options = options
        self.columns = columns
        self.values: dict[CellKey, Number | None] = dict(fixed)
        self.due = due
        self.chosen: dict[str, Reading] = {}
        self.found: list[dict[str, Reading]] = []
        self.steps = 0
        self.overflow = False

    def run(self, depth: int) -> None:
        if self.overflow:
            return
        if depth == len(self.order):
            self.found.append(dict(self.chosen))
            self.overflow = len(self.found) > MAX_SOLUTIONS
            return
        row = self.order[depth]
        for reading in self.options[row]:
            self.steps += 1
            if self.steps > _BUDGET:
                self.overflow = True
                return
            self.chosen[row] = reading
            self.values.update(_cells(row, self.columns[row], reading))
            if all(self._holds(eq) for eq in self.due.get(depth, ())):
                self.run(depth + 1)
            if self.overflow:
                return
        self.chosen.pop(row, None)

    def _holds(self, eq: Equation) -> bool:
        total: Number = 0
        for r, c, k in eq.terms:
            value = self.values.get((r, c))
            if value is None:
                return True
            total += k * value
        return total == 0
