"""No fact is stated twice in a template draft: whatever figure of the draft a clerk's highlight
repeats, in whichever aspect, the figure is written in no more sentences than before (one
sentence carries it), and the table 二 facts of 行政规范性文件 sit in one sub-section only."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

import pytest

from gkassist.drafting import draft_section
from gkassist.drafting.repeats import facts_of
from gkassist.model import Report
from gkassist.names import aspects
from tests.test_drafting_golden import _reports

_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")


def sentences_with(text: str, fact: str) -> int:
    return sum(1 for s in _SENTENCE.findall(text) if fact in facts_of(s))


@cache
def base_reports() -> dict[str, Report]:
    reports = _reports()
    for r in reports.values():
        r.highlights = {}  # the draft before any highlight
    return reports


def _draft(report: Report) -> str:
    return draft_section(report, "s1", "template").result.text


@cache
def base_draft(name: str) -> str:
    return _draft(base_reports()[name])


def _cases() -> list[tuple[str, str, str]]:
    """(report, the clause of the base draft stating a figure, the figure), for every figure."""
    out = []
    for name in base_reports():
        seen: set[str] = set()
        for sentence in _SENTENCE.findall(base_draft(name)):
            for clause in re.split(r"[，；（）、]", sentence):
                for fact in sorted(facts_of(clause) - seen):
                    seen.add(fact)
                    out.append((name, clause.strip("。"), fact))
    return out


CASES = _cases()


def test_there_are_cases() -> None:
    assert len(CASES) > 30


@pytest.mark.parametrize(("name", "clause", "fact"), CASES, ids=[f"{n}-{f}" for n, _c, f in CASES])
def test_a_highlight_repeating_a_figure_does_not_state_it_twice(name: str, clause: str, fact: str) -> None:
    report = base_reports()[name].model_copy(deep=True)
    aspect = aspects()[hash(fact) % len(aspects())]  # any aspect: the rule is section-wide
    report.highlights[aspect] = f"{clause}，相关工作按计划推进。"
    result = draft_section(report, "s1", "template").result
    before = base_draft(name)
    for figure in facts_of(result.text):
        assert sentences_with(result.text, figure) <= max(1, sentences_with(before, figure)), (figure, result.text)
    # the figure is still said, by the template or by the highlight, and a left-out highlight is explained
    assert sentences_with(result.text, fact) >= 1
    if clause not in result.text:
        assert any(clause[:10] in o.excerpt or o.excerpt.rstrip("…") in clause for o in result.omissions)


def test_the_issues_example_one_sentence_carries_82() -> None:
    report = base_reports()["example-2021"].model_copy(deep=True)
    report.declared[0] = report.declared[0].model_copy(update={"label": "发布各类信息", "value": Decimal("82")})
    report.highlights["主动公开"] = "通过门户网站和政务新媒体发布各类信息82条，及时回应社会关切。"
    text = draft_section(report, "s1", "template").result.text
    assert text.count("82条") == 1 and "通过门户网站和政务新媒体发布各类信息82条" in text


@pytest.mark.parametrize("name", sorted(base_reports()))
def test_normative_document_figures_are_in_one_sub_section(name: str) -> None:
    text = base_draft(name)
    parts = re.split(r"\n（[一二三四五]）", text)
    for word in ("废止", "现行有效"):
        assert sum(1 for p in parts if word in p) <= 1, (word, text)
