"""Re-asks: the findings summarised and capped, the previous reply cut, the budget never
exceeded; and a reply that is no prose is rejected, with the template offered."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import BaseMessage
from pydantic import Field

from gkassist.drafting import draft_section
from gkassist.drafting.budget import ELLIPSIS, count_messages, count_tokens
from gkassist.drafting.prompts import prompt_for_section
from gkassist.drafting.reask import cut_reply, fit_reask, summarise_findings
from gkassist.drafting.settings import LLMSettings
from gkassist.examples import load_example
from gkassist.findings import Finding, Location
from tests.fakes.chat_models import FinishingFake

TEXT = "本年度共收到政府信息公开申请500件。\n全年主动公开政府信息999条。"
SETTINGS = LLMSettings(base_url="http://127.0.0.1:9/v1", model="fake-model", retries=0, backoff=0)
GOOD = (
    "2024年，某某市生态环境局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。\n"
    "（一）主动公开\n全年主动公开政府信息356条，发布政策解读18篇。\n"
    "（二）依申请公开\n本年度共收到政府信息公开申请30件，上年结转3件。\n"
    "（三）政府信息管理\n严格执行保密审查制度。\n"
    "（四）政府信息公开平台建设\n持续优化政府信息公开专栏。\n"
    "（五）监督保障\n组织政府信息公开培训4次。"
)
BAD = GOOD.replace("申请30件", "申请500件")
NONSENSE = (
    "1. 2024年某某市生态环境局的确定，制订实际上是启进了新航行\n"
    "2. 2024年的确定，制订实际上是启进了新航行的方向\n"
    "3. 2024年的开始，实际上是新的航行了\n"
    "4. 2023年的确定，2024年的制订实际上是一个美好的时候"
)


def finding(code: str, i: int, severity: str = "error") -> Finding:
    return Finding(
        code=code,
        severity=severity,  # type: ignore[arg-type]
        location=Location(section="s1", start=0, end=9),
        message=f"一、总体情况第1–9字写的数字第{i}处与表三不一致。请改为30件。",
    )


# ---------------------------------------------------------------- the findings summary


def test_findings_are_grouped_by_rule_capped_and_counted() -> None:
    findings = [finding("X8", i, "warning") for i in range(30)] + [finding("X1", i) for i in range(60)]
    findings += [finding(f"N{i}", i) for i in range(1, 4)]
    summary, listed = summarise_findings(TEXT, findings, per_rule=2, max_rules=2)
    lines = summary.splitlines()
    assert lines[0].endswith("（规则X1）") and "“本年度共收到政府信”" in lines[0]  # errors first, quoted
    assert "另有58处同类问题（规则X1）" in summary and lines[3].endswith("（规则N1）")
    assert "另有3类问题共32处未列出" in summary and "规则X8" not in summary  # X8 is a warning: after the errors
    assert listed == 3 and len(lines) == 2 + 1 + 1 + 1
    assert "第1–9字" not in summary  # a character position means nothing to the model; the quote says where


def test_the_previous_reply_is_cut_at_a_sentence_end() -> None:
    reply = "全年主动公开政府信息356条。" * 40
    cut = cut_reply(reply, 60, "o200k_base")
    assert cut.endswith("。" + ELLIPSIS) and count_tokens(cut) <= 60 and reply.startswith(cut.removesuffix(ELLIPSIS))
    assert cut_reply(reply, 2, "o200k_base") == ""
    assert cut_reply("短。", 60, "o200k_base") == "短。"


def test_fit_reask_never_builds_a_request_over_the_budget() -> None:
    spec = prompt_for_section("s1")
    first = [("system", "系统提示。" * 50), ("human", "事实清单。" * 200)]
    findings = [finding("X1", i) for i in range(100)]
    reply = "全年主动公开政府信息356条。\n" * 200
    need = count_messages([t for _, t in first])
    planned = []
    for budget in (need + 40, need + 200, need + 600, need + 3000):
        plan = fit_reask(first, reply, reply, findings, spec, budget, "o200k_base", lambda b: None)
        if plan is not None:
            planned.append(budget)
            assert plan.tokens <= budget and count_messages([t for _, t in plan.pairs]) == plan.tokens
            assert plan.pairs[-1][0] == "human" and "另有" in plan.pairs[-1][1]
            kept = [t for role, t in plan.pairs if role == "ai"]
            assert not kept or kept[0] == reply or kept[0].endswith(ELLIPSIS)  # whole, cut and marked, or left out
            if budget < need + 2000:
                assert kept != [reply]
    assert planned == [need + 200, need + 600, need + 3000]  # need + 40: not even the re-ask itself fits


# ---------------------------------------------------------------- rejected replies


class RecordingFake(FinishingFake):
    seen: list[list[BaseMessage]] = Field(default_factory=list)

    def _stream(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        self.seen.append(list(messages))
        return super()._stream(messages, *args, **kwargs)


def run(*replies: str) -> tuple[RecordingFake, Any]:
    model = RecordingFake(responses=list(replies), seen=[])
    result = draft_section(load_example("example-2021"), "s1", "llm", SETTINGS, chat_model=model).result
    return model, result


def test_nonsense_is_re_asked_then_rejected_with_the_template_offered() -> None:
    model, result = run(NONSENSE, NONSENSE, NONSENSE)
    assert len(model.seen) == 3  # re-asked with the reason
    assert "规则P2" in str(model.seen[1][-1].content)
    message = result.error_message_zh or ""
    assert "不能作为草稿" in message and "与政府信息公开工作无关" in message and "您已写的内容没有改动" in message
    assert result.text == "" and not result.ok
    assert result.alternative_template_text and "（一）主动公开" in result.alternative_template_text


def test_an_echoed_prompt_is_rejected() -> None:
    system = str(prompt_for_section("s1").system)
    _, result = run(system, system, system)
    assert "起草提示词" in (result.error_message_zh or "") and result.text == ""


def test_a_rejected_re_ask_keeps_the_earlier_draft_with_its_findings() -> None:
    _, result = run(BAD, NONSENSE, NONSENSE)
    assert result.text == BAD and {f.code for f in result.findings} == {"X1"}
    assert "不能作为草稿" in (result.error_message_zh or "") and result.alternative_template_text


def test_nonsense_then_a_good_draft_is_accepted() -> None:
    _, result = run(NONSENSE, GOOD)
    assert result.text == GOOD and result.ok and result.provenance.attempts == 2
