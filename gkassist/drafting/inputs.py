"""What the LLM prompt is filled with: the facts block, the highlights and last year's text."""

from __future__ import annotations

from gkassist.drafting.facts import build_facts, facts_block
from gkassist.last_year.rectifications import entered_nothing, rectification_items
from gkassist.model import Report, SectionId
from gkassist.names import SECTION_TITLES, aspects, other_matters, problem_parts

_NUMERALS = "一二三四五六"
MAX_RECTIFICATIONS = len(_NUMERALS)


def rectification_highlights(report: Report) -> dict[str, str]:
    """Last year's problems for the prompt of 五, each as its problem clause with what the clerk
    entered, or marked as having nothing entered (the model may then only name the problem)."""
    out: dict[str, str] = {}
    for i, item in enumerate(rectification_items(report)[:MAX_RECTIFICATIONS]):
        if entered_nothing(item):
            said = "未填写整改情况（只列出问题，不写整改情况）"
        else:
            said = "；".join(
                f"{name}：{text.strip()}" for name, text in (("整改措施", item.measures), ("整改结果", item.result)) if text.strip()
            )
        out[f"上年问题{_NUMERALS[i]}"] = f"问题：{item.problem}。{said}"
    return out


def section_highlights(report: Report, section_id: SectionId) -> dict[str, str]:
    by_section = {"s1": aspects(), "s5": problem_parts(), "s6": other_matters()}
    keys = by_section.get(section_id, ())
    out = {k: report.highlights[k].strip() for k in keys if report.highlights.get(k, "").strip()}
    if section_id == "s5":
        out.update(rectification_highlights(report))
    return out


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
