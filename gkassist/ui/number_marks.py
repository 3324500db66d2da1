"""Every number of a drafted section, marked with its class (一致 / 不一致 / 已申报 / 豁免 /
无依据) for the 起草 page: the text with the numbers coloured, a legend, and one row per number."""

from __future__ import annotations

from dataclasses import dataclass

from gkassist.grounding.claims import KIND_ZH, NumberClaim
from gkassist.grounding.classify import classify_report
from gkassist.model import Report, SectionId
from gkassist.ui.safe import md_escape

# Streamlit markdown colours, one per class; the legend uses the same words
KIND_COLORS: dict[str, str] = {
    "matched": "green",
    "mismatched": "red",
    "declared": "blue",
    "exempt": "gray",
    "ungrounded": "orange",
}


@dataclass(frozen=True)
class NumberMarks:
    markdown: str  # the section text, each number coloured by its class
    legend: str
    rows: list[dict[str, str]]  # 数字 / 核对结果 / 依据, in text order
    counts: dict[str, int]  # class → how many

    @property
    def problems(self) -> int:
        return self.counts.get("mismatched", 0) + self.counts.get("ungrounded", 0)


def _escape(text: str) -> str:
    return md_escape(text).replace("\n", "  \n")


def number_marks(report: Report, section_id: SectionId) -> NumberMarks:
    text = report.section(section_id)
    claims = sorted(classify_report(report, sections={section_id}), key=lambda c: (c.start, c.end))
    parts: list[str] = []
    shown: list[NumberClaim] = []
    pos = 0
    for claim in claims:
        if claim.start < pos:  # overlapping spans (a zero in words inside a longer phrase): first wins
            continue
        parts.append(_escape(text[pos : claim.start]))
        parts.append(f":{KIND_COLORS[claim.kind]}[**{_escape(text[claim.start : claim.end])}**]")
        pos = claim.end
        shown.append(claim)
    parts.append(_escape(text[pos:]))
    counts: dict[str, int] = {}
    for claim in shown:
        counts[claim.kind] = counts.get(claim.kind, 0) + 1
    legend = "　".join(f":{KIND_COLORS[k]}[**{KIND_ZH[k]}**]{counts.get(k, 0)}个" for k in KIND_COLORS)
    rows = [{"数字": c.text, "核对结果": KIND_ZH[c.kind], "依据": c.evidence} for c in shown]
    return NumberMarks("".join(parts), legend, rows, counts)
