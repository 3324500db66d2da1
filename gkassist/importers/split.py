"""Read the cells of a row whose numbers were run together ("640020470" = 64|0|0|2|0|4|70).

Rules of such runs (archive crawlers, copy-paste, pdftotext without -layout):
- a number has no leading zero unless it is "0"; a "/" is one cell;
- a space is a cell boundary that no number crosses, but a space-free stretch may hold
  several cells;
- a blank cell shows as a space, so blank cells can only sit where the run has spaces.

``split_run`` lists every reading of a run as exactly ``width`` cells that satisfies the
row's own equations (e.g. 总计 = the sum of the six applicant columns). The search is
bounded: a run with too many readings gives ``None`` and the caller leaves the row blank.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from gkassist.cells import Cell

Number = int | Decimal
Reading = tuple[str | None, ...]  # one raw text per cell, None for a blank cell
RowEquation = tuple[tuple[int, int], ...]  # (column index, coefficient): sum == 0

MAX_READINGS = 512
_BUDGET = 20_000  # search steps per run
_PATTERNS = {
    "count": re.compile(r"0|[1-9]\d{0,7}|[1-9]\d{0,2}(?:,\d{3}){1,2}"),
    "signed": re.compile(r"[+-]?(?:0|[1-9]\d{0,7}|[1-9]\d{0,2}(?:,\d{3}){1,2})"),
    "money": re.compile(r"(?:0|[1-9]\d{0,11}|[1-9]\d{0,2}(?:,\d{3}){1,3})(?:\.\d{1,6})?(?:万元|元)?"),
}
_NA = re.compile(r"[/／\\]")
_MAX_CELL = 20  # characters of one cell


@dataclass(frozen=True)
class _Run:
    pieces: tuple[str, ...]
    gaps: tuple[int, ...]  # spaces before piece i (gaps[i]); gaps[-1]: after the last piece


def parse_run(text: str) -> _Run:
    pieces = tuple(text.split())
    gaps: list[int] = []
    rest = text
    for piece in pieces:
        at = rest.index(piece)
        gaps.append(at)
        rest = rest[at + len(piece) :]
    gaps.append(len(rest))
    return _Run(pieces, tuple(gaps))


def cell_value(raw: str | None) -> Number:
    """A cell's value in an equation: blank and "/" count as nothing (0)."""
    if raw is None or _NA.fullmatch(raw):
        return 0
    text = unicodedata.normalize("NFKC", raw).removesuffix("万元").removesuffix("元").replace(",", "")
    try:
        return Decimal(text) if "." in text else int(text)
    except (ValueError, ArithmeticError):  # "—" and other not-applicable marks, units (12件): as a cell reads them
        value = Cell.parse(raw).value
        return value if value is not None else 0


