"""The cross-year verdicts, each stated once, in one wording, from one list of findings.

A reviewer reads three verdicts about last year: the cross-year identities (上年结转 A6,
现行有效 C2, 项目数量 D3), the 雷同 share (X6) and the rectification of last year's problems
(X9). Each verdict takes its kind from the rule's findings in the report's one list of findings
(the list 校验与导出 shows and submission counts), and its figures from the comparison, which
computes them as the rules do: a verdict never says "passed" beside a warning of its rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from gkassist.acknowledgements import acknowledgement_of
from gkassist.compare.core import Comparison, IdentityStatus
from gkassist.findings import SEVERITY_ORDER, Finding
from gkassist.last_year.config import compare_config
from gkassist.last_year.similarity import percent
from gkassist.model import Acknowledgement

VerdictKind = Literal["error", "warning", "pass", "info", "not_applicable"]
SIMILARITY_RULE = "X6"
RECTIFICATION_RULE = "X9"


@dataclass(frozen=True)
class Verdict:
    rule: str  # the rule whose findings decide it (A6, C2, D3, X6, X9)
    topic: str  # A6 上年结转与上年报告衔接（逐列） / 雷同 / 上年问题整改
    kind: VerdictKind
    text: str  # plain Chinese, one statement
    findings: tuple[Finding, ...] = field(default_factory=tuple)  # the rule's findings it stands on


def _worst(findings: Sequence[Finding]) -> VerdictKind:
    worst = min(findings, key=lambda f: SEVERITY_ORDER[f.severity]).severity
    return "error" if worst == "error" else "warning" if worst == "warning" else "info"


def identity_verdict(ident: IdentityStatus, findings: Sequence[Finding]) -> Verdict:
    """One cross-year identity: not applicable (and why), passed, or how many places disagree."""
    mine = tuple(f for f in findings if f.code == ident.code)
    topic = f"{ident.code} {ident.name}"
    if not ident.applies:
        return Verdict(ident.code, topic, "not_applicable", f"{topic}：不适用（{ident.reason}）")
    if not mine:
        return Verdict(ident.code, topic, "pass", f"{topic}：通过")
    return Verdict(ident.code, topic, _worst(mine), f"{topic}：{len(mine)}处不一致", mine)


def identity_verdicts(cmp: Comparison, findings: Sequence[Finding]) -> list[Verdict]:
    return [identity_verdict(ident, findings) for ident in cmp.identities]


def similarity_verdict(cmp: Comparison, findings: Sequence[Finding]) -> Verdict:
    """The 雷同 share of each section the rule checks, against the threshold of rules/compare.yaml."""
    threshold = percent(compare_config().similarity.warn_share)
    mine = tuple(f for f in findings if f.code == SIMILARITY_RULE)
    checked = [s for s in cmp.sections if s.checked]
    if not checked:
        return Verdict(SIMILARITY_RULE, "雷同", "not_applicable", "雷同：各部分内容较短或不在检查范围，不判定。")
    shares = "；".join(f"{s.title}{percent(s.score)}" for s in checked)
    over = [s.title for s in checked if s.over_threshold]
    if mine:
        return Verdict(
            SIMILARITY_RULE, "雷同", _worst(mine),
            f"雷同：{'、'.join(over) or '部分内容'}与上年报告高度雷同，超过提示阈值{threshold}（{shares}）。", mine,
        )
    return Verdict(SIMILARITY_RULE, "雷同", "pass", f"雷同：与上年报告的雷同比例均低于提示阈值{threshold}（{shares}）。")


def rectification_verdict(cmp: Comparison, findings: Sequence[Finding]) -> Verdict:
    """Whether this year's 五 names last year's problems, as rule X9 judges it."""
    topic = "上年问题整改"
    mine = tuple(f for f in findings if f.code == RECTIFICATION_RULE)
    problems = cmp.last_problems
    general = f"本年只有笼统的整改表述：“{cmp.general_statement}”。" if cmp.general_statement else ""
    if not problems:
        return Verdict(RECTIFICATION_RULE, topic, "not_applicable", f"{topic}：上年报告第五部分没有识别出问题清单，不判定。")
    if not cmp.this.section("s5").strip():
        return Verdict(RECTIFICATION_RULE, topic, "not_applicable", f"{topic}：本年第五部分尚未填写，无法判定。")
    named = sum(1 for p in problems if p.addressed)
    if mine:
        return Verdict(RECTIFICATION_RULE, topic, _worst(mine), f"{topic}：上年报告列出{len(problems)}个问题，本年第五部分一个也没有提到。{general}", mine)
    if named == len(problems):
        return Verdict(RECTIFICATION_RULE, topic, "pass", f"{topic}：上年报告列出的{len(problems)}个问题，本年第五部分都已提到。")
    missing = "；".join(f"“{p.problem}”" for p in problems if not p.addressed)
    return Verdict(
        RECTIFICATION_RULE, topic, "info",
        f"{topic}：上年报告列出{len(problems)}个问题，本年第五部分提到{named}个，没有提到{missing}。{general}",
    )


def acknowledgement_text(finding: Finding, acks: Sequence[Acknowledgement]) -> str:
    """How the clerk acknowledged a warning (when, and the reason written), or "" when not."""
    ack = acknowledgement_of(finding, list(acks))
    if ack is None:
        return ""
    when = f"{ack.at:%Y-%m-%d %H:%M}，" if ack.at else ""
    reason = ack.note.strip() or "未写理由"
    return f"填报人已确认（{when}{reason}）"
