"""Why the template drafter left a piece of free text out, said in Chinese for staff, with a
one-click fix where there is one (an ungrounded number becomes a declared-figure row)."""

from __future__ import annotations

import re

from gkassist.drafting.facts import build_facts, fmt
from gkassist.drafting.types import DeclaredFix, Omission
from gkassist.findings import Finding
from gkassist.model import Report, SectionId

UNGROUNDED_NUMBER = "X8"  # the rule that finds a number with no table cell or declared figure behind it
_QUANTITY = re.compile(r"^(\d+(?:\.\d+)?)(\D*)$")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+$")
_LEAD_VERBS = ("组织开展", "组织", "开展", "举办", "召开", "完成", "累计", "共计", "共")
_COUNT_UNITS = {"次", "场", "期", "批", "轮"}
LABEL_CHARS = 4  # a guessed label keeps the last few characters of the noun before the number


def looks_like_instruction_note(origin: str, excerpt: str) -> Omission:
    return Omission(excerpt=excerpt, reason_zh=f"{origin}中的「{excerpt}」像是对起草者的指令而非工作内容，未写入；如确是工作内容，请改写成陈述句后重新起草。")


def repeated_note(origin: str, excerpt: str, figures: list[str]) -> Omission:
    said = "、".join(figures)
    return Omission(
        excerpt=excerpt,
        reason_zh=(
            f"{origin}中的「{excerpt}」与草稿中根据填报数据写的句子说的是同一数字（{said}），为免重复未写入；"
            "如更想用这句的写法，请在采用后修改，只保留一处。"
        ),
    )


def _label(before: str, unit: str) -> str:
    """A declared-figure name guessed from the words before a number (组织政务公开业务培训 2次 ->
    业务培训次数); staff can rename the row afterwards."""
    run = _HAN_RUN.search(before)
    noun = run.group() if run else ""
    for verb in _LEAD_VERBS:
        if noun.startswith(verb) and len(noun) > len(verb):
            noun = noun[len(verb):]
            break
    noun = noun[-LABEL_CHARS:]
    if not noun:
        return ""
    return noun + ("次数" if unit in _COUNT_UNITS else "")


def _fix(text: str, seg_start: int, finding: Finding) -> DeclaredFix | None:
    loc = finding.location
    if loc.start is None or loc.end is None:
        return None
    match = _QUANTITY.match(text[loc.start : loc.end].strip())
    if match is None:
        return None
    value, unit = match.group(1), match.group(2).strip()
    label = _label(text[seg_start : loc.start], unit)
    return DeclaredFix(label=label, value=value, unit=unit) if label else None


def left_out(origin: str, excerpt: str, text: str, seg_start: int, findings: list[Finding]) -> Omission:
    """The omission of one free-text segment for the findings it drew. ``text`` is the rendered
    draft the findings' spans point into and ``seg_start`` where the segment began in it."""
    ungrounded = [f for f in findings if f.code == UNGROUNDED_NUMBER]
    if ungrounded:
        f = ungrounded[0]
        loc = f.location
        number = text[loc.start : loc.end] if loc.start is not None and loc.end is not None else ""
        fix = _fix(text, seg_start, f)
        what = f"“{fix.label}”（{fix.value}{fix.unit}）" if fix else f"数字“{number}”"
        return Omission(
            excerpt=excerpt,
            reason_zh=(
                f"{origin}中的「{excerpt}」含有未申报的数字“{number}”，未写入；"
                f"请在“工作亮点”页的申报数字中登记{what}后重新起草。"
            ),
            fix=fix,
        )
    codes = "、".join(sorted({f.code for f in findings}))
    return Omission(
        excerpt=excerpt,
        reason_zh=f"{origin}中的「{excerpt}」含有无法与填报数据核对的内容（{codes}），未写入；请核对后手工补充。",
    )


def _written(text: str, value: str) -> bool:
    """``value`` appears in ``text`` as a whole number (not a part of 1356 or 3.5)."""
    return re.search(rf"(?<![\d.]){re.escape(value)}(?![\d]|\.\d)", text) is not None


def unused_declared(report: Report, section_id: SectionId, text: str) -> list[Omission]:
    """Declared figures meant for this section that the candidate does not state: the fee
    figures belong to 六, every other declared figure to 一."""
    facts = build_facts(report)
    if section_id == "s1":
        meant = list(facts.declared)
    elif section_id == "s6":
        meant = [f for f in (facts.fee.amount, facts.fee.notices) if f is not None]
    else:
        meant = []
    out: list[Omission] = []
    for fig in meant:
        value = fmt(fig.value)
        if not _written(text, value):
            name = f"{fig.label}（{value}{fig.unit}）"
            out.append(
                Omission(
                    excerpt=name,
                    reason_zh=f"申报数字“{name}”没有写入候选稿；如需写入，请在候选稿中补充，或重新起草。",
                )
            )
    return out
