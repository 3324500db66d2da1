"""Characters placed on a PDF page, and the text they spell.

A PDF has no words or lines, only glyphs at positions. This module groups glyphs into
visual lines and spells a line: justified Chinese text is placed with extra room between
the characters, so a gap is a space only between two Latin words or numbers ("page 2"),
and a wide layout gap (a tab, a second column) stays one space. Lines wrapped inside a
paragraph or a table cell are joined without a space, as Chinese is written.

Pure geometry on plain values, so it is tested without any PDF.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import median

WORD_GAP = 0.25  # a gap wider than this many font sizes parts two Latin words
WIDE_GAP = 2.0  # a gap wider than this many font sizes is a layout gap (tab, column)
WIDE_OVER_TYPICAL = 3.0  # ... and wider than this many times the line's usual gap (not spread-out text)
STRETCH_SLACK = 0.3  # a gap this close (share) to a stretched gap between Chinese characters is stretch too
SAME_LINE = 0.5  # glyphs whose vertical centres differ by less than this many sizes share a line


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character as placed on the page (top-left origin, points)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    upright: bool = True
    downward: bool = True  # for rotated text: it runs down the page

    @property
    def mid_x(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def mid_y(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True, slots=True)
class TextLine:
    """One visual line of text on a page."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    wide_gap: bool = False  # the line holds a layout gap: tabular text, never joined with others
    lead: float = 0.0  # width of the start that could not have ended the line before (see lead_width)


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _wordish(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "%.,;:!?'\")]}")


def needs_space(left: str, right: str) -> bool:
    """Whether two pieces of text that are apart on the page are read with a space between:
    only two Latin words or a word and a number ("Page 2", "ISO 9001"), never Chinese."""
    if not left or not right:
        return False
    a, b = left[-1], right[0]
    return _wordish(a) and b.isascii() and b.isalnum() and (_latin(a) or _latin(b) or (a.isdigit() and b.isdigit()))


def join_wrapped(left: str, right: str) -> str:
    """Two lines of one paragraph or cell: Chinese wraps anywhere, so no space; two Latin
    words keep one. Digits never get a space (a wrapped number is one number)."""
    if not left or not right:
        return left + right
    a, b = left[-1], right[0]
    if a.isascii() and a.isalnum() and b.isascii() and b.isalnum() and (_latin(a) or _latin(b)):
        return f"{left} {right}"
    return left + right


def group_lines(glyphs: Iterable[Glyph]) -> list[list[Glyph]]:
    """Upright glyphs grouped into visual lines, top to bottom, each left to right.

    Fonts on one line sit at slightly different heights (Latin digits beside Chinese), so
    a glyph joins a line when its vertical centre is within half a font size of the line's."""
    ordered = sorted(glyphs, key=lambda g: g.mid_y)
    lines: list[list[Glyph]] = []
    anchor = 0.0
    for g in ordered:
        if lines and abs(g.mid_y - anchor) <= SAME_LINE * max(g.size, lines[-1][0].size):
            lines[-1].append(g)
        else:
            lines.append([g])
            anchor = g.mid_y
    for line in lines:
        line.sort(key=lambda g: g.x0)
    return lines


def spell(line: Sequence[Glyph]) -> tuple[str, bool]:
    """The text of one visual line (glyphs left to right), and whether it holds a layout gap."""
    marks = [g for g in line if g.text.strip()]
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(marks)]
    usual = max(median(gaps), 0.0) if gaps else 0.0  # spread-out (distributed) text has wide usual gaps
    # Justification stretches the room between Chinese characters: gaps like these are no layout gaps
    stretched = [b.x0 - a.x1 for a, b in itertools.pairwise(marks) if not (_ascii(a.text) or _ascii(b.text))]
    out: list[str] = []
    wide = False
    prev: Glyph | None = None
    spaced = False  # a space glyph since prev
    for g in line:
        if not g.text.strip():
            spaced = prev is not None
            continue
        if prev is not None:
            if _duplicate(prev, g):  # fake bold: the same glyph printed twice, slightly offset
                continue
            gap = g.x0 - prev.x1
            size = max(prev.size, g.size)
            if _layout_gap(prev.text, g.text, gap, size, usual, stretched):
                out.append(" ")
                wide = True
            elif (spaced or gap > usual + WORD_GAP * size) and needs_space(prev.text, g.text):
                out.append(" ")
        out.append(g.text)
        prev, spaced = g, False
    return "".join(out), wide


