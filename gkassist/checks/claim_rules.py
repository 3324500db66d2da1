"""R2: a text asserts completion or success (整改到位, 均已完成, 总体良好, 取得明显成效 …; the
phrases are in rules/checks/R2.yaml) without a basis the clerk entered.

A basis is: the clerk wrote the same words (in a highlight or in an entered 整改措施/整改结果), or,
for a sentence about last year's problems, an entered 整改结果 for each problem it concerns (all
of them when it names none). A drafter's candidate is always judged; a typed text only when the
report carries the clerk's material to judge it by (highlights, entries, last year's report):
a published report being audited has none, and its own text is its basis.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from gkassist.checks.registry import checking_candidate, implements, make_finding, section_scope
from gkassist.checks.spec import RuleSpec
from gkassist.findings import Finding, Location
from gkassist.last_year.problems import problem_status
from gkassist.last_year.rectifications import rectification_items
from gkassist.model import Rectification, Report, SectionId

SECTIONS: tuple[SectionId, ...] = ("s1", "s5", "s6")
_SENTENCE = re.compile(r"[^。！？!?；;\n]+")


@cache
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _has_material(report: Report) -> bool:
    return bool(report.highlights or report.rectifications or report.last_year is not None)


def _clerk_text(report: Report) -> str:
    parts = [*report.highlights.values()]
    for r in report.rectifications:
        parts += [r.measures, r.result]
    return "\n".join(parts)


def _quote(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _missing_result(sentence: str, items: list[Rectification]) -> list[Rectification] | None:
    """The problems the sentence concerns that have no 整改结果 entered; None when there is no
    problem to concern (no last year's report, nothing entered)."""
    if not items:
        return None
    named = [i for i, s in zip(items, problem_status([i.problem for i in items], sentence), strict=True) if s.addressed]
    return [i for i in (named or items) if not i.result.strip()]


@implements("R2", phrases=("completion", "about_last_year"))
def r2_unsupported_claim(report: Report, spec: RuleSpec) -> Iterator[Finding]:
    if not checking_candidate() and not _has_material(report):
        return
    claims = _pattern(spec.phrases["completion"])
    last_year_words = _pattern(spec.phrases["about_last_year"])
    clerk = _clerk_text(report)
    items: list[Rectification] | None = None
    scope = section_scope()
    for sid in SECTIONS:
        text = report.section(sid)
        if not text.strip() or (scope is not None and sid not in scope):
            continue
        for sentence in _SENTENCE.finditer(text):
            claim = next((m for m in claims.finditer(sentence.group()) if m.group() not in clerk), None)
            if claim is None:
                continue
            if last_year_words.search(sentence.group()):
                items = rectification_items(report) if items is None else items
                missing = _missing_result(sentence.group(), items)
                if missing == []:
                    continue  # every problem it concerns has its 整改结果
                why = (
                    f"但没有填写上年问题{'、'.join(f'「{i.problem}」' for i in missing)}的整改结果"
                    if missing
                    else "但没有填写上年问题的整改结果"
                )
            else:
                why = "但工作亮点中没有这样的依据"
            start = sentence.start() + claim.start()
            yield make_finding(
                spec,
                Location(section=sid, start=start, end=start + len(claim.group())),
                sentence=_quote(sentence.group()),
                phrase=claim.group(),
                why=why,
            )
