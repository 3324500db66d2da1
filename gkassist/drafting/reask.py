"""A re-ask that fits the same token budget as the first prompt.

A re-ask sends the first prompt, the previous reply and the findings. Only the latest reply
goes along, never the whole conversation. The findings are summarised: grouped by rule, a few
quoted per rule, then "另有M处同类问题". The previous reply keeps up to a third of the budget;
when the whole does not fit, in this order:
  1. the findings are summarised more tightly (fewer per rule, fewer rules);
  2. the first prompt is fitted again to what is left (last year's text, then the highlights,
     as ``budget.fit_to_budget`` does; the facts block is never cut);
  3. the previous reply is cut at a line or sentence end, marked "……（以下从略）", down to a
     stub of MIN_REPLY_TOKENS (then 1. and 2. again);
  4. the previous reply is left out.
No request is built over the budget: if even the tightest form does not fit, there is no re-ask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from gkassist.drafting.budget import ELLIPSIS, MESSAGE_OVERHEAD, count_messages, count_tokens
from gkassist.drafting.prompts import PromptSpec
from gkassist.findings import SEVERITY_ORDER, Finding

Pairs = list[tuple[str, str]]  # (role, text) messages
Refit = Callable[[int], "tuple[Pairs, list[str]] | None"]  # budget -> first prompt within it, notes

# (findings listed per rule, rules listed), from the fullest summary to the tightest
SUMMARY_LEVELS: tuple[tuple[int, int], ...] = ((3, 8), (2, 5), (1, 3), (1, 1))
QUOTE_CHARS = 24
MESSAGE_CHARS = 200
REPLY_SHARE = 3  # the previous reply may take up to a third of the budget before the prompt is refitted
MIN_REPLY_TOKENS = 64  # below this the previous reply is left out rather than cut to a stub


def _cut_text(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[:chars] + "…"


def _line(text: str, finding: Finding) -> str:
    loc = finding.location
    quote = ""
    if loc.start is not None and loc.end is not None and 0 <= loc.start < loc.end <= len(text):
        quote = f"“{_cut_text(' '.join(text[loc.start : loc.end].split()), QUOTE_CHARS)}”"
    message = finding.message.removeprefix(loc.describe())  # "一、总体情况第110–113字" means nothing to the model
    return f"- {quote}{_cut_text(message, MESSAGE_CHARS)}（规则{finding.code}）"


def summarise_findings(text: str, findings: list[Finding], per_rule: int, max_rules: int) -> tuple[str, int]:
    """The findings as re-ask lines, and how many are quoted: grouped by rule (errors first), at
    most ``per_rule`` quoted per rule and ``max_rules`` rules; the rest counted, not listed."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.code, []).append(f)
    order = sorted(groups, key=lambda code: min(SEVERITY_ORDER[f.severity] for f in groups[code]))
    lines: list[str] = []
    listed = 0
    for code in order[:max_rules]:
        group = groups[code]
        lines.extend(_line(text, f) for f in group[:per_rule])
        listed += min(len(group), per_rule)
        if len(group) > per_rule:
            lines.append(f"- 另有{len(group) - per_rule}处同类问题（规则{code}）")
    rest = order[max_rules:]
    if rest:
        count = sum(len(groups[c]) for c in rest)
        lines.append(f"- 另有{len(rest)}类问题共{count}处未列出，修改后会再次核对")
    return "\n".join(lines), listed


def cut_reply(reply: str, tokens: int, encoding: str) -> str:
    """The longest start of ``reply`` (ending at a line or sentence end where possible) that,
    with the omission mark, has at most ``tokens`` tokens; "" when not even a stub fits."""
    if count_tokens(reply, encoding) <= tokens:
        return reply
    lo, hi, best = 0, len(reply), 0
    while lo <= hi:
        mid = (lo + hi) // 2
        if count_tokens(reply[:mid] + ELLIPSIS, encoding) <= tokens:
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    if best == 0:
        return ""
    head = reply[:best]
    end = max(head.rfind("\n"), head.rfind("。"))
    if end >= best // 2:  # a whole line or sentence, unless that throws away most of what fits
        head = head[: end + 1]
    return head.rstrip() + ELLIPSIS


@dataclass
class Reask:
    pairs: Pairs
    tokens: int
    notes: list[str] = field(default_factory=list)  # Chinese: what was summarised, cut or left out


def _tokens(pairs: Pairs, encoding: str) -> int:
    return count_messages([t for _, t in pairs], encoding)


def fit_reask(
    first: Pairs,
    reply: str,
    text: str,
    findings: list[Finding],
    spec: PromptSpec,
    budget: int,
    encoding: str,
    refit: Refit,
) -> Reask | None:
    """The re-ask messages within ``budget`` tokens (see the module docstring), or None."""
    reply_tokens = count_tokens(reply, encoding)
    first_tokens = _tokens(first, encoding)
    summaries = [summarise_findings(text, findings, per_rule, max_rules) for per_rule, max_rules in SUMMARY_LEVELS]
    for reserve in (min(reply_tokens, budget // REPLY_SHARE), min(reply_tokens, MIN_REPLY_TOKENS), 0):
        for summary, listed in summaries:
            reask = ("human", spec.render_reask(summary))
            reask_cost = _tokens([*first, reask], encoding) - first_tokens
            reply_cost = reserve + MESSAGE_OVERHEAD if reserve else 0
            base: Pairs = first
            notes: list[str] = []
            if first_tokens + reask_cost + reply_cost > budget:
                refitted = refit(budget - reask_cost - reply_cost)
                if refitted is None:
                    continue
                base, notes = refitted
            room = budget - _tokens([*base, reask], encoding) - MESSAGE_OVERHEAD
            kept = cut_reply(reply, room, encoding) if reserve and room > 0 else ""
            pairs = [*base, ("ai", kept), reask] if kept else [*base, reask]
            tokens = _tokens(pairs, encoding)
            if tokens > budget:  # not by construction; never send such a request
                continue
            if listed < len(findings):
                notes.append(f"修改意见共{len(findings)}条，向模型列出了{listed}条，其余按规则归类计数")
            if kept != reply:
                notes.append("上一稿较长，只附了开头部分" if kept else "上一稿未附上")
            return Reask(pairs, tokens, notes)
    return None
