"""Find the six parts of a report as published: their headings, wherever they stand.

A heading may open a line ("一、总体情况"), stand inside running text with its body
straight after it ("…质效。二、主动公开政府信息情况第二十条…", archive crawlers and
pdftotext without -layout), use a variant title (rules/aliases.yaml), be misprinted
("四、政府信息公开行政法复议、行政诉讼情况", matched by similarity), or lack its number
("总体情况" on a line of its own).

Numbered titles also occur where they are not the report's parts: an opening paragraph or
a side menu listing the parts, or a 总体情况 section numbering its own sub-parts. So every
possible heading is collected first and one heading per part is chosen afterwards: the
parts come in order 一…六, and the labels of tables 二/三/四 must fall inside their own
part. The chosen headings are then cut out of their lines, so that every part starts on a
line of its own.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise

from gkassist.importers.normalise import SECTION_KEYS, SectionKey, keyed, load_aliases, match_key, section_title_keys
from gkassist.importers.scan import label_spans
from gkassist.importers.tokens import Line, anchor_keys

TABLE_SECTIONS: tuple[SectionKey, ...] = ("s2", "s3", "s4")
NUMERALS = "一二三四五六七八九十"
_START = re.compile(r"^[#*>\s]*第?([一二三四五六七八九十])(?:部分)?\s*[、,，.．:：\s]\s*")
_INLINE = re.compile(r"([一二三四五六])[、,，.．]")
_BOUNDARY = set("。！？!?；;：:）)」』”\"'】") | set("0123456789０１２３４５６７８９ \t\u3000\xa0")
SIMILAR = 0.85  # difflib ratio for a misprinted part title
_WINDOW = 3  # characters more or fewer than a title that a misprinted one may have
_CONTENTS_GAP = 24  # key characters between listed titles in a contents list
_TITLE_SPAN = 60  # characters after a numeral searched for a title
_KEEP = 6  # candidates kept per part at each end of the document


@dataclass(frozen=True)
class Candidate:
    """A place where a part may start: ``line``, the heading's ``start`` and the end of its
    title ``end`` (offsets in the line's text)."""

    section: SectionKey
    line: int
    start: int
    end: int
    numeral: str  # "" when printed without a number
    printed: str
    quality: float
    similar: bool = False
    truncated: bool = False

    @property
    def at(self) -> tuple[int, int]:
        return (self.line, self.start)


@dataclass(frozen=True)
class Parts:
    """The chosen headings and where tables without a heading start, by (line, offset)."""

    headings: dict[SectionKey, Candidate]
    anchors: dict[SectionKey, tuple[int, int]]


def line_text_of(line: Line) -> str | None:
    """The text of a line that could hold a heading: a text line as it is, or the one
    filled cell of a table row. Heading offsets are offsets in this text."""
    if line.cells is None and "|" not in line.text:
        return line.text
    pieces = list(line.cells) if line.cells is not None else line.text.split("|")
    filled = [p.strip() for p in pieces if p.strip()]
    return filled[0] if len(filled) == 1 else None


# ---------------------------------------------------------------------------- candidates


@cache
def _titles() -> tuple[tuple[SectionKey, str], ...]:
    return section_title_keys()


@cache
def _canonical_keys() -> frozenset[str]:
    return frozenset(match_key(t[0]) for t in load_aliases().sections.values())


def candidates(lines: Sequence[Line]) -> list[Candidate]:
    last = max((i for i, ln in enumerate(lines) if (ln.text.strip() or ln.cells)), default=-1)
    ends = _title_ends()
    out: list[Candidate] = []
    for i, line in enumerate(lines):
        raw = line.text if line.cells is None else "".join(line.cells)
        if i != last and not any(end in raw for end in ends):
            continue  # every title ends with one of these words; a cut one only at the end
        text = line_text_of(line)
        if text is None:
            continue
        out.extend(_line_candidates(text, i, i == last))
    return _drop_contents_lists(out, lines)


def _line_candidates(text: str, index: int, last: bool) -> list[Candidate]:
    out: list[Candidate] = []
    m = _START.match(text)
    if m:
        found = _titled(text, index, 0, m.end(), m.group(1), last)
        if found:
            out.append(found)
    elif (bare := _unnumbered(text, index)) is not None:
        out.append(bare)
    if len(text) > 20:
        for im in _INLINE.finditer(text):
            if im.start() == 0 or (m and im.start() < m.end()):
                continue
            if text[im.start() - 1] not in _BOUNDARY:
                continue
            found = _titled(text, index, im.start(), im.end(), im.group(1), False)
            if found:
                out.append(replace(found, quality=found.quality - 0.5))
    return out


def _titled(text: str, index: int, start: int, body: int, numeral: str, last: bool) -> Candidate | None:
    """A numbered heading whose title starts at ``body``."""
    rest = text[body : body + _TITLE_SPAN]
    key, pos = keyed(rest)
    if not key:
        return None
    for section, title in _titles():
        if key.startswith(title):
            end = body + pos[len(title) - 1] + 1
            right = NUMERALS[SECTION_KEYS.index(section)] == numeral
            quality = 10.0 if right else 6.0
            return Candidate(section, index, start, end, numeral, text[start:end], quality)
    if last and len(key) >= 4 and len(key) == len(match_key(text[body:])):
        for section, title in _titles():
            if title.startswith(key):
                return Candidate(section, index, start, len(text), numeral, text[start:], 3.0, truncated=True)
    return _similar(text, index, start, body, numeral, key, pos)


def _similar(text: str, index: int, start: int, body: int, numeral: str, key: str, pos: list[int]) -> Candidate | None:
    """A misprinted title: similar to a title of the part its number says."""
    if numeral not in NUMERALS[:6]:
        return None
    section = SECTION_KEYS[NUMERALS.index(numeral)]
    best: tuple[float, int] = (0.0, 0)
    for title, matcher in _title_matchers(section):
        for size in range(max(4, len(title) - _WINDOW), min(len(key), len(title) + _WINDOW) + 1):
            matcher.set_seq1(key[:size])
            if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
                continue
            ratio = matcher.ratio()
            if ratio > best[0]:
                best = (ratio, size)
    if best[0] < SIMILAR:
        return None
    end = body + pos[best[1] - 1] + 1
    return Candidate(section, index, start, end, numeral, text[start:end], 5.0 + best[0], similar=True)


@cache
def _title_matchers(section: SectionKey) -> tuple[tuple[str, difflib.SequenceMatcher[str]], ...]:
    """One matcher per title of a part, its title analysed once (set_seq2)."""
    out = []
    for sid, title in _titles():
        if sid == section:
            matcher: difflib.SequenceMatcher[str] = difflib.SequenceMatcher(None, autojunk=False)
            matcher.set_seq2(title)
            out.append((title, matcher))
    return tuple(out)


def _unnumbered(text: str, index: int) -> Candidate | None:
    """A part title on a line of its own without its number ('总体情况')."""
    if len(text) > 60 or not any(end in text for end in _title_ends()):
        return None
    clean = text.strip().strip("#*> ").rstrip(":：")
    section = _title_sections().get(match_key(clean))
    return None if section is None else Candidate(section, index, 0, len(text), "", clean, 4.0)


@cache
def _title_ends() -> frozenset[str]:
    return frozenset(title[-2:] for _, title in _titles())


@cache
def _title_sections() -> dict[str, SectionKey]:
    return {title: section for section, title in reversed(_titles())}


def _drop_contents_lists(found: list[Candidate], lines: Sequence[Line]) -> list[Candidate]:
    """Titles listed one after another with hardly anything between them are a table of
    contents or a side menu: three or more of them, or two that both appear again later."""
    runs: list[list[Candidate]] = []
    for c in found:
        if runs and _close(runs[-1][-1], c, lines):
            runs[-1].append(c)
        else:
            runs.append([c])
    kept: list[Candidate] = []
    later: set[SectionKey] = set()  # sections of the runs after this one
    for run in reversed(runs):
        if not (len(run) >= 3 or (len(run) >= 2 and all(c.section in later for c in run))):
            kept[:0] = run
        later.update(c.section for c in run)
    return kept or found


def _close(a: Candidate, b: Candidate, lines: Sequence[Line]) -> bool:
    if a.line == b.line:
        between = lines[a.line].text[a.end : b.start]
        return len(match_key(between)) <= _CONTENTS_GAP
    if a.start > 0 or b.start > 0:  # a list inside a sentence ends with its line
        return False
    if b.line != a.line + 1 and any((lines[i].text.strip() or lines[i].cells) for i in range(a.line + 1, b.line)):
        return False
    tail = (line_text_of(lines[a.line]) or "")[a.end :]
    head = (line_text_of(lines[b.line]) or "")[: b.start]
    return not match_key(tail) and not match_key(head)


# ---------------------------------------------------------------------------- anchors


def table_anchors(lines: Sequence[Line]) -> dict[SectionKey, tuple[int, int]]:
    """Where the labels of each table first appear, as (line, offset)."""
    keys = {tid: anchor_keys(tid) for tid in TABLE_SECTIONS}
    every = frozenset().union(*keys.values())
    found: dict[SectionKey, tuple[int, int]] = {}
    for i, line in enumerate(lines):
        for at, key in _labels(line):
            if key not in every:
                continue
            for tid in TABLE_SECTIONS:
                if tid not in found and key in keys[tid]:
                    found[tid] = (i, at)
        if len(found) == len(TABLE_SECTIONS):
            break
    return found


def _labels(line: Line) -> list[tuple[int, str]]:
    """(offset, key) of the table labels of a line."""
    text = line.text if line.cells is None else " ".join(line.cells)
    key = match_key(text)
    if len(key) < 4 or not _anchor_probe().search(key):
        return []
    if line.cells is not None or "|" in text or "\t" in text:
        pieces = line.cells if line.cells is not None else re.split(r"[|\t]", text)
        return [(0, match_key(p)) for p in pieces if p.strip()]
    return [(s, match_key(text[s:e])) for s, e in label_spans(text)]


@cache
def _anchor_probe() -> re.Pattern[str]:
    keys = sorted(frozenset().union(*(anchor_keys(t) for t in TABLE_SECTIONS)), key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys))


