"""Document lines -> a token stream (label / value / blank).

Text, HTML, Word and PDF importers all produce ``Line`` objects; from there on they share
this module and ``reader``. A delimited line ('|', tab, an HTML row) gives one token per
cell, an empty cell a blank token; an undelimited line is scanned for official labels and
runs of numbers (``scan``). A missing cell is always blank, never 0.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from gkassist.cells import Cell
from gkassist.importers.normalise import load_aliases, match_key, norm_label
from gkassist.importers.scan import is_page_number, scan_line
from gkassist.layouts import FORMAT_IDS, FormatId, TableId, table_layout

TokenKind = Literal["label", "value", "blank"]
_MD_RULE = re.compile(r"^:?-{3,}:?$")
_VALUE_WORDS = frozenset({"无"})
EDGE = " " * 16  # room for blank cells where a run of numbers meets the end of its line
_CACHED_LEN = 64  # texts up to this length have their cell parse cached


@dataclass(frozen=True)
class Line:
    """One line of the document; ``cells`` is set for an HTML table row (one per <td>/<th>).

    ``broken_before``/``broken_after`` say the line starts/ends at a real line break; a line
    cut out of running text at a heading continues its neighbour without one.
    """

    text: str
    cells: tuple[str, ...] | None = None
    broken_before: bool = True
    broken_after: bool = True


def line_text(line: Line) -> str:
    """The line's text as prose: a table row's filled cells joined by spaces."""
    if line.cells is not None:
        return " ".join(c.strip() for c in line.cells if c.strip())
    return line.text.strip()


@dataclass(frozen=True)
class Token:
    """A label, a value or a blank cell of the document, with the line it stands on.

    ``cell`` marks a token from a delimited row ('|', tab, <td>): its position in the row is
    fixed by the delimiters. ``glued`` marks a value whose text holds several cells run
    together ('640020470'); the reader splits it. ``run`` is set on the first value of an
    undelimited stretch of numbers: the stretch as printed, spaces kept (a blank cell shows
    as a space), padded where it meets the line's start or end (a blank cell there leaves
    no trace).
    """

    kind: TokenKind
    text: str
    line: int
    key: str
    cell: bool = False
    glued: bool = False
    run: str = ""


def is_value_text(text: str) -> bool:
    """A number (with sign or unit), a not-applicable mark, or a word used as a cell value."""
    text = text.strip()
    if not text:
        return False
    return _is_short_value(text) if len(text) <= _CACHED_LEN else _is_value(text)


@lru_cache(maxsize=8192)
def _is_short_value(text: str) -> bool:  # tables repeat "0", "/" and their labels in every report
    return _is_value(text)


def _is_value(text: str) -> bool:
    return parse_cell(text).state in ("number", "na") or norm_label(text) in _VALUE_WORDS


def parse_cell(text: str | None) -> Cell:
    """Cell.parse; short texts cached (a Cell is immutable, so one instance can sit in many tables)."""
    return _parsed_short(text) if text is None or len(text) <= _CACHED_LEN else Cell.parse(text)


@lru_cache(maxsize=8192)
def _parsed_short(text: str | None) -> Cell:
    return Cell.parse(text)


def make_token(text: str, line: int, *, cell: bool = False) -> Token:
    text = text.strip()
    if not text:
        return Token("blank", "", line, "", cell=cell)
    kind: TokenKind = "value" if is_value_text(text) else "label"
    return Token(kind, text, line, match_key(text) if kind == "label" else "", cell=cell)


def split_cells(text: str) -> list[str] | None:
    """The cells of a '|' or tab delimited line, or None for an undelimited line.

    Every piece between two separators is a cell, an empty one a blank cell. Nothing before
    the first or after the last separator is an edge (markdown's outer pipes, padding).
    """
    sep = "|" if "|" in text else "\t" if "\t" in text else None
    if sep is None:
        return None
    pieces = [p.strip() for p in text.split(sep)]
    if sep == "|" and all(_MD_RULE.match(p) for p in pieces if p):
        return []  # markdown table rule |---|---|
    if not pieces[0]:
        pieces = pieces[1:]
    if pieces and not pieces[-1]:
        pieces = pieces[:-1]
    return pieces


def split_text_line(text: str) -> list[str]:
    """Cell pieces of a plain-text line: the delimited cells, or labels and numbers."""
    cells = split_cells(text)
    if cells is not None:
        return cells
    return [t.text for t in _scanned_tokens(text, 0)]


def line_tokens(line: Line, index: int) -> list[Token]:
    """Tokens of one line. Delimited cells (HTML, '|', tab) keep their places, an empty one
    is a blank; an undelimited line is scanned for labels and runs of numbers."""
    if line.cells is not None:
        return [make_token(c, index, cell=True) for c in line.cells]
    cells = split_cells(line.text)
    if cells is not None:
        return [make_token(c, index, cell=True) for c in cells] if any(cells) else []
    if not line.text.strip() or is_page_number(line.text):
        return []
    text = line.text.lstrip() if line.broken_before else line.text  # spaces at a cut are cells
    text = text.rstrip() if line.broken_after else text
    return _scanned_tokens(text, index, line.broken_before, line.broken_after)


def _scanned_tokens(text: str, index: int, open_start: bool = True, open_end: bool = True) -> list[Token]:
    out: list[Token] = []
    pieces = scan_line(text)
    for n, piece in enumerate(pieces):
        if piece.kind != "values":
            out.append(Token("label", piece.text.strip(), index, match_key(piece.text)))
            continue
        run = (EDGE if n == 0 and open_start else "") + piece.text + (EDGE if n == len(pieces) - 1 and open_end else "")
        if piece.glued:
            out.append(Token("value", piece.text.strip(), index, "", glued=True, run=run))
            continue
        words = piece.text.split()
        out.extend(Token("value", w, index, "", run=run if k == 0 else "") for k, w in enumerate(words))
    return out


def tokenize(lines: Sequence[Line], start: int = 0, end: int | None = None) -> list[Token]:
    stop = len(lines) if end is None else end
    return [t for i in range(start, stop) for t in line_tokens(lines[i], i)]


# ---------------------------------------------------------------------------- format


def detect_format(table_id: TableId, tokens: Sequence[Token]) -> FormatId | None:
    """The format whose own labels appear in this table; None when the labels do not tell."""
    aliases = load_aliases()
    joined = "".join(t.key for t in tokens if t.kind == "label")
    markers = aliases.format_markers.get(table_id, {})
    scores = {f: sum(1 for m in markers.get(f, ()) if match_key(m) in joined) for f in FORMAT_IDS}
    if table_id == "s3" and not scores["gk2021"] and _has_2019_other_row(tokens):
        return "gk2019"
    best = max(scores.values())
    winners = [f for f, s in scores.items() if s == best]
    return winners[0] if best and len(winners) == 1 else None


def _has_2019_other_row(tokens: Sequence[Token]) -> bool:
    """In 2019 "（六）其他处理" is a data row: values follow it directly."""
    key = match_key("（六）其他处理")
    return any(tok.key == key and tokens[i + 1].kind == "value" for i, tok in enumerate(tokens[:-1]))


# ---------------------------------------------------------------------------- labels


@cache
def structural_keys(table_id: TableId) -> frozenset[str]:
    """Labels of both formats that carry no data: headings, headers, group labels."""
    keys: set[str] = {match_key("申请人情况"), match_key("法人或其他组织")}
    for fmt in FORMAT_IDS:
        layout = table_layout(fmt, table_id)
        keys.add(match_key(layout.title))
        for block in layout.blocks:
            keys.update(match_key(x) for x in (block.head, block.first_col) if x)
            for col in block.columns:
                keys.update(match_key(x) for x in (col.label, *col.groups))
            for row in block.rows:
                keys.update(match_key(g) for g in row.groups)
    keys.discard("")
    return frozenset(keys)


@cache
def anchor_keys(table_id: TableId) -> frozenset[str]:
    """Labels that only this table prints: finding one means the table is there."""
    keys: set[str] = set()
    for fmt in FORMAT_IDS:
        layout = table_layout(fmt, table_id)
        if table_id == "s4":
            keys.update(match_key(g) for c in layout.blocks[0].columns for g in c.groups[1:])
            continue
        for block in layout.blocks:
            keys.update(match_key(x) for x in (block.head, block.first_col) if len(x) >= 8)
            keys.update(match_key(r.label) for r in block.rows if len(match_key(r.label)) >= 6)
    return frozenset(keys)
