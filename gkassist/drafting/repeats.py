"""One sentence per fact in a template draft.

A fact is a figure with its unit as written ("82条", "30件", "3.5万元"). Where a clerk's highlight
and a sentence the template built from the tables or declared figures state the same figure in
one section, only one of them is written: the template's sentence goes when the highlights say
everything it says; otherwise the highlight goes (and the clerk is told why). Years and dates
are not facts of this kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from gkassist.drafting.phrasing import Block, Seg

# a figure and its unit; 年/月/日 after a number make a date, not a figure
_FACT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万元|亿元|元|%|[^\d\s年月日号，。；、：,.;:（）()“”\"'])")


def facts_of(text: str) -> set[str]:
    """The figures with units a sentence states (发布各类信息82条，政策解读3篇 → {82条, 3篇})."""
    return {f"{m.group(1)}{m.group(2)}" for m in _FACT.finditer(text)}


def _facts(segs: Iterable[Seg]) -> set[str]:
    out: set[str] = set()
    for seg in segs:
        out |= facts_of(seg.text)
    return out


def drop_repeated_facts(blocks: Sequence[Block], dropped: set[int]) -> list[tuple[Seg, list[str]]]:
    """Remove, in place, the template's sentences whose every figure a highlight of the section
    states, and return the highlights (optional segments) still repeating a figure of a template
    sentence, each with the figures it repeats, for the caller to leave out and report.
    ``dropped``: segments already left out (they state nothing)."""
    segs = [s for b in blocks for s in b.segs if id(s) not in dropped]
    highlight_facts = _facts(s for s in segs if s.optional)
    if not highlight_facts:
        return []
    for block in blocks:
        block.segs = [
            s for s in block.segs if s.optional or not (facts_of(s.text) and facts_of(s.text) <= highlight_facts)
        ]
    template_facts = _facts(s for b in blocks for s in b.segs if not s.optional)
    repeated: list[tuple[Seg, list[str]]] = []
    for seg in (s for b in blocks for s in b.segs if s.optional and id(s) not in dropped):
        both = sorted(facts_of(seg.text) & template_facts)
        if both:
            repeated.append((seg, both))
    return repeated