# ---------------------------------------------------------------------------- choice


def choose(found: list[Candidate], anchors: dict[SectionKey, tuple[int, int]]) -> dict[SectionKey, Candidate]:
    """One heading per part: parts in order, as certain as possible, with each table's
    labels inside its own part."""
    order = sorted(_few(found), key=lambda c: (c.at, -c.quality))
    scored = [(c, _score(c, anchors, k, order)) for k, c in enumerate(order)]
    memo: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {}

    def best(section: int, after: int) -> tuple[float, tuple[int, ...]]:
        """Best choice for the parts from ``section`` on, using candidates after ``after``."""
        if section == len(SECTION_KEYS):
            return 0.0, ()
        hit = memo.get((section, after))
        if hit is not None:
            return hit
        result = best(section + 1, after)  # this part has no heading
        sid = SECTION_KEYS[section]
        for k in range(after + 1, len(scored)):
            cand, score = scored[k]
            if cand.section != sid or score <= 0:
                continue
            if after >= 0 and scored[after][0].at == cand.at:
                continue
            rest_score, rest = best(section + 1, k)
            if score + rest_score > result[0]:
                result = (score + rest_score, (k, *rest))
        memo[(section, after)] = result
        return result

    picked = best(0, -1)[1]
    return {scored[k][0].section: scored[k][0] for k in picked}


