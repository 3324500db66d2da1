"""What the LLM prompt is filled with: the facts block, the highlights and last year's text."""

from __future__ import annotations

from gkassist.drafting.facts import build_facts, facts_block
from gkassist.model import Report, SectionId
from gkassist.names import SECTION_TITLES, aspects, problem_parts


def section_highlights(report: Report, section_id: SectionId) -> dict[str, str]:
    keys = aspects() if section_id == "s1" else problem_parts() if section_id == "s5" else ()
    return {k: report.highlights[k].strip() for k in keys if report.highlights.get(k, "").strip()}


def highlights_text(highlights: dict[str, str]) -> str:
    if not highlights:
        return "（工作人员未提供）"
    return "\n".join(f"【{k}】{v}" for k, v in highlights.items())


def last_year_text(report: Report, section_id: SectionId) -> str:
    return report.last_year.section(section_id).strip() if report.last_year is not None else ""


def prompt_values(report: Report, section_id: SectionId, last_year: str, highlights: dict[str, str]) -> dict[str, str]:
    facts = build_facts(report)
    return {
        "agency": facts.agency or "本机关",
        "year": str(facts.year),
        "section_title": SECTION_TITLES[section_id],
        "format_name": facts.format_name,
        "facts": facts_block(facts),
        "highlights": highlights_text(highlights),
        "last_year_text": last_year or "（未提供上年度报告）",
    }
