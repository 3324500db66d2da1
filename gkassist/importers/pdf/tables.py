"""Ruled tables: cell boxes and glyphs -> rows of cell texts, across page breaks.

The table finder gives the boxes of the cells, a merged cell being one larger box. The
boxes' edges make a grid; each cell covers a range of grid rows and columns. A row of the
document is the cells that *start* in one grid row, left to right, as an HTML row lists
its <td>s: a cell merged down from an earlier row is not repeated (labels are matched by
content, so a group label counts once), an empty cell is an empty string.

A table that runs over a page break continues as more rows. Where the next page repeats
the header rows they are dropped, and where a label cell was cut by the break
("（四）无" | "法提供") the pieces are put together when they make a label of the official
tables. Everything guessed is said in the notes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from gkassist.importers.normalise import load_aliases, match_key
from gkassist.importers.pdf.glyphs import Glyph, block_text, join_wrapped
from gkassist.importers.pdf.source import Box
from gkassist.importers.tokens import Line, anchor_keys, is_value_text
from gkassist.layouts import FORMAT_IDS, TableId, table_layout
from gkassist.model import TABLE_IDS

SNAP = 2.0  # cell edges closer than this (points) are one grid line
SAME_EDGE = 4.0  # tables on two pages whose sides are this close are one table's parts
TABLE_NAMES: dict[TableId, str] = {"s2": "表二", "s3": "表三", "s4": "表四"}


@dataclass
class Cell:
    row: int  # first grid row
    col: int  # first grid column
    x0: float
    top: float
    x1: float
    bottom: float
    text: str = ""


@dataclass
class GridTable:
    """A ruled table: its rows of cells, the pages it is printed on, what was guessed."""

    pages: list[int]
    top: float  # on its first page
    x0: float
    x1: float
    columns: list[float]  # x of the grid's vertical lines
    rows: list[list[Cell]]
    bottom: float  # on its last page
    notes: list[str] = field(default_factory=list)

    def texts(self) -> Iterable[str]:
        return (c.text for row in self.rows for c in row if c.text)


def _snap(values: Iterable[float]) -> list[float]:
    """Sorted values with near-equal ones (within SNAP) merged."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _index(lines: list[float], v: float) -> int:
    """The grid line nearest to v."""
    i = bisect_right(lines, v)
    if i > 0 and (i == len(lines) or v - lines[i - 1] <= lines[i] - v):
        return i - 1
    return min(i, len(lines) - 1)


