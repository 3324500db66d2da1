"""Last year's problems (from its section 五) and whether this year's 五 addresses them.

Extraction: the part of last year's 五 headed 存在的主要问题 (or the whole section, less any
上年问题整改 and 改进措施 parts) is searched for items "一是……", "1.……" / "（1）……"; failing
that, sentences with a problem word (不够, 有待, 不足 …) are taken.

Addressed: a problem is reduced to its content (the hint words of rules/compare.yaml removed)
and cut into character bigrams, less the stop bigrams (政府, 公开, 信息 …). It is addressed when
one sentence of this year's 五 (not counting this year's own 存在的主要问题 part) contains at
least ``addressed_share`` of those bigrams. A general statement that last year's problems were
rectified (``generic_rectification``) is reported separately: it does not address a named problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gkassist.last_year.config import compare_config
from gkassist.last_year.similarity import normalise, split_sentences
from gkassist.model import section_parts

_ITEM = re.compile(r"(?:^|[。；;\s])\s*(?:[一二三四五六七八九十]是|[（(]?\d{1,2}[)）.．、]|[（(][一二三四五六七八九十][)）])\s*([^；;。\n]+)")
_PROBLEM_HINT = re.compile(r"问题|不足|有待|不够|欠缺|薄弱|滞后|单一|不到位|不及时|不全面|仍需|还需")
_RECTIFY_HEAD = re.compile(r"整改|上年|去年|改进|措施|下一步|计划")


@dataclass(frozen=True)
class ProblemStatus:
    problem: str
    addressed: bool
    evidence: str = ""  # this year's sentence that mentions it
    share: float = 0.0


def _problem_body(text: str) -> str:
    parts = section_parts(text)
    headed = [(h, b) for h, b in parts if h]
    if not headed:
        return text
    for heading, body in headed:
        if "问题" in heading and not _RECTIFY_HEAD.search(heading):
            return body
    kept = [b for h, b in parts if not h or not _RECTIFY_HEAD.search(h)]
    return "\n".join(kept)


def extract_problems(text: str) -> list[str]:
    """The problems a section 五 lists (at most ``max_items``)."""
    cfg = compare_config().problems
    body = _problem_body(text)
    items = [m.group(1).strip().rstrip("，,、") for m in _ITEM.finditer(body)]
    if not items:
        items = [s.rstrip("。；;") for s in split_sentences(body) if _PROBLEM_HINT.search(s)]
    seen: list[str] = []
    for item in items:
        if 4 <= len(item) <= 80 and item not in seen:
            seen.append(item)
    return seen[: cfg.max_items]


_CLAUSE = re.compile(r"[，,；;]")


def descriptive_part(problem: str) -> str:
    """The problem without its clauses that hold figures (信息公开的及时性还不够，2023年有3件答复被纠正 →
    信息公开的及时性还不够): last year's figures are evidence, not the problem, and a rectification
    sentence this year does not repeat them."""
    clauses = [c for c in _CLAUSE.split(problem) if c and not re.search(r"\d", c)]
    return "，".join(clauses) if clauses else problem


_PRAISE_LEAD = re.compile(r"^(?:[^：:，,]{0,10}[：:])?(?:但是?|然而|同时|不过|主要(?:是|表现在)|具体(?:是|表现为)|其中)?[：:，,]?(?:也|还|仍)?(?:存在)?")
_PROBLEM_TAIL = re.compile(r"等(?:方面的)?问题$")


def problem_clause(problem: str) -> str:
    """The clauses of a problem sentence that name the problem (取得了新的进展，但主动公开的及时性还不够 →
    主动公开的及时性还不够): praise and last year's figures are not the problem. Falls back to
    ``descriptive_part`` when no clause carries a problem word."""
    clauses = [c.strip() for c in _CLAUSE.split(descriptive_part(problem)) if c.strip()]
    first = next((i for i, c in enumerate(clauses) if _PROBLEM_HINT.search(c)), None)
    if first is None:
        return descriptive_part(problem)
    kept = [_PRAISE_LEAD.sub("", clauses[first]), *clauses[first + 1 :]]
    return _PROBLEM_TAIL.sub("", "，".join(k for k in kept if k)) or descriptive_part(problem)


def names_a_problem(text: str) -> bool:
    """Whether an extracted item names a problem (a measure such as 加强队伍建设 does not)."""
    return bool(_PROBLEM_HINT.search(text))


def _content_bigrams(problem: str) -> set[str]:
    cfg = compare_config().problems
    core = descriptive_part(problem)
    for word in sorted(cfg.hint_words, key=len, reverse=True):
        core = core.replace(word, " ")
    core = core.replace("的", " ")
    grams: set[str] = set()
    for chunk in core.split():
        norm = normalise(chunk)
        grams |= {norm[i : i + 2] for i in range(len(norm) - 1)}
    return grams - set(cfg.stop_bigrams)


def rectification_text(text: str) -> str:
    """This year's 五 without its own problem list (which restates problems, it does not address them)."""
    own = compare_config().problems.own_problem_headings
    parts = section_parts(text)
    if not any(h for h, _ in parts):
        return text
    kept = []
    for heading, body in parts:
        if heading and any(o in heading for o in own) and not _RECTIFY_HEAD.search(heading):
            continue
        kept.append(f"{heading}\n{body}")
    return "\n".join(kept)


def generic_rectification(this_text: str) -> str:
    """A sentence of this year's 五 that states last year's problems were rectified without naming them."""
    pattern = re.compile(compare_config().problems.generic_rectification)
    for _heading, body in section_parts(rectification_text(this_text)):  # headings such as 上年问题整改情况 do not count
        for s in split_sentences(body):
            if pattern.search(s):
                return s
    return ""


def problem_status(problems: list[str], this_text: str) -> list[ProblemStatus]:
    threshold = compare_config().problems.addressed_share
    sentences = split_sentences(rectification_text(this_text))
    out = []
    for problem in problems:
        grams = _content_bigrams(problem)
        best, best_sentence = 0.0, ""
        if grams:
            for s in sentences:
                norm = normalise(s)
                share = sum(1 for g in grams if g in norm) / len(grams)
                if share > best:
                    best, best_sentence = share, s
        addressed = bool(grams) and best >= threshold
        out.append(ProblemStatus(problem, addressed, best_sentence if addressed else "", best))
    return out


MAX_PROBLEMS = 3  # last year's 五 names a few; more are lists of measures, not problems


def last_year_problems(text: str) -> list[str]:
    """Problems named in last year's section 五 (at most three), found exactly as rule X9 finds them,
    reduced to the clause that names the problem (no praise, no last year's figures: they are not
    this year's and the number check would flag them)."""
    quoted = [problem_clause(p) for p in extract_problems(text)[:MAX_PROBLEMS] if names_a_problem(p)]
    return [q for q in quoted if len(q) >= 6 and names_a_problem(q) and not re.search(r"\d", q)]