def _few(found: list[Candidate]) -> list[Candidate]:
    """At most the first and the last few candidates of each part: the choice only ever
    wants one of those, and hostile text may hold thousands."""
    out: list[Candidate] = []
    for sid in SECTION_KEYS:
        mine = sorted((c for c in found if c.section == sid), key=lambda c: c.at)
        out += mine if len(mine) <= 2 * _KEEP else mine[:_KEEP] + mine[-_KEEP:]
    return out


def _score(c: Candidate, anchors: dict[SectionKey, tuple[int, int]], k: int, order: list[Candidate]) -> float:
    """A candidate's certainty, less a penalty for every table on the wrong side of it, with
    a small preference for the last candidate before a table (a sub-part of 一 may repeat a
    table part's title) and the first one otherwise."""
    own = SECTION_KEYS.index(c.section)
    wrong = 0
    for tid, at in anchors.items():
        t = SECTION_KEYS.index(tid)
        if (t < own and at > c.at) or (t >= own and at < c.at):
            wrong += 1
    rank = k / (len(order) + 1) / 100
    return c.quality - 8 * wrong + (rank if c.section in TABLE_SECTIONS else -rank)


def find_parts(lines: Sequence[Line]) -> Parts:
    found = candidates(lines)
    if _plain(found):  # one exact heading per part, in order: nothing for the tables to decide
        return Parts({c.section: c for c in found}, {})
    anchors = table_anchors(lines)
    headings = choose(found, anchors)
    missing = {tid: at for tid, at in anchors.items() if tid not in headings}
    return Parts(headings, missing)


def _plain(found: list[Candidate]) -> bool:
    """Every part has exactly one heading, with its own number and an accepted title, and
    they come in order."""
    return (
        [c.section for c in found] == list(SECTION_KEYS)
        and all(c.quality == 10.0 for c in found)
        and all(a.at < b.at for a, b in pairwise(found))
    )
