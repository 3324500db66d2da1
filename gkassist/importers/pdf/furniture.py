"""Page furniture: page numbers, running headers and footers.

They are not part of the report's text. A page number is a line such as "— 1 —", "-1-",
"第1页 共5页" or a bare number, first or last on its page, in the top or bottom margin
band. A running header or footer is a line in a margin band that comes back (digits
aside) at the same height on most pages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from gkassist.importers.pdf.glyphs import TextLine

BAND = 0.15  # top and bottom share of the page where furniture sits
SAME_HEIGHT = 6.0  # points: a running line's position varies less than this
RUNNING_SHARE = 0.4  # a running line is on at least this share of the pages (odd/even ones alike)
EDGE_LINES = 2  # a page number is among the first or last this many lines of its page

_DASH = r"[-—–－_~·•‐‑‒―一\s]*"  # 一 is how some fonts map a long dash
PAGE_NUMBER = re.compile(
    rf"^(?:{_DASH}\d{{1,4}}{_DASH}"
    r"|第\s*\d{1,4}\s*页\s*[,，/、]?\s*(?:共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，/、]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|[Pp]age\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$"
)
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def in_band(line: TextLine, height: float) -> bool:
    return line.top < BAND * height or line.bottom > (1 - BAND) * height


def is_page_number(text: str) -> bool:
    return bool(PAGE_NUMBER.match(text.strip()))


def _shape(text: str) -> str:
    """A running line's text with its page number left out."""
    return _DIGITS.sub("#", _SPACE.sub("", text))


def strip_furniture(
    pages: Sequence[Sequence[TextLine]], heights: Sequence[float]
) -> tuple[list[list[TextLine]], list[str]]:
    """Each page's lines without page numbers and running headers/footers, and the text of
    each running line removed (as first seen, for the import notes)."""
    running = _running(pages, heights)
    out: list[list[TextLine]] = []
    removed: dict[str, str] = {}  # shape -> text
    for lines, height in zip(pages, heights, strict=True):
        ordered = sorted(lines, key=lambda ln: ln.top)
        edge = {id(ln) for ln in ordered[:EDGE_LINES] + ordered[-EDGE_LINES:]}
        kept: list[TextLine] = []
        for ln in ordered:
            if in_band(ln, height) and id(ln) in edge and is_page_number(ln.text):
                continue
            shape = _shape(ln.text)
            if in_band(ln, height) and any(shape == s and abs(ln.top - top) <= SAME_HEIGHT for s, top in running):
                removed.setdefault(shape, ln.text)
                continue
            kept.append(ln)
        out.append(kept)
    return out, [t for t in removed.values() if not is_page_number(t)]


def _running(pages: Sequence[Sequence[TextLine]], heights: Sequence[float]) -> list[tuple[str, float]]:
    """(shape, height) of the lines that recur in a margin band on most pages."""
    if len(pages) < 2:
        return []
    seen: dict[str, list[tuple[int, float]]] = {}
    for index, (lines, height) in enumerate(zip(pages, heights, strict=True)):
        for ln in lines:
            if in_band(ln, height):
                seen.setdefault(_shape(ln.text), []).append((index, ln.top))
    need = max(2, RUNNING_SHARE * len(pages))
    found: list[tuple[str, float]] = []
    for shape, places in seen.items():
        for _, top in places:
            on = {i for i, t in places if abs(t - top) <= SAME_HEIGHT}
            if len(on) >= need:
                found.append((shape, top))
                break
    return found