def build_table(boxes: Sequence[Box], glyphs: Sequence[Glyph], page: int) -> tuple[GridTable | None, list[Glyph]]:
    """The table the cell boxes draw, filled with the glyphs inside them, and the glyphs
    outside it. None (all glyphs returned) when the boxes are no table: fewer than two
    columns (a framed paragraph) or nothing written in them."""
    xs = _snap([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _snap([b[1] for b in boxes] + [b[3] for b in boxes])
    if len(xs) < 3 or len(ys) < 2:
        return None, list(glyphs)
    x0, x1, top, bottom = xs[0], xs[-1], ys[0], ys[-1]
    cells: list[Cell] = []
    slots: dict[tuple[int, int], int] = {}
    for b in sorted(boxes, key=lambda b: (b[1], b[0])):
        r0, r1, c0, c1 = _index(ys, b[1]), _index(ys, b[3]), _index(xs, b[0]), _index(xs, b[2])
        if r1 <= r0 or c1 <= c0:
            continue
        cells.append(Cell(r0, c0, b[0], b[1], b[2], b[3]))
        for r in range(r0, r1):
            for c in range(c0, c1):
                slots.setdefault((r, c), len(cells) - 1)
    inside: dict[int, list[Glyph]] = {}
    outside: list[Glyph] = []
    for g in glyphs:
        mx, my = g.mid_x, g.mid_y
        if not (x0 <= mx <= x1 and top <= my <= bottom):
            outside.append(g)
            continue
        slot = slots.get((min(bisect_right(ys, my) - 1, len(ys) - 2), min(bisect_right(xs, mx) - 1, len(xs) - 2)))
        if slot is not None:
            inside.setdefault(slot, []).append(g)
    if not inside:
        return None, list(glyphs)
    for i, cell in enumerate(cells):
        cell.text = block_text(inside.get(i, []))
    rows: dict[int, list[Cell]] = {}
    for cell in cells:
        rows.setdefault(cell.row, []).append(cell)
    ordered = [sorted(rows[r], key=lambda c: c.col) for r in sorted(rows)]
    return GridTable([page], top, x0, x1, xs, ordered, bottom), outside


# ---------------------------------------------------------------------------- rows -> lines


def row_line(cells: Sequence[Cell]) -> Line | None:
    """One document line for one table row; None for a row with nothing written in it.

    Empty cells before the row's last label are the label columns of a row whose label
    sits in a merged cell above (a group label cut off by a page break): they are not
    data columns, so they are left out as a merged cell is."""
    texts = [c.text for c in cells]
    if not any(texts):
        return None
    last_label = max((i for i, t in enumerate(texts) if t and not is_value_text(t)), default=-1)
    kept = tuple(t for i, t in enumerate(texts) if t or i > last_label)
    return Line(" | ".join(t for t in kept if t), cells=kept)


def table_lines(table: GridTable) -> list[Line]:
    return [line for row in table.rows if (line := row_line(row)) is not None]


# ---------------------------------------------------------------------------- naming


def table_kind(table: GridTable) -> TableId | None:
    """Which of the report's tables this is, from the labels only that table prints."""
    keys = {match_key(t) for t in table.texts()}
    for tid in TABLE_NAMES:
        if keys & anchor_keys(tid):
            return tid
    return None


def pages_text(pages: Sequence[int]) -> str:
    return f"第{pages[0]}页" if len(pages) == 1 else f"第{pages[0]}—{pages[-1]}页"


# ---------------------------------------------------------------------------- page breaks


def continues(first: GridTable, second: GridTable) -> bool:
    """Whether ``second`` (at the top of the next page) carries on ``first`` (at the foot
    of the page before): same sides, and every column line of one lines up with the other's."""
    if abs(first.x0 - second.x0) > SAME_EDGE or abs(first.x1 - second.x1) > SAME_EDGE:
        return False
    return _subset(second.columns, first.columns) or _subset(first.columns, second.columns)


def _subset(small: list[float], big: list[float]) -> bool:
    return all(any(abs(x - y) <= SAME_EDGE for y in big) for x in small)


def _row_texts(row: Sequence[Cell]) -> tuple[str, ...]:
    return tuple(match_key(c.text) for c in row)


def _is_header_row(row: Sequence[Cell]) -> bool:
    return not any(is_value_text(c.text) for c in row)


def append_continuation(first: GridTable, second: GridTable) -> None:
    """Add the rows of ``second`` (the next page's part) to ``first``, with notes."""
    name = _name(first, second)
    page = second.pages[0]
    repeated = 0
    while (
        repeated < min(len(second.rows) - 1, len(first.rows))
        and _is_header_row(second.rows[repeated])
        and _row_texts(second.rows[repeated]) == _row_texts(first.rows[repeated])
    ):
        repeated += 1
    if repeated:
        first.notes.append(f"{name}在第{page}页开头重复了表头（{repeated}行），已略去，未作为数据读取。")
    rows = second.rows[repeated:]
    if rows and first.rows:
        pages = (first.pages[-1], page)
        _join_cut_labels(first, rows[0], name, pages)
        groups = _cut_group_labels(first, rows[0])
        rest = _rest_of_row(first.rows[-1], [c for c in rows[0] if all(c is not lo for _, lo in groups)])
        if rest:
            for upper, lower in [*rest, *groups]:
                upper.text = join_wrapped(upper.text, lower.text)
            first.notes.append(
                f"{name}第{pages[0]}页的最后一行被分页截断，第{pages[1]}页开头的其余部分已接回该行。请核对该行的数值。"
            )
            rows = rows[1:]
    first.rows.extend(rows)
    first.pages.extend(second.pages)
    first.bottom = second.bottom
    first.notes.extend(second.notes)


def _name(first: GridTable, second: GridTable) -> str:
    tid = table_kind(first) or table_kind(second)
    return TABLE_NAMES[tid] if tid else "表格"


def _boundary_cells(table: GridTable) -> list[Cell]:
    """Cells of ``table`` that reach its bottom edge, left to right."""
    cells = [c for row in table.rows for c in row if abs(c.bottom - table.bottom) <= SNAP]
    return sorted(cells, key=lambda c: c.x0)


def _join_cut_labels(first: GridTable, top_row: list[Cell], name: str, pages: tuple[int, int]) -> None:
    """Put back together label cells cut by the page break (the cell at the foot of one page
    and the cell below it at the top of the next), when the pieces make an official label."""
    for upper in _boundary_cells(first):
        lower = next(
            (c for c in top_row if abs(c.x0 - upper.x0) <= SAME_EDGE and abs(c.x1 - upper.x1) <= SAME_EDGE), None
        )
        if lower is None or not upper.text or not lower.text:
            continue
        if is_value_text(upper.text) or is_value_text(lower.text):
            continue
        whole = upper.text + lower.text
        # a lower piece that is a label of its own (总计) is still a piece when the upper one is
        # no whole label (（七）): only a fragment is cut, a whole label stands alone
        fragment = match_key(lower.text) not in known_labels() or match_key(upper.text) not in known_labels()
        if match_key(whole) in known_labels() and fragment:
            first.notes.append(
                f"{name}的栏目“{upper.text}”（第{pages[0]}页）与“{lower.text}”（第{pages[1]}页）被分页隔开，"
                f"已合并为“{whole}”。请核对。"
            )
            upper.text, lower.text = whole, ""


_LABEL_START = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d+[.．、])")


def _cut_group_labels(first: GridTable, top_row: Sequence[Cell]) -> list[tuple[Cell, Cell]]:
    """Pieces of a group label (（四）无法提供, set in a merged cell down the side) that a
    page break carried to the next page's first row, with the cell above them: a label piece
    under a label cell that reaches the foot of the page, which starts no label of its own.
    They are joined only when the rest of that row is the rest of the cut row."""
    out: list[tuple[Cell, Cell]] = []
    for lower in top_row:
        if not lower.text or is_value_text(lower.text) or _LABEL_START.match(lower.text):
            continue
        if match_key(lower.text) in known_labels():
            continue
        upper = next(
            (c for c in _boundary_cells(first)
             if abs(c.x0 - lower.x0) <= SAME_EDGE and abs(c.x1 - lower.x1) <= SAME_EDGE and c.row < first.rows[-1][0].row),
            None,
        )  # fmt: skip
        if upper is not None and upper.text and not is_value_text(upper.text):
            out.append((upper, lower))
    return out


def _rest_of_row(last: Sequence[Cell], top: Sequence[Cell]) -> list[tuple[Cell, Cell]] | None:
    """When ``top`` (first row of the next page) is the rest of ``last``, a row cut by the
    page break, the (upper, lower) cell pairs to put together; else None.

    It is when every cell of ``last`` has one below it (cells of ``top`` with none above are
    merged cells from higher up, and empty), ``top`` holds only the numbers or number pieces
    that did not fit, and no label of ``last`` lies above them. Official tables never print
    two rows of bare numbers one after the other (表四 has one data row), so numbers below
    numbers are the rest of that row. A header row above numbers (表四) is no such row: it
    has labels over every column."""
    pairs: list[tuple[Cell, Cell]] = []
    for lower in top:
        upper = next((c for c in last if abs(c.x0 - lower.x0) <= SAME_EDGE and abs(c.x1 - lower.x1) <= SAME_EDGE), None)
        if upper is not None:
            pairs.append((upper, lower))
        elif lower.text:
            return None
    if len(pairs) != len(last) or not any(lo.text for _, lo in pairs):
        return None
    if any(lo.text and not is_value_text(lo.text) for _, lo in pairs):
        return None
    if not any(up.text for up, _ in pairs):
        return None  # a row with nothing written above: the numbers are a row of their own
    if any(lo.text and up.text and not is_value_text(up.text) for up, lo in pairs):
        return None
    return pairs


@cache
def known_labels() -> frozenset[str]:
    """Every label the official tables print (both formats, with accepted variants)."""
    aliases = load_aliases()
    keys: set[str] = set()
    for fmt in FORMAT_IDS:
        for tid in TABLE_IDS:
            layout = table_layout(fmt, tid)
            keys.add(match_key(layout.title))
            for block in layout.blocks:
                keys.update(match_key(x) for x in (block.head, block.first_col) if x)
                for col in block.columns:
                    keys.update(match_key(x) for x in (col.label, *col.groups))
                for row in block.rows:
                    keys.update(match_key(x) for x in (row.label, *row.groups))
                    keys.update(match_key(x) for x in aliases.row_aliases(fmt, tid, row.id))
    keys.discard("")
    return frozenset(keys)
