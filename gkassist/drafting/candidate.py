"""A draft is a candidate beside the section's text: it changes nothing until staff adopt it.

This module holds the candidate, whether it may be adopted as it stands (and why not, in
Chinese), the undo of an adoption, and the findings of a text placed on the sentence each
concerns. Storage and display are the UI's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gkassist.control_chars import strip_control_chars
from gkassist.drafting.types import DrafterName, DraftResult, Omission
from gkassist.drafting.validate import rejections
from gkassist.findings import Finding
from gkassist.last_year.similarity import split_sentences
from gkassist.model import DraftRecord, Report, SectionId


@dataclass(frozen=True)
class Attempt:
    """One model call's text as it streamed; ``reasons``: the findings that asked for it again."""

    number: int
    text: str
    reasons: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"第{self.number}稿"


@dataclass
class Candidate:
    section: SectionId
    drafter: DrafterName
    summary: str  # Chinese: who wrote it (drafter, model, attempts)
    base: str  # the section's text when the draft was made: what the diff compares against
    text: str
    omissions: list[Omission] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    alternative: str | None = None  # the template's text, offered after a model fault
    edited: bool = False  # staff changed the candidate before adopting it

    @classmethod
    def from_result(
        cls, result: DraftResult, drafter: DrafterName, summary: str, base: str, attempts: list[Attempt]
    ) -> Candidate:
        notes = [n for n in result.notes if n not in {o.reason_zh for o in result.omissions}]
        return cls(
            section=result.section,
            drafter=drafter,
            summary=summary,
            base=base,
            text=strip_control_chars(result.text)[0],  # Word cannot hold the control characters a model may emit
            omissions=list(result.omissions),
            notes=notes,
            attempts=attempts,
            alternative=result.alternative_template_text,
        )


def adoption_blocker(candidate: Candidate, findings: list[Finding]) -> str | None:
    """Why the candidate cannot be adopted as it stands (Chinese), or None. ``findings`` are the
    candidate's own, computed from its current text. A model's draft with errors is never
    adopted as is; any drafter's text that is no draft at all (rejected) neither."""
    if not candidate.text.strip():
        return "候选稿没有文字，不能采用。"
    rejected = rejections(findings)
    errors = [f for f in findings if f.severity == "error"]
    if rejected or (candidate.drafter == "llm" and errors):
        count = len(rejected) if rejected and candidate.drafter != "llm" else len(errors)
        return (
            f"候选稿还有{count}处错误（见各句下方），不能直接采用：请在下方修改候选稿，"
            "校验无误后再采用，或改用内置模板生成的候选稿。"
        )
    return None


@dataclass(frozen=True)
class Undo:
    """What an adoption replaced: one click puts it back."""

    section: SectionId
    text: str
    record: DraftRecord | None


def adopt(report: Report, candidate: Candidate, record: DraftRecord) -> Undo:
    """Put the candidate's text into its section; returns what it replaced."""
    undo = Undo(candidate.section, report.section(candidate.section), report.drafts.get(candidate.section))
    report.sections[candidate.section] = candidate.text
    report.drafts[candidate.section] = record
    return undo


def undo_adoption(report: Report, undo: Undo) -> None:
    report.sections[undo.section] = undo.text
    if undo.record is None:
        report.drafts.pop(undo.section, None)
    else:
        report.drafts[undo.section] = undo.record


@dataclass
class SentenceFindings:
    """One sentence of a text (its span) and the findings that point into it."""

    sentence: str
    start: int
    end: int
    findings: list[Finding] = field(default_factory=list)


def sentence_spans(text: str) -> list[SentenceFindings]:
    out: list[SentenceFindings] = []
    pos = 0
    for sentence in split_sentences(text):
        start = text.find(sentence, pos)
        if start < 0:  # split_sentences strips; a sentence is always found from ``pos`` on
            continue
        out.append(SentenceFindings(sentence, start, start + len(sentence)))
        pos = start + len(sentence)
    return out


def place_findings(text: str, findings: list[Finding]) -> tuple[list[SentenceFindings], list[Finding]]:
    """The sentences of ``text`` that carry findings, each with its own, and the findings that
    concern the section as a whole (no span, or a span outside every sentence). Each finding is
    placed once."""
    sentences = sentence_spans(text)
    whole: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    for f in findings:
        key = (f.code, f.location.address, f.message)
        if key in seen:  # the same finding from two rule passes is shown once
            continue
        seen.add(key)
        start = f.location.start
        home = (
            next((s for s in sentences if s.start <= start < s.end), None)
            if start is not None
            else None
        )
        (home.findings if home is not None else whole).append(f)
    return [s for s in sentences if s.findings], whole
