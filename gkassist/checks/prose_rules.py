"""Whether a text is report prose at all, beyond its numbers.

P1: the prompt echoed back (its instructions, the facts block, its tags), in any text.
P2: not Chinese prose about this work: mostly not Chinese, or mostly sentences that share no word
    with the vocabulary of such reports (too few of its words in the whole text).
P3: the same sentence written twice.
P4: a required part of the section is missing (the five aspects of 一, the problems and the
    measures of 五).
P2–P4 judge only a drafter's candidate (``drafts_only``): a published report may be written
otherwise. Their errors, and P1's, mean a candidate is no draft (``rejects_draft``).
Word lists and thresholds are in the rule files (rules/checks/P*.yaml).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import cache

from gkassist.checks.registry import compose_finding, implements, make_finding, section_scope
from gkassist.checks.spec import RuleSpec
from gkassist.findings import Finding, Location
from gkassist.model import NARRATIVE_SECTIONS, Report
from gkassist.names import OPENING

_SENTENCE = re.compile(r"[^。！？!?；;\n]+")
_ADDRESS = re.compile(r"(?:https?://|www\.)[\x21-\x7e]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
# a sub-heading marker: （一） (一) 一、 1. 1、 （1）
_HEADING_MARK = re.compile(r"(?:[（(][一二三四五六七八九十]{1,2}[）)]|[一二三四五六七八九十]{1,2}、|\d{1,2}\s*[.、．]|[（(]\d{1,2}[）)])")
_HEADING_WINDOW = 16  # characters after a marker (or at the start of a short line) that name the heading


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LETTER = re.compile(r"[^\W\d_\u3400-\u4dbf\u4e00-\u9fff]")  # a letter that is not a Chinese character


def cjk_count(text: str) -> int:
    return len(_CJK.findall(text))


def _scoped_texts(report: Report, with_opening: bool) -> Iterator[tuple[str, str]]:
    """(section id, text) of the non-empty narrative parts in this run's scope."""
    scope = section_scope()
    if with_opening and report.meta.opening and (scope is None or "opening" in scope):
        yield OPENING, report.meta.opening
    for sid in NARRATIVE_SECTIONS:
        text = report.section(sid)
        if text.strip() and (scope is None or sid in scope):
            yield sid, text


