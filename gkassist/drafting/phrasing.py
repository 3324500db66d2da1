"""Building blocks of template drafts: segments, paragraphs, deterministic phrase variation.

A draft is a list of blocks (a heading line or a paragraph of segments). Segments that come
from free text staff or last year's report wrote are *optional*: if the number checker flags
anything inside one, the template drafter leaves it out and says so in a note.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeGuard

from gkassist.cells import Number
from gkassist.drafting.facts import ReportFacts, fmt

NUMERALS = "一二三四五六七八九十"


@dataclass
class Seg:
    text: str
    optional: bool = False
    origin: str = ""  # Chinese description of where optional text came from
    needs_optional: bool = False  # a lead-in that only makes sense while some optional text remains


@dataclass
class Block:
    heading: str | None = None  # a line such as （一）主动公开
    segs: list[Seg] = field(default_factory=list)
    fallback: list[Seg] = field(default_factory=list)  # used when every optional segment was dropped
    # a sub-heading written only while the block keeps some text, its numeral （二） given at render
    numbered_title: str | None = None

    def add(self, text: str | None, *, optional: bool = False, origin: str = "", needs_optional: bool = False) -> None:
        if text:
            self.segs.append(Seg(text, optional, origin, needs_optional))

    def add_fallback(self, text: str) -> None:
        self.fallback.append(Seg(text))

    def kept(self, dropped: set[int]) -> list[Seg]:
        kept = [s for s in self.segs if id(s) not in dropped]
        had_optional = any(s.optional for s in self.segs)
        if had_optional and not any(s.optional for s in kept):
            return [s for s in kept if not s.needs_optional] + self.fallback
        return kept


@dataclass
class Rendered:
    text: str
    spans: list[tuple[int, int, Seg]]  # character span of every segment in ``text``


def render(blocks: Sequence[Block], dropped: set[int]) -> Rendered:
    """Join blocks into section text; segments whose id() is in ``dropped`` are left out."""
    lines: list[str] = []
    spans: list[tuple[int, int, Seg]] = []
    pos = 0
    numeral = 0
    for block in blocks:
        kept = block.kept(dropped)
        heading = block.heading
        if block.numbered_title is not None:
            if not kept:
                continue  # nothing left to say under it: no empty sub-heading
            heading = f"（{NUMERALS[numeral]}）{block.numbered_title}"
        if heading is not None:
            numeral += 1
            lines.append(heading)
            pos += len(heading) + 1
        if not kept:
            continue
        line = ""
        for seg in kept:
            spans.append((pos + len(line), pos + len(line) + len(seg.text), seg))
            line += seg.text
        lines.append(line)
        pos += len(line) + 1
    return Rendered("\n".join(lines), spans)


class Variation:
    """Deterministic choices seeded by the report's data, so two reports with different data
    get different wording, and the same report always gets the same draft."""

    def __init__(self, *parts: object) -> None:
        digest = hashlib.sha256(repr(parts).encode("utf-8")).digest()
        self._rng = random.Random(int.from_bytes(digest[:8], "big"))

    def pick(self, options: Sequence[str]) -> str:
        return options[self._rng.randrange(len(options))]

    def sample(self, options: Sequence[str], k: int) -> list[str]:
        return self._rng.sample(list(options), min(k, len(options)))


def seed_of(facts: ReportFacts, section: str) -> Variation:
    return Variation(
        section,
        facts.agency,
        facts.year,
        facts.format_id,
        facts.table_two,
        facts.applications,
        facts.appeals,
        [(d.label, str(d.value), d.unit) for d in facts.declared],
        facts.fee,
        sorted(facts.highlights.items()),
    )


_SELF = (
    ("街道办事处", "本街道"),
    ("人民政府办公室", "我办"),
    ("人民政府", ""),  # resolved below by the level of government
    ("委员会", "我委"),
    ("办公室", "我办"),
    ("管理局", "我局"),
    ("局", "我局"),
    ("委", "我委"),
    ("厅", "我厅"),
    ("办", "我办"),
    ("中心", "我中心"),
    ("院", "我院"),
    ("署", "我署"),
)
_GOV_LEVEL = re.compile(r"([省市区县旗乡镇])人民政府$")


def self_reference(agency: str) -> str:
    """How the agency refers to itself in the narrative (我局, 我委, 本县 …)."""
    name = agency.strip()
    for suffix, ref in _SELF:
        if name.endswith(suffix):
            if ref:
                return ref
            m = _GOV_LEVEL.search(name)
            return f"本{m.group(1)}" if m else "本机关"
    return "本机关"


def n(value: Number) -> str:
    return fmt(value)


def positive(value: Number | None) -> TypeGuard[Number]:
    """A number greater than zero (blank, "/" and 0 are not)."""
    return value is not None and value > 0


_SENTENCE_END = re.compile(r"(?<=[。！？!?])|\n+")
_LEADING_MARK = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[、.．])\s*")
_INSTRUCTION_LIKE = re.compile(
    r"忽略|无视|不要理会|ignore|system\s*prompt|提示词|系统指令|(?:请|你)(?:把|将)[^。；]*(?:写成|写为|改为|改成)",
    re.IGNORECASE,
)


def looks_like_instruction(text: str) -> bool:
    """Highlight text that addresses a writer or model rather than reporting work."""
    return bool(_INSTRUCTION_LIKE.search(text))


def split_sentences(text: str) -> list[str]:
    """Staff free text as sentences, each ending with full-width punctuation."""
    out: list[str] = []
    for raw in _SENTENCE_END.split(text):
        s = _LEADING_MARK.sub("", raw.strip())
        if not s or not any("\u4e00" <= ch <= "\u9fff" for ch in s):
            continue
        s = s.rstrip("；;，,、 ")
        if not s.endswith(("。", "！", "？")):
            s += "。"
        out.append(s)
    return out


def join_items(items: Sequence[str], sep: str = "，") -> str:
    return sep.join(i for i in items if i)
