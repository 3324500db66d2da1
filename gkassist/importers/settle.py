"""Turn the numbers each row label took into the row's cells.

Where the numbers are the cells (one per delimited cell, or as many as the row has) they
are taken as they stand. Otherwise every reading the row allows is listed (``split``), the
table's identities narrow them (``solve``), and cells the remaining readings disagree on
stay blank with a note quoting the printed numbers. Nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from gkassist.cells import Cell
from gkassist.importers.rows import RowSpec, RowTableState, Taken, quote_list, row_name, token_cell
from gkassist.importers.solve import agreed, solve, table_equations
from gkassist.importers.split import Number, Reading, RowEquation, cell_value, place_words, split_run
from gkassist.importers.tokens import Token, parse_cell
from gkassist.layouts import FormatId, TableId, table_layout


class Settler:
    """Turns the value tokens each row took into cells: direct where the tokens are the
    cells, else every reading the row allows, narrowed by the identities."""

    def __init__(self, state: RowTableState) -> None:
        self.r = state
        self.equations = table_equations(state.format_id, state.layout.id) if state.layout.id == "s3" else ()
        self.known: dict[tuple[str, str], Number | None] = {}
        self.options: dict[str, list[Reading]] = {}
        self.columns: dict[str, list[str]] = {}
        self.printed: dict[str, str] = {}
        self.specs: dict[str, RowSpec] = {}

    def run(self) -> None:
        r = self.r
        for spec in r.pending:
            r.notes.no_values.append((spec.index, row_name(r.layout, spec.row)))
        for index in sorted(r.taken):
            self._row(r.taken[index])
        if self.options:
            self._solve()

    def _row_equations(self, spec: RowSpec) -> list[RowEquation]:
        return list(_row_equations(self.r.format_id, self.r.layout.id, spec.row.id))

    def _row(self, taken: Taken) -> None:
        spec, toks = taken.spec, taken.tokens
        cols = spec.block.columns
        width = len(cols)
        name = row_name(self.r.layout, spec.row)
        values = [t for t in toks if t.kind == "value"]
        if values:
            self.r.filled.add(spec.index)
        glued = any(t.glued for t in values)
        if taken.delimited or (not glued and len(toks) >= width):
            self._direct(spec, toks, name)
            return
        words = [t.text for t in values]
        eqs = self._row_equations(spec)
        kinds = [c.kind for c in cols]
        run = run_text(values)
        alone = len(words) == 1 and values[0].line != taken.label_line  # on a line of its own
        if not glued and alone and len(words[0]) < width:
            self._lone(spec, toks, name)  # one number, not several run together
            return
        splits = split_run(run, kinds, eqs)
        if splits is None:
            self._undecided(spec, name, run, "可能的读法过多")
            return
        placed = [] if glued else place_words(words, width, eqs)
        readings = list(dict.fromkeys([*splits, *placed]))
        if not readings and not glued and alone:
            self._lone(spec, toks, name)
        elif not readings and (forced := only_reading(run, kinds)) is not None:
            self._forced(spec, name, run, forced)
        elif not readings:
            self._undecided(spec, name, run, f"无法按{width}个单元格读出符合勾稽关系的数值")
        elif len(readings) == 1:
            self._settle(spec, readings[0])
            if more_than_one(run, kinds, glued, words, width):
                self.r.notes.decided.append(decided_text(name, run, readings[0]))
        else:
            self._defer(spec, name, run, readings)

    def _direct(self, spec: RowSpec, toks: list[Token], name: str) -> None:
        """Tokens that are the cells themselves, left to right."""
        cols = spec.block.columns
        for col, tok in zip(cols, toks, strict=False):
            self.r.table.set(spec.row.id, col.id, token_cell(tok))
            self.known[(spec.row.id, col.id)] = _known(token_cell(tok))
        for col in cols[len(toks) :]:
            self.known[(spec.row.id, col.id)] = None
        if len(toks) < len(cols):
            missing = quote_list(c.label for c in cols[len(toks) :])
            text = f"“{name}”行只读到{len(toks)}个数（应有{len(cols)}个），已从左往右填入，{missing}留空"
            self.r.notes.short.append((spec.index, text))
            for col in cols:  # a row filled from the left is no evidence for the identities
                self.known[(spec.row.id, col.id)] = None
        elif len(toks) > len(cols) and any(t.kind == "value" for t in toks[len(cols) :]):
            self.r.notes.too_many.append((spec.index, name))

    def _lone(self, spec: RowSpec, toks: list[Token], name: str) -> None:
        """One number for a row of several columns: the 总计 column when the row has one
        (reports that leave zeros blank print only the total)."""
        totals = [c for c in spec.block.columns if c.role == "total"]
        if len(totals) == 1 and len(spec.block.columns) > 1:
            self.r.table.set(spec.row.id, totals[0].id, token_cell(toks[0]))
            self.r.notes.total_only.append((spec.index, name))
            return
        self._direct(spec, toks, name)

    def _settle(self, spec: RowSpec, reading: Reading) -> None:
        for col, raw in zip(spec.block.columns, reading, strict=True):
            self.r.table.set(spec.row.id, col.id, parse_cell(raw))
            self.known[(spec.row.id, col.id)] = cell_value(raw)

    def _defer(self, spec: RowSpec, name: str, run: str, readings: list[Reading]) -> None:
        row_id = spec.row.id
        self.options[row_id] = readings
        self.columns[row_id] = [c.id for c in spec.block.columns]
        self.printed[row_id] = run
        self.specs[row_id] = spec

    def _forced(self, spec: RowSpec, name: str, run: str, reading: Reading) -> None:
        """The only reading the printed digits allow, although the row's identities fail:
        imported as printed (the checker reports the identity); no evidence for other rows."""
        for col, raw in zip(spec.block.columns, reading, strict=True):
            self.r.table.set(spec.row.id, col.id, parse_cell(raw))
            self.known[(spec.row.id, col.id)] = None
        self.r.notes.forced.append(decided_text(name, run, reading))

    def _undecided(self, spec: RowSpec, name: str, run: str, why: str) -> None:
        self.r.notes.undecided.append(f"“{name}”行原文数字为“{run.strip()}”，{why}，该行单元格留空")
        for col in spec.block.columns:
            self.known[(spec.row.id, col.id)] = None

    def _solve(self) -> None:
        known = dict(self.known)
        for spec in self.r.specs:  # rows not read are unknown: an equation touching them is not used
            for column in spec.block.columns:
                known.setdefault((spec.row.id, column.id), None)
        for row_id in self.options:
            for col_id in self.columns[row_id]:
                known.pop((row_id, col_id), None)
        result = solve(self.equations, known, self.options, self.columns)
        for row_id, readings in self.options.items():
            spec = self.specs[row_id]
            name = row_name(self.r.layout, spec.row)
            run = self.printed[row_id]
            picked = result.settled.get(row_id)
            if picked is not None:
                self._settle(spec, picked)
                self.r.notes.decided.append(decided_text(name, run, picked))
                continue
            outcome = result.outcome.get(row_id, "open")
            self._partial(spec, name, run, sorted(result.picks.get(row_id, readings), key=_sort_key), outcome)

    def _partial(self, spec: RowSpec, name: str, run: str, readings: list[Reading], outcome: str) -> None:
        """A row read several ways: the cells every reading agrees on are filled, the others
        stay blank, and the note quotes the printed digits."""
        cols = spec.block.columns
        sure = agreed(readings) if readings and outcome == "open" else [(False, None)] * len(cols)
        for col, (certain, raw) in zip(cols, sure, strict=True):
            if certain:
                self.r.table.set(spec.row.id, col.id, parse_cell(raw))
                self.known[(spec.row.id, col.id)] = cell_value(raw)
        shown = "或".join("、".join(c or "空白" for c in r) for r in readings[:2])
        why = {
            "open": f"有多种读法都说得通（如{shown}）",
            "conflict": "没有一种读法符合表格的勾稽关系（原表可能有误）",
            "too_many": "可能的读法过多",
        }.get(outcome, "有多种读法")
        open_cols = [c.label for c, (certain, _) in zip(cols, sure, strict=True) if not certain]
        if len(open_cols) == len(cols):
            self._undecided(spec, name, run, why)
            return
        self.r.notes.undecided.append(
            f"“{name}”行原文数字为“{run.strip()}”，{why}，已填入各种读法一致的单元格，{quote_list(open_cols)}列无法确定，留空"
        )


@lru_cache(maxsize=512)
def _row_equations(format_id: FormatId, table_id: TableId, row_id: str) -> tuple[RowEquation, ...]:
    """The identities that lie within one row (总计 = the applicant columns), by column index."""
    if table_id != "s3":
        return ()
    cols = [c.id for c in table_layout(format_id, table_id).block_of(row_id).columns]
    eqs = (eq.row_equation(row_id, cols) for eq in table_equations(format_id, table_id))
    return tuple(eq for eq in eqs if eq is not None)


def run_text(values: Sequence[Token]) -> str:
    """The numbers of a row as printed, spacing kept; runs from different lines are apart."""
    runs = [t.run for t in values if t.run]
    return " ".join(runs) if runs else " ".join(t.text for t in values if t.kind == "value")


def _sort_key(reading: Reading) -> list[str]:
    return [c or "" for c in reading]


def more_than_one(run: str, kinds: Sequence[str], glued: bool, words: Sequence[str], width: int) -> bool:
    """Whether the row could be read more than one way before the identities were applied."""
    loose = split_run(run, kinds, enough=1)
    count = len(loose) if loose is not None else 2
    if not glued:
        count += len(place_words(words, width))
    return count > 1


def only_reading(run: str, kinds: Sequence[str]) -> Reading | None:
    """The reading of a run when its digits allow exactly one, identities aside
    ('010000000000000' for fifteen cells)."""
    loose = split_run(run.strip(), kinds, enough=1)
    return loose[0] if loose is not None and len(loose) == 1 else None


def decided_text(name: str, run: str, reading: Reading) -> str:
    cells = "、".join(c if c is not None else "空白" for c in reading)
    return f"“{name}”行（原文“{run.strip()}”）读作{cells}"


def _known(cell: Cell) -> Number | None:
    if cell.state == "blank" or cell.state == "na":
        return 0
    return cell.value
