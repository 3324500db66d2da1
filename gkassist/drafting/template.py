"""The template drafter: the embedded default (no configuration, no network).

It writes formal text from the report's figures, declared figures and highlights, then runs
the same checks as for human text. Sentences taken from free text (highlights, last year's
report) that draw a finding are left out and reported in ``notes``; every number the
template itself writes comes from the facts.
"""

from __future__ import annotations

import time
from collections.abc import Generator

from gkassist.drafting.facts import build_facts
from gkassist.drafting.omissions import left_out, looks_like_instruction_note, repeated_note
from gkassist.drafting.phrasing import Block, Rendered, looks_like_instruction, render
from gkassist.drafting.repeats import drop_repeated_facts
from gkassist.drafting.tmpl_overview import overview_blocks
from gkassist.drafting.tmpl_problems import other_blocks, problems_blocks
from gkassist.drafting.types import DraftChunk, DraftResult, Omission, Provenance
from gkassist.drafting.validate import Validator, section_findings
from gkassist.findings import Finding
from gkassist.model import Report, SectionId

MAX_FILTER_ROUNDS = 4


def _blocks(report: Report, section_id: SectionId) -> tuple[list[Block], list[str]]:
    facts = build_facts(report)
    if section_id == "s1":
        return overview_blocks(facts), []
    if section_id == "s5":
        return problems_blocks(report, facts)
    return other_blocks(report, facts)


def _excerpt(text: str, width: int = 24) -> str:
    text = text.strip()
    return text if len(text) <= width else text[:width] + "……"


def _overlaps(finding: Finding, start: int, end: int) -> bool:
    loc = finding.location
    if loc.start is None or loc.end is None:
        return False
    return loc.start < end and start < loc.end


def _validate(report: Report, section_id: SectionId, text: str, validator: Validator | None) -> list[Finding]:
    check = validator or section_findings
    return check(report, section_id, text)


def compose(
    report: Report, section_id: SectionId, validator: Validator | None = None
) -> tuple[str, list[Finding], list[str]]:
    """Template text for a section, its remaining findings and Chinese notes for staff
    (what was left out comes first, each with its reason)."""
    text, findings, notes, omissions = compose_with_omissions(report, section_id, validator)
    return text, findings, [o.reason_zh for o in omissions] + notes


def compose_with_omissions(
    report: Report, section_id: SectionId, validator: Validator | None = None
) -> tuple[str, list[Finding], list[str], list[Omission]]:
    """Template text for a section, its remaining findings, Chinese notes for staff and the free
    text it left out (each with its reason and, where there is one, a one-click fix)."""
    blocks, notes = _blocks(report, section_id)
    omissions: list[Omission] = []
    dropped: set[int] = set()
    for block in blocks:  # free text addressed to a writer or a model is never copied
        for seg in block.segs:
            if seg.optional and looks_like_instruction(seg.text):
                dropped.add(id(seg))
                omissions.append(looks_like_instruction_note(seg.origin, _excerpt(seg.text)))
    for seg, figures in drop_repeated_facts(blocks, dropped):  # one sentence per fact
        dropped.add(id(seg))
        omissions.append(repeated_note(seg.origin, _excerpt(seg.text), figures))
    rendered: Rendered = render(blocks, dropped)
    findings = _validate(report, section_id, rendered.text, validator)
    for _ in range(MAX_FILTER_ROUNDS):
        bad = [
            (seg, f)
            for start, end, seg in rendered.spans
            if seg.optional
            for f in findings
            if f.severity != "info" and _overlaps(f, start, end)
        ]
        if not bad:
            break
        for start, _end, seg in rendered.spans:
            reasons = [f for s, f in bad if s is seg]
            if reasons and id(seg) not in dropped:
                dropped.add(id(seg))
                omissions.append(left_out(seg.origin, _excerpt(seg.text), rendered.text, start, reasons))
        rendered = render(blocks, dropped)
        findings = _validate(report, section_id, rendered.text, validator)
    return rendered.text, findings, notes, omissions


def template_text(report: Report, section_id: SectionId) -> str:
    """Just the template draft's text (used as the alternative offered after an LLM fault)."""
    return compose(report, section_id)[0]


def stream_template(
    report: Report, section_id: SectionId, validator: Validator | None = None
) -> Generator[DraftChunk, None, DraftResult]:
    started = time.monotonic()
    text, findings, notes, omissions = compose_with_omissions(report, section_id, validator)
    for i, line in enumerate(text.split("\n")):
        yield DraftChunk(("\n" if i else "") + line)
    provenance = Provenance(
        drafter="template", section=section_id, attempts=1, elapsed_seconds=round(time.monotonic() - started, 3)
    )
    return DraftResult(
        section=section_id,
        text=text,
        findings=findings,
        provenance=provenance,
        notes=[o.reason_zh for o in omissions] + notes,  # the CLI prints every note
        omissions=omissions,
    )
