"""Visual lines -> paragraphs, in reading order.

Chinese text wraps mid-sentence at the right margin, so a line is joined to the one
before unless something on the page says a paragraph ends there:

* the next line is indented (a first line) or centred, or starts left of the margin;
* the line ends well before the right margin (a paragraph's last line, a heading);
* a larger gap than the usual line spacing, a change of font size, or a table between;
* the next line starts with a heading number ("一、", "（一）") after a finished sentence;
* either line holds a layout gap (tabular text printed without rules).

A line may also end early mid-sentence: left-aligned text is ragged (Chinese punctuation
may not start a line, so it takes a character or two along), and a long number or Latin
word that does not fit goes to the next line whole. Such a line is still joined when the
room left is a few characters or about that word's width. A title set
on two centred lines in a large font is one title.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from gkassist.importers.pdf.glyphs import TextLine, join_wrapped

INDENT = 0.8  # a line starting this many font sizes right of the margin is indented
EARLY_END = 1.5  # a line ending this many sizes before the right margin ends its paragraph
RAGGED = 3.0  # ... unless it ends mid-sentence: left-aligned text is ragged by a character or two
SIZE_CHANGE = 1.5  # points
TITLE_STEP = 2.0  # a title is at least this many points larger than the body text
CENTRED = 0.08  # share of the text width a centred line's middle may be off the centre
MIN_LINES_FOR_PAGE_MARGIN = 8
RIGHT_EDGE_SHARE = 0.85  # the right margin is where this share of the lines end (or before)
_HEADING = re.compile(
    r"^(?:第?[一二三四五六七八九十]{1,3}(?:部分)?\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}\s*[、．](?!\d))"
)
_SENTENCE_END = tuple("。！？；：!?;:…")
_FULL_STOP = tuple("。！？；!?;")  # a colon may be followed by a long address on the next line


@dataclass(frozen=True)
class Margins:
    left: float
    right: float


@dataclass(frozen=True)
class Layout:
    """The body text's geometry, measured on the document."""

    margins: dict[int, Margins]  # per page
    body_size: float
    line_gap: float  # usual space between two lines of a paragraph

    def of(self, line: TextLine) -> Margins:
        return self.margins[line.page]


def measure(lines: Sequence[TextLine]) -> Layout:
    """Margins, body font size and line spacing, measured on the whole document; a page
    with much text of its own and other margins (mirrored for two-sided printing) keeps its own."""
    sizes: Counter[int] = Counter()
    for ln in lines:
        sizes[round(ln.size)] += len(ln.text)  # by amount of text: many short lines are not the body
    body = float(sizes.most_common(1)[0][0]) if sizes else 12.0
    body_lines = [ln for ln in lines if abs(ln.size - body) <= SIZE_CHANGE] or list(lines)
    whole = _margins(body_lines) or Margins(0.0, 0.0)
    margins: dict[int, Margins] = {}
    for page in {ln.page for ln in lines}:
        own = _margins([ln for ln in body_lines if ln.page == page], MIN_LINES_FOR_PAGE_MARGIN)
        mirrored = own is not None and abs(own.left - whole.left) > body and abs(own.right - whole.right) > body
        margins[page] = own if own is not None and mirrored else whole
    gaps = [
        b.top - a.bottom
        for a, b in itertools.pairwise(body_lines)
        if a.page == b.page and 0 <= b.top - a.bottom <= 2 * body
    ]
    return Layout(margins, body, median(gaps) if gaps else body * 0.5)


def _margins(lines: Sequence[TextLine], need: int = 1) -> Margins | None:
    """The leftmost common line start (first lines are indented, and may be as many as the
    others) and the right edge most lines reach (ragged text ends short, hanging punctuation
    long)."""
    if not lines:
        return None
    starts = Counter(round(ln.x0) for ln in lines)
    top = starts.most_common(1)[0][1]
    if top < need:
        return None
    left = min(x for x, n in starts.items() if 2 * n >= top)
    ends = sorted(ln.x1 for ln in lines)
    return Margins(float(left), ends[int(RIGHT_EDGE_SHARE * (len(ends) - 1))])


def continues(a: TextLine, b: TextLine, layout: Layout) -> bool:
    """Whether line b carries on the paragraph that line a is part of."""
    if a.wide_gap or b.wide_gap:
        return False
    if _title_lines(a, b, layout):
        return True
    if abs(a.size - b.size) > SIZE_CHANGE:
        return False
    if a.page == b.page and b.top - a.bottom > max(1.6 * layout.line_gap, layout.line_gap + 0.5 * b.size):
        return False
    mb = layout.of(b)
    if abs(b.x0 - mb.left) > INDENT * b.size:
        return False  # b starts a paragraph (indented, centred) or is no body text
    if _HEADING.match(b.text) and (a.text.endswith(_SENTENCE_END) or _HEADING.match(a.text)):
        return False
    room = layout.of(a).right - a.x1
    if room <= EARLY_END * a.size:
        return True
    if a.text.endswith(_FULL_STOP):
        return False  # a finished sentence well before the margin: the paragraph's last line
    return room <= max(RAGGED * a.size, b.lead + a.size)  # ragged, or b's first word did not fit


def _title_lines(a: TextLine, b: TextLine, layout: Layout) -> bool:
    """Two lines of one title: same large font, both centred, close together."""
    if a.page != b.page or a.size < layout.body_size + TITLE_STEP or abs(a.size - b.size) > 1.0:
        return False
    if b.top - a.bottom > a.size:
        return False
    m = layout.of(a)
    centre, width = (m.left + m.right) / 2, max(m.right - m.left, 1.0)
    return all(abs((ln.x0 + ln.x1) / 2 - centre) <= CENTRED * width for ln in (a, b))


def paragraphs(lines: Sequence[TextLine], layout: Layout) -> list[str]:
    """The paragraphs a run of lines (no table between them) makes."""
    out: list[str] = []
    prev: TextLine | None = None
    for ln in lines:
        if prev is not None and continues(prev, ln, layout):
            out[-1] = join_wrapped(out[-1], ln.text)
        else:
            out.append(ln.text)
        prev = ln
    return out