class _Search:
    """Depth-first search over the cells of one run, left to right."""

    def __init__(self, run: _Run, kinds: Sequence[str], equations: Sequence[RowEquation]) -> None:
        self.run = run
        self.kinds = kinds
        self.width = len(kinds)
        self.norm = tuple(unicodedata.normalize("NFKC", p) for p in run.pieces)
        self.due: dict[int, list[RowEquation]] = {}
        for eq in equations:  # check each equation once its last cell is read
            self.due.setdefault(max(i for i, _ in eq), []).append(eq)
        self.bound = _last_total(equations, self.width)
        chars = [len(p) for p in run.pieces]
        self.chars_after = [sum(chars[i:]) for i in range(len(chars) + 1)]
        self.gaps_after = [sum(run.gaps[i:]) for i in range(len(run.gaps) + 1)]
        self.ends: dict[tuple[int, int, str], list[tuple[int, str, Number]]] = {}
        self.cells: list[str | None] = []
        self.values: list[Number] = []
        self.target: Number | None = None  # the last cell's value, when it is a row total
        self.found: list[Reading] = []
        self.steps = 0
        self.enough = MAX_READINGS
        self.overflow = False

    def start(self) -> None:
        if self.bound is None or self.run.gaps[-1]:
            self._gap(0, 0)
            return
        last = self.run.pieces[-1]  # the total is the end of the run: read it first
        for size in range(1, min(len(last), _MAX_CELL) + 1):
            raw = last[-size:]
            if not _PATTERNS[self.kinds[-1]].fullmatch(self.norm[-1][-size:]):
                continue
            self.target = cell_value(raw)
            if size < len(last):
                self._with_run(_Run((*self.run.pieces[:-1], last[:-size]), self.run.gaps), raw)
            else:  # the spaces before the total become the end of the rest
                self._with_run(_Run(self.run.pieces[:-1], self.run.gaps[:-1]), raw)
            if self.overflow:
                return

    def _with_run(self, run: _Run, last: str) -> None:
        """Search the rest of the run for all cells but the last, then add ``last``."""
        inner = _Search(
            run, self.kinds[:-1], [eq for eq in _flatten(self.due) if max(i for i, _ in eq) < self.width - 1]
        )
        inner.target = self.target
        inner.enough = self.enough
        inner.steps = self.steps
        inner._gap(0, 0)
        self.steps = inner.steps
        self.overflow = inner.overflow
        for reading in inner.found:
            values = [cell_value(c) for c in reading] + [cell_value(last)]
            if all(sum(c * values[i] for i, c in eq) == 0 for eq in _flatten(self.due)):
                self.found.append((*reading, last))

    def _feasible(self, piece: int, offset: int) -> bool:
        """Each piece left needs a cell, each cell a character or a space of its own; the
        parts of a known total cannot already exceed it."""
        left = self.width - len(self.cells)
        pieces_left = len(self.run.pieces) - piece - (0 if offset < len(self.run.pieces[piece]) else 1)
        chars = self.chars_after[piece] - offset
        if not pieces_left <= left <= chars + self.gaps_after[piece + 1]:
            return False
        if self.target is None:
            return True
        rest = self.target - sum(self.values)
        if rest < 0:
            return False
        widest = _digits(rest)  # no part still to read can exceed what is left of the total
        if chars > left * (widest + widest // 3):  # a thousands comma may come with every three digits
            return False
        numbers = max(1, pieces_left)  # every piece left holds at least one number
        longest = min(chars - numbers + 1, widest)  # the longest cell the characters left allow
        if left and left * 10**longest <= rest:
            return False
        digits = -(-chars // left) if left else 0  # some cell still to read has this many digits
        return digits <= 1 or 10 ** (digits - 1) <= rest

    def _push(self, raw: str | None, value: Number) -> bool:
        """Add one cell; False when an equation that ends here fails."""
        self.cells.append(raw)
        self.values.append(value)
        return all(sum(c * self.values[i] for i, c in eq) == 0 for eq in self.due.get(len(self.cells) - 1, ()))

    def _pop(self) -> None:
        self.cells.pop()
        self.values.pop()

    def _tick(self) -> bool:
        self.steps += 1
        if self.steps > _BUDGET or len(self.found) > self.enough:
            self.overflow = True
        return not self.overflow

    def _gap(self, piece: int, blanks_done: int) -> None:
        """At the spaces before ``piece``: place blank cells (at most one per space), then read on."""
        if not self._tick():
            return
        if piece == len(self.run.pieces):
            self._end(blanks_done)
            return
        self._piece(piece, 0)
        if blanks_done < self.run.gaps[piece] and len(self.cells) < self.width:
            if self._push(None, 0):
                self._gap(piece, blanks_done + 1)
            self._pop()

    def _end(self, blanks_done: int) -> None:
        if len(self.cells) == self.width:
            if self.target is None or sum(self.values) == self.target:
                self.found.append(tuple(self.cells))
            return
        if blanks_done < self.run.gaps[-1] and len(self.cells) < self.width:
            if self._push(None, 0):
                self._end(blanks_done + 1)
            self._pop()

    def _cells_at(self, piece: int, offset: int, kind: str) -> list[tuple[int, str, Number]]:
        key = (piece, offset, kind)
        found = self.ends.get(key)
        if found is None:
            text, norm = self.run.pieces[piece], self.norm[piece]
            found = []
            for end in range(offset + 1, min(len(text), offset + _MAX_CELL) + 1):
                part = norm[offset:end]
                if _NA.fullmatch(part) or _PATTERNS[kind].fullmatch(part):
                    found.append((end, text[offset:end], cell_value(text[offset:end])))
            self.ends[key] = found
        return found

    def _piece(self, piece: int, offset: int) -> None:
        if not self._tick():
            return
        if offset == len(self.run.pieces[piece]):
            self._gap(piece + 1, 0)
            return
        if not self._feasible(piece, offset):
            return
        widest = _MAX_CELL if self.target is None else _digits(self.target - sum(self.values))
        for end, raw, value in self._cells_at(piece, offset, self.kinds[len(self.cells)]):
            if end - offset - raw.count(",") > widest:
                break
            if self._push(raw, value):
                self._piece(piece, end)
            self._pop()
            if self.overflow:
                return


def _digits(value: Number) -> int:
    """Characters of the longest cell that can hold at most ``value``."""
    return len(str(int(value))) + (7 if isinstance(value, Decimal) else 0)


def _flatten(due: dict[int, list[RowEquation]]) -> list[RowEquation]:
    return [eq for eqs in due.values() for eq in eqs]


def _last_total(equations: Sequence[RowEquation], width: int) -> tuple[int, ...] | None:
    """The parts of an equation 'last cell = sum of all the others', if the row has one."""
    for eq in equations:
        coefs = dict(eq)
        if coefs.get(width - 1) == 1 and len(coefs) == width and all(c == -1 for i, c in eq if i != width - 1):
            return tuple(i for i in coefs if i != width - 1)
    return None


def split_run(
    text: str, kinds: Sequence[str], equations: Sequence[RowEquation] = (), enough: int = MAX_READINGS
) -> list[Reading] | None:
    """Every reading of ``text`` as ``len(kinds)`` cells satisfying ``equations``; None when
    there are more than ``enough`` (the row cannot be read with confidence)."""
    run = parse_run(text)
    if not run.pieces or len(text) > 40 * max(1, len(kinds)):
        return []
    chars = "".join(run.pieces)
    if len(chars) == len(kinds) and (not any(run.gaps) or not chars.strip("0")):
        # '0000000' or ' 0 000000 ': one cell per character, no room for a blank
        return _one_per_character(chars, kinds, equations)
    search = _Search(run, kinds, equations)
    search.enough = enough
    search.start()
    if search.overflow:
        return None
    return list(dict.fromkeys(search.found))


def _one_per_character(text: str, kinds: Sequence[str], equations: Sequence[RowEquation]) -> list[Reading]:
    norm = unicodedata.normalize("NFKC", text)
    if not all(_NA.fullmatch(ch) or _PATTERNS[k].fullmatch(ch) for ch, k in zip(norm, kinds, strict=True)):
        return []
    values = [cell_value(ch) for ch in text]
    if not all(sum(c * values[i] for i, c in eq) == 0 for eq in equations):
        return []
    return [tuple(text)]


def place_words(words: Sequence[str], width: int, equations: Sequence[RowEquation] = ()) -> list[Reading]:
    """Readings of a row printed with fewer numbers than columns (blank cells left out):
    each number in one column, in order, the other columns blank."""
    if not 0 < len(words) < width or width > 16:
        return []
    out: list[Reading] = []
    for cols in combinations(range(width), len(words)):
        cells: list[str | None] = [None] * width
        for col, word in zip(cols, words, strict=True):
            cells[col] = word
        values = [cell_value(c) for c in cells]
        if all(sum(c * values[i] for i, c in eq) == 0 for eq in equations):
            out.append(tuple(cells))
    return out
