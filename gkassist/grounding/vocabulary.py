"""The phrase → quantity vocabulary (rules/vocabulary.yaml), loaded and compiled.

The file is data maintained by policy staff; loading validates it completely (the schema:
vocab_schema.py). The compiled form (regexes, resolved cells) is built once and cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from gkassist.grounding.regexes import alternation, gated
from gkassist.grounding.vocab_schema import (
    CLAUSE_DELIMS,
    GAP_MARK,
    SENTENCE_DELIMS,
    ApproxWords,
    CellAddress,
    CellList,
    SubUnitWords,
    Vocabulary,
    WholeSetWords,
    per_format,
    resolve_cell,
)
from gkassist.paths import rules_dir
from gkassist.yamlio import load_model

__all__ = ["CLAUSE_DELIMS", "GAP_MARK", "SENTENCE_DELIMS", "CellAddress", "Vocabulary", "resolve_cell"]

# ---------------------------------------------------------------- compiled form


@dataclass(frozen=True, slots=True)
class CompiledAlso:
    key: str  # cache key of its evaluation: quantity id + index
    label: str
    cells: dict[str, tuple[CellAddress, ...]]
    unless: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CompiledOutcome:
    key: str  # cache key of its evaluation: quantity id + outcome
    label: str
    cells: dict[str, tuple[CellAddress, ...]]


@dataclass(frozen=True, slots=True)
class CompiledQuantity:
    index: int
    id: str
    label: str
    exclude: tuple[str, ...]
    context: tuple[str, ...]
    near: tuple[str, ...]
    within: str | None
    subject: tuple[str, ...]
    rival: tuple[str, ...]
    cells: dict[str, tuple[CellAddress, ...]]  # format id → cells to sum
    outcomes: dict[str, CompiledOutcome]
    outcome_whole: CompiledOutcome | None
    declared: tuple[str, ...]
    share_of: str | None
    units: tuple[str, ...]
    also: tuple[CompiledAlso, ...] = ()
    exclude_re: re.Pattern[str] | None = None
    avoid_re: re.Pattern[str] | None = None
    context_re: re.Pattern[str] | None = None
    near_re: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class PhraseTarget:
    quantity: str
    specificity: int  # number of literal characters: more is more specific
    base_only: bool  # only a share's denominator


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str
    literal: str | None  # the phrase itself when it has no gap
    regex: re.Pattern[str] | None  # for phrases with a gap
    targets: tuple[PhraseTarget, ...]
    quantities: tuple[CompiledQuantity, ...] = ()  # the quantity of each target, in the same order


@dataclass(slots=True)  # one per phrase occurrence: not frozen, which is faster to create
class PhraseHit:
    start: int
    end: int
    phrase: Phrase


@dataclass(frozen=True, slots=True)
class CompiledVocabulary:
    source: Vocabulary
    quantities: dict[str, CompiledQuantity]
    phrase_start_re: re.Pattern[str]  # the first literal part of every phrase, longest first
    phrases_by_start: dict[str, tuple[Phrase, ...]]  # first part matched → every phrase starting with a prefix of it
    exempt_re: re.Pattern[str]  # one named group per exempt rule
    exempt_reasons: dict[str, str]  # group name → reason (exempt places and words after a number)
    exempt_after_re: re.Pattern[str] | None  # match(text, numeral end): words that make the number no figure
    not_between_re: re.Pattern[str] | None
    zero_re: re.Pattern[str]
    zero_verb_re: re.Pattern[str] | None  # match(text, negator end): a verb that may follow the negator
    zero_suffix_re: re.Pattern[str] | None
    whole_set_re: re.Pattern[str] | None  # the words of every whole_set entry
    whole_set_of: dict[str, WholeSetWords]  # the entry of each of those words
    part_markers_re: re.Pattern[str] | None
    condition_markers_re: re.Pattern[str] | None
    share_re: re.Pattern[str] | None
    change_compare_re: re.Pattern[str]
    change_up_re: re.Pattern[str]
    change_down_re: re.Pattern[str]
    change_signed_re: re.Pattern[str]  # compare or signed words: a negative count after them is a change
    approx: ApproxWords
    approx_before_re: re.Pattern[str]  # search(text, start - 4, start): a word ending right before a number
    approx_after_re: re.Pattern[str]  # match(text, end): a word right after a number and its unit
    several_before_re: re.Pattern[str] | None  # search(text, start - 4, start): 数/几/上 right before a magnitude
    several_unless_re: re.Pattern[str] | None  # the same, for the words that own that character (总数, 以上)
    page_line_re: re.Pattern[str] | None  # fullmatch(stripped line): the line holds only a page number
    page_scan_re: re.Pattern[str] | None  # search(text): a page-number line after a line end
    sub_unit_marker_re: re.Pattern[str] | None
    sub_unit_re: re.Pattern[str] | None  # an organisation word, with the word before it in group "own"

    def phrase_hits(self, text: str, regions: list[tuple[int, int]] | None = None) -> list[PhraseHit]:
        """Every occurrence of every phrase, overlapping ones included, in order of start.

        ``regions``: sorted, non-overlapping (start, end) ranges to look in, each ending at a clause
        delimiter or the end of the text (a phrase never crosses one); None: the whole text.
        """
        hits: list[PhraseHit] = []
        by_start = self.phrases_by_start
        search = self.phrase_start_re.search
        for lo, hi in regions if regions is not None else [(0, len(text))]:
            m = search(text, lo, hi)
            while m is not None:
                pos = m.start()
                for phrase in by_start[m.group()]:
                    if phrase.literal is not None:
                        if text.startswith(phrase.literal, pos):
                            hits.append(PhraseHit(pos, pos + len(phrase.literal), phrase))
                    else:
                        assert phrase.regex is not None
                        pm = phrase.regex.match(text, pos)
                        if pm is not None:
                            hits.append(PhraseHit(pos, pm.end(), phrase))
                m = search(text, pos + 1, hi)  # phrases may overlap: look again from the next character
        return hits


def phrase_regex(phrase: str, gap: int, tails: dict[str, tuple[str, ...]] | None = None) -> str:
    gap_re = f"[^{re.escape(CLAUSE_DELIMS)}]{{0,{gap}}}?"
    body = gap_re.join(re.escape(p) for p in phrase.split(GAP_MARK))
    ending = [chars for word, chars in (tails or {}).items() if phrase.endswith(word)]
    if ending:
        body += "(?![" + re.escape("".join(c for chars in ending for c in chars)) + "])"
    return body


def _needs_regex(phrase: str, tails: dict[str, tuple[str, ...]]) -> bool:
    return GAP_MARK in phrase or any(phrase.endswith(word) for word in tails)


def _compile(vocab: Vocabulary) -> CompiledVocabulary:
    quantities: dict[str, CompiledQuantity] = {}
    targets: dict[str, list[PhraseTarget]] = {}
    for i, q in enumerate(vocab.quantities):
        quantities[q.id] = CompiledQuantity(
            index=i,
            id=q.id,
            label=q.label,
            exclude=q.exclude,
            context=q.context,
            near=q.near,
            within=q.within,
            subject=q.subject,
            rival=q.rival,
            cells=_resolve_all(q.cells),
            outcomes={k: CompiledOutcome(f"{q.id}@{k}", o.label, _resolve_all(o.cells)) for k, o in q.outcomes.items()},
            outcome_whole=(CompiledOutcome(f"{q.id}@whole", q.outcome_whole.label, _resolve_all(q.outcome_whole.cells))
                           if q.outcome_whole is not None else None),
            also=tuple(CompiledAlso(f"{q.id}#{k}", a.label, _resolve_all(a.cells), a.unless) for k, a in enumerate(q.also)),
            declared=q.declared,
            share_of=q.share_of,
            units=q.units,
            exclude_re=re.compile(alternation(q.exclude)) if q.exclude else None,
            avoid_re=re.compile(alternation(q.avoid)) if q.avoid else None,
            context_re=re.compile(alternation(q.context)) if q.context else None,
            near_re=re.compile(alternation(q.near)) if q.near else None,
        )
        for words, base_only in [(p, False) for p in q.phrases] + [(p, True) for p in q.base_phrases]:
            spec = len(words.replace(GAP_MARK, ""))
            targets.setdefault(words, []).append(PhraseTarget(q.id, spec, base_only))
    by_first: dict[str, list[Phrase]] = {}
    for text, tgts in targets.items():
        gap = _needs_regex(text, vocab.word_tails)
        phrase = Phrase(
            text=text,
            literal=None if gap else text,
            regex=re.compile(phrase_regex(text, vocab.gap, vocab.word_tails)) if gap else None,
            targets=tuple(tgts),
            quantities=tuple(quantities[t.quantity] for t in tgts),
        )
        by_first.setdefault(text.split(GAP_MARK)[0], []).append(phrase)
    # One alternation of every first part (longest first): the regex engine skips fast to the
    # characters that start one. At a position it reports the longest first part; the phrases
    # of its shorter prefixes (予以公开 inside 予以公开及部分公开) are attached to it.
    by_start = {
        first: [p for other, phrases in by_first.items() if first.startswith(other) for p in phrases]
        for first in by_first
    }
    phrase_start_re = re.compile(alternation(tuple(by_first)))
    exempt_reasons = {f"e{i}": rule.reason for i, rule in enumerate(vocab.exempt)}
    exempt_reasons.update({f"a{i}": rule.reason for i, rule in enumerate(vocab.exempt_after)})
    after_body = "|".join(f"(?P<a{i}>{rule.pattern})" for i, rule in enumerate(vocab.exempt_after))
    exempt_body = "|".join(f"(?P<e{i}>{rule.pattern})" for i, rule in enumerate(vocab.exempt)) or r"(?!)"
    exempt_re = re.compile(gated(exempt_body, [rule.pattern for rule in vocab.exempt]), re.M)
    zero = vocab.zero
    whole_set_of = {word: entry for entry in vocab.whole_set for word in entry.words}
    page_line_re, page_scan_re = _page_line_res(vocab.page_lines)
    return CompiledVocabulary(
        source=vocab,
        quantities=quantities,
        phrase_start_re=phrase_start_re,
        phrases_by_start={k: tuple(v) for k, v in by_start.items()},
        exempt_re=exempt_re,
        exempt_reasons=exempt_reasons,
        exempt_after_re=re.compile(after_body) if after_body else None,
        not_between_re=re.compile(alternation(vocab.not_between)) if vocab.not_between else None,
        zero_re=re.compile(alternation(zero.negators)),
        zero_verb_re=re.compile(alternation(zero.verbs)) if zero.verbs else None,
        zero_suffix_re=re.compile(f"(?:{alternation(zero.suffixes)})") if zero.suffixes else None,
        whole_set_re=re.compile(alternation(tuple(whole_set_of))) if whole_set_of else None,
        whole_set_of=whole_set_of,
        part_markers_re=re.compile(alternation(vocab.part_markers)) if vocab.part_markers else None,
        condition_markers_re=re.compile(alternation(vocab.condition_markers)) if vocab.condition_markers else None,
        share_re=re.compile(alternation(vocab.share_markers)) if vocab.share_markers else None,
        change_compare_re=re.compile(alternation(vocab.change.compare)),
        change_up_re=re.compile(alternation(vocab.change.up)),
        change_down_re=re.compile(alternation(vocab.change.down)),
        change_signed_re=re.compile(alternation((*vocab.change.compare, *vocab.change.signed))),
        approx=vocab.approx,
        approx_before_re=re.compile(_named_words(
            over=vocab.approx.over_before, about=vocab.approx.about_before, suffix=r"\Z")),
        approx_after_re=re.compile(_named_words(
            over=tuple(w for w in vocab.approx.over_after if len(w) > 1),
            about=tuple(w for w in vocab.approx.about_after if len(w) > 1))),
        several_before_re=_ending(vocab.approx.several_before),
        several_unless_re=_ending(vocab.approx.several_unless),
        page_line_re=page_line_re,
        page_scan_re=page_scan_re,
        sub_unit_marker_re=re.compile(alternation(vocab.sub_unit.markers)) if vocab.sub_unit.markers else None,
        sub_unit_re=_sub_unit_re(vocab.sub_unit),
    )


def _resolve_all(cells: CellList) -> dict[str, tuple[CellAddress, ...]]:
    return {fmt: tuple(a for ref in refs for a in resolve_cell(fmt, ref)) for fmt, refs in per_format(cells).items()}


def _page_line_res(patterns: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """(fullmatch on a stripped line, search in a text for such a line after a line end)."""
    if not patterns:
        return None, None
    body = "|".join(f"(?:{p})" for p in patterns)
    space = r"[ \t\u3000\f\r]*"
    return re.compile(body), re.compile(rf"\n{space}(?:{body}){space}(?=\n|\Z)")


def _sub_unit_re(words: SubUnitWords) -> re.Pattern[str] | None:
    if not words.units:
        return None
    own = f"(?P<own>{alternation(words.own)})?" if words.own else "(?P<own>(?!))?"
    return re.compile(f"{own}(?:{alternation(words.units)})")


def _ending(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """search(text, lo, pos) finds one of the words ending right at pos."""
    return re.compile(f"(?:{alternation(words)})\\Z") if words else None


def _named_words(over: tuple[str, ...], about: tuple[str, ...], suffix: str = "") -> str:
    parts = [f"(?P<{name}>{alternation(words)}){suffix}" for name, words in (("over", over), ("about", about)) if words]
    return "|".join(parts) or r"(?!)"


def load_vocabulary_model() -> Vocabulary:
    return load_model(rules_dir() / "vocabulary.yaml", Vocabulary)


@cache
def load_vocabulary() -> CompiledVocabulary:
    """The validated, compiled vocabulary (cached; call ``load_vocabulary.cache_clear()`` after editing)."""
    return _compile(load_vocabulary_model())
