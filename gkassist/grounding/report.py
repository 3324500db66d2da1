"""The number-by-number listing behind ``gkassist check PATH --numbers``."""

from __future__ import annotations

from collections import Counter

from gkassist.grounding.claims import KIND_ZH, NumberClaim
from gkassist.grounding.classify import classify_report
from gkassist.model import Report


def format_claim(claim: NumberClaim) -> str:
    """一、总体情况 第222–224字 “30件” 一致 本年新收…：表三“…”行“总计”列为30，与叙述一致."""
    span = f"第{claim.start + 1}–{claim.end}字"
    return f"{claim.section_title}\t{span}\t“{claim.text}”\t{KIND_ZH[claim.kind]}\t{claim.evidence}"


def format_number_report(report: Report, claims: list[NumberClaim] | None = None) -> str:
    """Every number of the narrative, one line each (section, span, number, class, evidence), then a total."""
    claims = classify_report(report) if claims is None else claims
    if not claims:
        return "叙述中没有数字。"
    lines = [format_claim(c) for c in claims]
    counts: Counter[str] = Counter(c.kind for c in claims)
    summary = "，".join(f"{KIND_ZH[k]}{counts[k]}个" for k in KIND_ZH if counts[k])
    lines.append(f"合计：叙述中共{len(claims)}个数字（{summary}）。")
    return "\n".join(lines)