def _quote(text: str, limit: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# -- P1 the prompt echoed ----------------------------------------------------------------


@cache
def _echo_pattern(instructions: tuple[str, ...], markers: tuple[str, ...], tags: tuple[str, ...]) -> re.Pattern[str]:
    tag = rf"<\s*/?\s*(?:{_alternatives(tags)})\s*/?\s*>"
    return re.compile(rf"{_alternatives(instructions)}|{_alternatives(markers)}|{tag}", re.IGNORECASE)


# a line of the facts block: "- 行政复议总计：4件", "- 收取信息处理费：未申报金额"
_FACT_LINE = re.compile(r"^\s*[-•·*]\s*[^：:\n]{2,40}[：:]\s*\S", re.M)


@implements("P1", phrases=("instructions", "facts_markers", "tags"))
def p1_prompt_echo(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    words = spec.phrases
    pattern = _echo_pattern(words["instructions"], words["facts_markers"], words["tags"])
    min_fact_lines = int(spec.limits["min_fact_lines"])
    for sid, text in _scoped_texts(report, with_opening=True):
        hits = [(m.start(), m.end()) for m in pattern.finditer(text)]
        fact_lines = [(m.start(), m.end()) for m in _FACT_LINE.finditer(text)]
        if len(fact_lines) >= min_fact_lines:
            hits.extend(fact_lines)
        if not hits:
            continue
        hits.sort()
        start, end = hits[0]
        found = "、".join(dict.fromkeys(f"“{_quote(text[s:e], 16)}”" for s, e in hits[:3]))
        yield make_finding(spec, Location(section=sid, start=start, end=end), found=found, count=len(hits))


# -- P2 not Chinese prose ------------------------------------------------------------------


@cache
def _topic_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(_alternatives(terms))


def chinese_share(text: str) -> tuple[int, float]:
    """(letters judged, share of them that are Chinese), web and e-mail addresses left out."""
    text = _ADDRESS.sub(" ", text)
    cjk, latin = cjk_count(text), len(_LETTER.findall(text))
    total = cjk + latin
    return total, (cjk / total if total else 1.0)


def off_topic_sentences(text: str, topic: re.Pattern[str], min_chars: int) -> tuple[int, list[re.Match[str]]]:
    """(Chinese characters in the sentences judged, the sentences that share no word with the
    report's vocabulary). Sentences shorter than ``min_chars`` Chinese characters (headings,
    "无。") are not judged."""
    judged = 0
    off: list[re.Match[str]] = []
    for m in _SENTENCE.finditer(text):
        n = cjk_count(m.group())
        if n < min_chars:
            continue
        judged += n
        if topic.search(m.group()) is None:
            off.append(m)
    return judged, off


def topic_density(text: str, topic: re.Pattern[str]) -> float:
    """Share of the Chinese characters that belong to a word of the report's vocabulary."""
    total = cjk_count(text)
    return sum(len(m.group()) for m in topic.finditer(text)) / total if total else 1.0


@implements("P2", cases=("not_chinese",), phrases=("topic_terms",))
def p2_not_prose(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    limits = spec.limits
    topic = _topic_pattern(spec.phrases["topic_terms"])
    agency = report.meta.agency or ""
    for sid, raw in _scoped_texts(report, with_opening=False):
        # the agency's own name says nothing about the text ("工业和信息化局" holds 信息)
        text = raw.replace(agency, "\u3000" * len(agency)) if agency else raw
        letters, share = chinese_share(text)
        if letters < limits["min_letters"]:
            continue
        if share < limits["min_chinese_share"]:
            yield compose_finding(spec, Location(section=sid), {"share": f"{share:.0%}"}, case="not_chinese")
            continue
        judged, off = off_topic_sentences(text, topic, int(limits["min_sentence_chars"]))
        off_share = sum(cjk_count(m.group()) for m in off) / judged if judged else 0.0
        density = topic_density(text, topic)
        if off_share > limits["max_off_topic_share"] or density < limits["min_topic_density"]:
            first = off[0] if off else next(_SENTENCE.finditer(raw))
            yield make_finding(
                spec, Location(section=sid, start=first.start(), end=first.end()),
                share=f"{off_share:.0%}", density=f"{density:.0%}", example=_quote(raw[first.start() : first.end()]),
            )


# -- P3 repeated sentences ---------------------------------------------------------------

_NOT_WORD = re.compile(r"[\W_]+")
# an item mark opening a sentence: 1. / （1） / 一、 / 一是
_ITEM_MARK = re.compile(r"^\s*(?:\d{1,2}\s*[.、．)）]|[（(][\d一二三四五六七八九十]{1,2}[）)]|[一二三四五六七八九十]{1,2}[是、])")


def repeated_sentences(text: str, min_chars: int) -> Iterator[tuple[re.Match[str], int]]:
    """Each sentence (of at least ``min_chars`` Chinese characters) written again, at its second
    occurrence, with how often it occurs. Punctuation, spacing and item marks do not matter."""
    seen: Counter[str] = Counter()
    reported: set[str] = set()
    matches = list(_SENTENCE.finditer(text))
    keys = [_NOT_WORD.sub("", _ITEM_MARK.sub("", m.group())) for m in matches]
    totals = Counter(keys)
    for m, key in zip(matches, keys, strict=True):
        if cjk_count(key) < min_chars:
            continue
        seen[key] += 1
        if seen[key] == 2 and key not in reported:
            reported.add(key)
            yield m, totals[key]


@implements("P3")
def p3_repeated_sentences(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    min_chars = int(spec.limits["min_sentence_chars"])
    for sid, text in _scoped_texts(report, with_opening=False):
        for m, count in repeated_sentences(text, min_chars):
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            yield make_finding(
                spec, Location(section=sid, start=start, end=m.end()), sentence=_quote(m.group().strip()), count=count
            )


# -- P4 required parts ---------------------------------------------------------------------

OVERVIEW_HEADINGS = tuple(f"overview_heading_{i}" for i in range(1, 6))


def heading_positions(text: str) -> list[int]:
    """Where sub-headings start: after an item mark at the start of a line or of a sentence,
    or a short line without a full stop (a heading on its own line)."""
    starts: list[int] = []
    for m in _HEADING_MARK.finditer(text):
        before = text[: m.start()].rstrip(" \t\u3000")
        if not before or before[-1] in "。；;！？!?\n：:":
            starts.append(m.end())
    for line in re.finditer(r"[^\n]+", text):
        body = line.group().strip()
        if body and len(body) <= _HEADING_WINDOW and "。" not in body:
            starts.append(line.start())
    return starts


def headed_aspects(text: str, aspects: list[tuple[str, ...]]) -> list[bool]:
    """For each aspect (its words, the first is its name): is one of its words in a sub-heading?"""
    starts = heading_positions(text)
    windows = [text[s : s + _HEADING_WINDOW] for s in starts]
    return [any(w in window for w in words for window in windows) for words in aspects]


@implements(
    "P4",
    cases=("partial",),
    phrases=(*OVERVIEW_HEADINGS, "overview_formats", "problems_words", "measures_words"),
)
def p4_required_parts(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    words = spec.phrases
    for sid, text in _scoped_texts(report, with_opening=False):
        where = Location(section=sid)
        if sid == "s1" and report.meta.format in words["overview_formats"]:
            aspects = [words[key] for key in OVERVIEW_HEADINGS]
            headed = headed_aspects(text, aspects)
            if all(headed):
                continue
            named = sum(any(w in text for w in a) for a in aspects)
            missing = "、".join(f"“{a[0]}”" for a, ok in zip(aspects, headed, strict=True) if not ok)
            values = {"missing": missing, "found": sum(headed), "expected": len(aspects)}
            if named < spec.limits["min_overview_aspects"]:  # the aspects are not even named: no structure
                yield compose_finding(spec, where, values)
            else:
                yield compose_finding(spec, where, values, case="partial")
        elif sid == "s5":
            parts = {"存在的问题": words["problems_words"], "改进措施": words["measures_words"]}
            absent = [name for name, ws in parts.items() if not any(w in text for w in ws)]
            if absent:
                missing = "、".join(f"“{name}”" for name in absent)
                yield compose_finding(
                    spec, where, {"missing": missing, "found": len(parts) - len(absent), "expected": len(parts)}
                )