def _ascii(text: str) -> bool:
    return text.isascii()


def _layout_gap(left: str, right: str, gap: float, size: float, usual: float, stretched: list[float]) -> bool:
    """A gap that separates two pieces of a layout (a label and its number, two numbers),
    not room added by justification. Between two Chinese characters it is always room."""
    if gap <= WIDE_GAP * size or gap <= WIDE_OVER_TYPICAL * usual:
        return False
    if not (_ascii(left) or _ascii(right)):
        return False
    return not any(abs(x - gap) <= STRETCH_SLACK * gap for x in stretched)


def _duplicate(a: Glyph, b: Glyph) -> bool:
    return a.text == b.text and abs(a.x0 - b.x0) < 0.3 * max(a.x1 - a.x0, 1.0) and abs(a.top - b.top) < 1.0


def text_lines(glyphs: Iterable[Glyph], page: int) -> list[TextLine]:
    """Visual lines of upright text (rotated glyphs are left out: see ``rotated_text``)."""
    out: list[TextLine] = []
    for line in group_lines(g for g in glyphs if g.upright):
        text, wide = spell(line)
        if not text.strip():
            continue
        marks = [g for g in line if g.text.strip()]
        out.append(
            TextLine(
                text=text.strip(),
                x0=marks[0].x0,
                x1=max(g.x1 for g in marks),
                top=min(g.top for g in marks),
                bottom=max(g.bottom for g in marks),
                size=median(g.size for g in marks),
                page=page,
                wide_gap=wide,
                lead=lead_width(marks),
            )
        )
    return out


NO_LINE_START = frozenset("，。、；：？！,.;:?!)）》」』】”’…%")
NO_LINE_END = frozenset("“‘《（([「『【")


def lead_width(marks: Sequence[Glyph]) -> float:
    """Width of the start of a line that line breaking keeps in one piece: a Latin word or
    number, the closing punctuation after it (which may not start a line), a number right
    after that punctuation ("件），3119"), and an opening quote or bracket with the character
    it opens (which may not end a line). The line before may end early by up to this much
    without its paragraph ending."""
    if not marks:
        return 0.0

    def word_end(i: int) -> int:
        while i + 1 < len(marks) and marks[i].text.isascii() and marks[i + 1].text.isascii():
            i += 1  # a Latin word or number (spaces are not among the marks: see spell)
        return i

    end = word_end(0)
    while end + 1 < len(marks):
        nxt = marks[end + 1].text
        if nxt in NO_LINE_START:
            end += 1
        elif nxt in NO_LINE_END and end + 2 < len(marks):
            end += 2
        elif nxt.isascii() and nxt.isalnum() and marks[end].text in NO_LINE_START:
            end = word_end(end + 1)
        else:
            break
    return marks[end].x1 - marks[0].x0


def rotated_text(glyphs: Sequence[Glyph]) -> str:
    """Text set at a right angle (Word's "text direction" in a narrow cell): columns of
    glyphs, each read down (or up) the page; downward columns are read right to left."""
    if not glyphs:
        return ""
    downward = sum(g.downward for g in glyphs) * 2 >= len(glyphs)
    ordered = sorted(glyphs, key=lambda g: g.mid_x)
    columns: list[list[Glyph]] = []
    for g in ordered:
        if columns and abs(g.mid_x - columns[-1][0].mid_x) <= SAME_LINE * g.size:
            columns[-1].append(g)
        else:
            columns.append([g])
    if downward:
        columns.reverse()
    parts = ["".join(g.text for g in sorted(col, key=lambda g: g.top, reverse=not downward)) for col in columns]
    text = ""
    for part in parts:
        text = join_wrapped(text, part.strip())
    return text


def block_text(glyphs: Sequence[Glyph]) -> str:
    """The text of a block (a table cell): its lines joined as wrapped lines of one text.
    A label set one character per line ("三、/本/年/度…") reads as one word."""
    upright = [g for g in glyphs if g.upright]
    if len(upright) * 2 < len(glyphs):
        return rotated_text([g for g in glyphs if not g.upright and g.text.strip()])
    text = ""
    for line in group_lines(upright):
        spelled, _ = spell(line)
        text = join_wrapped(text, spelled.strip())
    return text
