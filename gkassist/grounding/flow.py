"""Lines broken by the page, joined back into sentences, and page numbers taken out of the flow.

Text taken from a PDF or a crawler (pdftotext, copy and paste) breaks lines in the middle of a
sentence ("答\\n复 3050 件") and carries page numbers between them ("-1-"). Read as it is, a line
end cuts the sentence in two: a phrase is split, a number loses its unit, a negation loses its
object. The narrative is therefore read on a joined copy; every position found there is mapped
back to the text as written.

A line end is joined when the line before it is a full line that does not end a sentence or a
clause: its width reaches most of the widest lines of the text (a wrapped line fills the page),
it is no sub-heading, and the next line starts no sub-heading. A paragraph break in a Word file
(one paragraph per line) ends with punctuation or is a short heading, so it stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from gkassist.grounding.text import SUBHEAD

# A line that ends with one of these ends a sentence or a clause as written: never joined.
_ENDS = frozenset("。！？!?；;：:")
_PUNCT = re.compile(r"[。！？!?；;，,：:]")
_FULL_SHARE = 0.75  # a line at least this share of the text's usual full width is a wrapped line
_PAGE_LINE_MAX = 20  # a page-number line is short
_WRAPPED_MIN = 16  # and a wrapped line fills most of a page width
_LINE_AVERAGE_MAX = 60  # longer lines on average: one paragraph a line (Word, HTML), nothing wrapped by a page


@dataclass(slots=True)
class Flow:
    """The joined text, and where each of its characters is in the text as written."""

    text: str
    origin: list[int] | None = None  # flow position -> original position; None: the text is unchanged
    page_lines: list[tuple[int, int]] = field(default_factory=list)  # original spans of page-number lines

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the flow span [start, end)."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1 if end > start else self.origin[start]


def _width(line: str) -> int:
    """Display width: 2 for a CJK or full-width character (3 bytes in UTF-8), 1 for ASCII."""
    return (len(line.encode("utf-8")) + len(line)) >> 1


def _is_heading(line: str) -> bool:
    """（一）主动公开 / 1.依申请公开: a sub-heading line (no clause punctuation after its marker)."""
    m = SUBHEAD.match(line)
    return m is not None and _PUNCT.search(line, m.end()) is None


def join_lines(text: str, page_line: re.Pattern[str] | None, page_scan: re.Pattern[str] | None = None) -> Flow:
    """The text with wrapped lines joined and page-number lines taken out.

    ``page_line`` fullmatches a stripped line that holds only a page number; ``page_scan``, if
    given, finds such a line after a line end (a quick test that the text has one).
    """
    if "\n" not in text:
        return Flow(text)
    wrapped = len(text) <= _LINE_AVERAGE_MAX * (text.count("\n") + 1) and _runs_on(text)
    if not wrapped and not _has_page_line(text, page_line, page_scan):
        return Flow(text)
    lines = text.split("\n")
    stripped = [line.strip() for line in lines]
    page = [bool(s) and len(s) <= _PAGE_LINE_MAX and page_line is not None and page_line.fullmatch(s) is not None
            for s in stripped]
    content = [i for i, s in enumerate(stripped) if s and not page[i]]
    if not content:
        return Flow(text)
    starts = [0] * len(lines)
    for i in range(1, len(lines)):
        starts[i] = starts[i - 1] + len(lines[i - 1]) + 1
    widths = sorted(_width(stripped[i]) for i in content)
    full = widths[(len(widths) * 3) // 4] * _FULL_SHARE  # the upper quartile: the width of wrapped lines
    soft = [_soft(lines[p], stripped[p], lines[q], full, any(page[p + 1 : q]), q > p + 1)
            for p, q in pairwise(content)]
    page_spans = [(starts[i] + lines[i].index(stripped[i][0]), starts[i] + len(lines[i].rstrip()))
                  for i in range(len(lines)) if page[i]]
    if not any(soft) and not page_spans:
        return Flow(text)
    pieces: list[tuple[int, int]] = []  # original spans copied into the flow, in order
    _between(pieces, lines, starts, page, -1, content[0])
    for k, i in enumerate(content):
        joined_before = k > 0 and soft[k - 1]
        joined_after = k < len(soft) and soft[k]
        line = lines[i]
        a = starts[i] + (len(line) - len(line.lstrip()) if joined_before else 0)
        b = starts[i] + (len(line.rstrip()) if joined_after else len(line))
        pieces.append((a, b))
        if not joined_after:
            _between(pieces, lines, starts, page, i, content[k + 1] if k + 1 < len(content) else len(lines))
    flow = "".join(text[a:b] for a, b in pieces)
    origin = [pos for a, b in pieces for pos in range(a, b)]
    origin.append(len(text))  # the end of the text maps to the end
    return Flow(flow, origin, page_spans)


def _runs_on(text: str) -> bool:
    """Some line may run on into the next: it ends no sentence or clause and is no heading or short line."""
    for line in text.split("\n")[:-1]:
        if len(line) >= _WRAPPED_MIN and line[-1] not in _ENDS:  # most lines end a sentence: skipped fast
            line = line.strip()
            if len(line) >= _WRAPPED_MIN and line[-1] not in _ENDS and not _is_heading(line):
                return True
    return False


def _has_page_line(text: str, page_line: re.Pattern[str] | None, page_scan: re.Pattern[str] | None) -> bool:
    if page_line is None:
        return False
    if page_scan is None:
        return any(page_line.fullmatch(line.strip()) for line in text.split("\n"))
    first = text[: text.find("\n")].strip()
    return page_scan.search(text) is not None or page_line.fullmatch(first) is not None


def _soft(before: str, before_stripped: str, after: str, full: float, over_page: bool, over_blank: bool) -> bool:
    """The line end after ``before`` (and before ``after``) is inside a sentence."""
    if before_stripped[-1] in _ENDS or _width(before_stripped) < full or _is_heading(before):
        return False
    if SUBHEAD.match(after) is not None:
        return False
    return over_page or not over_blank  # a blank line is a paragraph break, unless a page ends there


def _between(pieces: list[tuple[int, int]], lines: list[str], starts: list[int], page: list[bool], i: int, j: int) -> None:
    """Keep the line ends (and blank lines) between content lines i and j as written, page lines left out."""
    if i >= 0 and i < len(lines) - 1:
        pieces.append((starts[i] + len(lines[i]), starts[i] + len(lines[i]) + 1))
    for m in range(i + 1, j):
        end = starts[m] + len(lines[m]) + (1 if m < len(lines) - 1 else 0)
        pieces.append((starts[m] + len(lines[m]) if page[m] else starts[m], end))
