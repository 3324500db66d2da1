"""What a real llama-server does, against the scripted fake: a context it will not exceed
(HTTP 400), no usage while streaming, UTF-8 split across network chunks, replies stopped at
max_tokens or a full context (finish_reason "length"); and re-asks that stay within the context
whatever the number of findings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gkassist.drafting import draft_section
from gkassist.drafting.budget import count_messages, count_tokens
from gkassist.drafting.inputs import last_year_text, prompt_values, section_highlights
from gkassist.drafting.prompts import prompt_for_section
from gkassist.drafting.settings import LLMSettings
from gkassist.drafting.types import DraftResult
from gkassist.findings import Finding, Location
from gkassist.model import Report
from tests.fakes import make_report
from tests.fakes.llm_server import FakeLLMServer, Reply

GOOD = (
    "2024年，某某市生态环境局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。\n"
    "（一）主动公开\n全年主动公开政府信息356条，发布政策解读18篇。\n"
    "（二）依申请公开\n本年度共收到政府信息公开申请20件，上年结转3件。\n"
    "（三）政府信息管理\n严格执行保密审查制度。\n"
    "（四）政府信息公开平台建设\n持续优化政府信息公开专栏。\n"
    "（五）监督保障\n组织政府信息公开培训4次。"
)
S6 = "（一）信息处理费收取情况\n本年度未收取信息处理费。\n（二）其他事项\n本年度无其他需要报告的事项。"


@pytest.fixture
def srv() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as server:
        yield server


def settings_for(url: str, **update: object) -> LLMSettings:
    base = LLMSettings(base_url=url, model="fake-model", timeout=5, retries=0, backoff=0)
    return base.model_copy(update=update)


def big_report() -> Report:
    """A report whose first prompt is long: highlights and last year's text."""
    report = make_report(
        highlights={"主动公开": "开设政策解读专栏，围绕重点领域发布解读文章，" * 20, "监督保障": "组织业务培训，" * 30},
        last_year_s5="一是主动公开内容深度不够；二是依申请公开答复规范性有待提高。" * 10,
    )
    assert report.last_year is not None
    report.last_year.sections["s1"] = "2023年，某某市生态环境局认真贯彻落实条例，政府信息公开工作规范有序开展。" * 60
    return report


def first_prompt_tokens(report: Report, sid: str = "s1") -> int:
    values = prompt_values(report, sid, last_year_text(report, sid), section_highlights(report, sid))  # type: ignore[arg-type]
    return count_messages(list(prompt_for_section(sid).render(values)))  # type: ignore[arg-type]


def hundred_findings(report: Report, sid: str, text: str) -> list[Finding]:
    """A stand-in checker that finds 100 problems in any draft but GOOD: errors and warnings of
    several rules, each with a long message and a span of the draft."""
    if text == GOOD:
        return []
    codes = ["X1"] * 55 + ["X8"] * 30 + ["N3"] * 10 + ["X2", "X4", "X5", "N1", "P4"]
    out = []
    for i, code in enumerate(codes):
        start = (i * 7) % max(1, len(text) - 12)
        out.append(
            Finding(
                code=code,
                severity="error" if code in ("X1", "X2", "N1") else "warning",
                location=Location(section="s1", start=start, end=start + 10),
                message=f"第{i + 1}处：叙述中的数字与表三不一致，应以表格为准，" * 4 + "请改正。",
            )
        )
    return out


def draft(url: str, report: Report, sid: str = "s1", validator: object = None, **update: object) -> tuple[str, DraftResult]:
    stream = draft_section(report, sid, "llm", settings_for(url, **update), validator=validator)  # type: ignore[arg-type]
    text = "".join(stream)
    return text, stream.result


# ---------------------------------------------------------------- re-asks within the context


def test_reasks_with_100_findings_never_exceed_the_context() -> None:
    report = big_report()
    context, output = 3000, 1000  # the server's context holds the prompt budget and the longest reply
    first = first_prompt_tokens(report)
    assert first <= context  # the first prompt fits as it is ...
    long_reply = (GOOD.replace("。\n", "，政府信息公开工作规范有序开展。\n") + "\n") * 4
    with FakeLLMServer(context=context + output) as srv:
        srv.queue(Reply(long_reply), Reply(long_reply), Reply(GOOD))
        _, result = draft(
            srv.base_url, report, validator=hundred_findings, context_budget=context, max_output_tokens=output
        )
        requests = list(srv.requests)
    # ... and the old re-ask (first prompt + previous reply + every finding) would not have
    naive = first + count_tokens(long_reply) + count_tokens("\n".join(f.message for f in hundred_findings(report, "s1", "x")))
    assert naive > context
    assert len(requests) == 3 and all(r.status == 200 for r in requests)
    assert all(r.prompt_tokens is not None and r.prompt_tokens <= context for r in requests), [
        r.prompt_tokens for r in requests
    ]
    assert result.error_message_zh is None and result.text == GOOD and result.provenance.attempts == 3
    reask = requests[1].body["messages"][-1]["content"]
    listed = [line for line in reask.splitlines() if line.startswith("- “")]
    assert 0 < len(listed) <= 24 and "另有" in reask and "同类问题" in reask
    assert any("向模型列出了" in n for n in result.notes)
    # only the latest reply goes along, never the whole conversation
    assert [m["role"] for m in requests[2].body["messages"]].count("assistant") <= 1


def test_a_tight_context_cuts_the_previous_reply_and_the_first_prompt() -> None:
    report = big_report()
    context, output = 1700, 1500  # below the first prompt as it is: last year's text is cut for every request
    echo = "（一）主动公开\n全年主动公开政府信息356条，发布政策解读18篇。\n" * 50
    with FakeLLMServer(context=context + output) as srv:
        srv.queue(Reply(echo), Reply(echo), Reply(echo))
        _, result = draft(
            srv.base_url, report, validator=hundred_findings, context_budget=context, max_output_tokens=output
        )
        requests = list(srv.requests)
    assert len(requests) == 3 and all(r.status == 200 for r in requests)
    assert all(r.prompt_tokens is not None and r.prompt_tokens <= context for r in requests)
    second = requests[1].body["messages"]
    kept = [m["content"] for m in second if m["role"] == "assistant"]
    assert not kept or kept[0].endswith("（以下从略）")  # the previous reply cut, or left out
    assert any("上一稿" in n for n in result.notes)
    assert result.text and not result.ok  # the last draft, with its findings: the checker always finds some


# ---------------------------------------------------------------- HTTP 400 on context overflow


def test_a_prompt_over_the_servers_context_is_a_chinese_fault(srv: FakeLLMServer) -> None:
    report = big_report()
    with FakeLLMServer(context=800) as small:  # the server's -c is smaller than the configured budget
        small.queue(Reply(GOOD))
        chunks, result = draft(small.base_url, report, context_budget=6000)
        recorded = list(small.requests)
    assert chunks == "" and len(recorded) == 1 and recorded[0].status == 400  # not retried
    message = result.error_message_zh or ""
    assert "上下文" in message and f"本次请求{recorded[0].prompt_tokens}个令牌" in message and "800" in message
    assert "GKASSIST_LLM_CONTEXT_BUDGET" in message and "exceed" not in message
    assert result.text == "" and result.alternative_template_text


# ---------------------------------------------------------------- usage, UTF-8, finish_reason length


def test_no_usage_while_streaming_is_counted_offline() -> None:
    with FakeLLMServer(context=100_000, stream_usage=False) as srv:
        srv.queue(Reply(S6))
        _, result = draft(srv.base_url, make_report(), "s6", validator=lambda r, s, t: [])
        sent = srv.requests[0]
    assert sent.body["stream_options"] == {"include_usage": True}  # asked for, not given
    p = result.provenance
    assert p.tokens_estimated and p.prompt_tokens == sent.prompt_tokens
    assert p.completion_tokens == count_tokens(S6)
    assert result.error_message_zh is None and result.text == S6


@pytest.mark.parametrize("chunk_size", [1, 3, 7])
def test_utf8_characters_split_across_network_chunks_arrive_whole(srv: FakeLLMServer, chunk_size: int) -> None:
    srv.queue(Reply(GOOD, chunk_size=chunk_size, split_utf8=True))
    text, result = draft(srv.base_url, make_report(), validator=lambda r, s, t: [])
    assert text == GOOD == result.text and "\ufffd" not in text
    assert result.error_message_zh is None


def test_the_server_stops_at_max_tokens_and_that_is_no_draft(srv: FakeLLMServer) -> None:
    long_text = GOOD * 4
    srv.queue(Reply(long_text, prompt_tokens=None, completion_tokens=None))
    text, result = draft(srv.base_url, make_report(), validator=lambda r, s, t: [], max_output_tokens=64)
    assert text and long_text.startswith(text) and len(text) < len(long_text)  # shown while it streamed
    assert count_tokens(text) <= 64
    message = result.error_message_zh or ""
    assert "令牌数上限" in message and "GKASSIST_LLM_MAX_TOKENS" in message
    assert result.text == "" and result.alternative_template_text and len(srv.requests) == 1


def test_a_reply_that_fills_the_context_stops_with_length() -> None:
    report = make_report()
    context = first_prompt_tokens(report) + 30
    with FakeLLMServer(context=context) as srv:
        srv.queue(Reply(GOOD * 3))
        text, result = draft(srv.base_url, report, validator=lambda r, s, t: [], context_budget=context)
    assert 0 < count_tokens(text) <= 30
    assert "令牌数上限" in (result.error_message_zh or "") and result.text == ""


def test_length_on_a_reask_keeps_the_previous_candidate(srv: FakeLLMServer) -> None:
    bad = GOOD.replace("申请20件", "申请500件")

    def flag_500(report: Report, sid: str, text: str) -> list[Finding]:
        i = text.find("500件")
        if i < 0:
            return []
        return [Finding(code="X1", severity="error", location=Location(section="s1", start=i, end=i + 4),
                        message="“收到申请”写的是500件，而表三为20件。请改为20件。")]

    srv.queue(Reply(bad), Reply(GOOD * 5))
    _, result = draft(srv.base_url, make_report(), validator=flag_500, max_output_tokens=300)
    assert len(srv.requests) == 2
    assert result.text == bad and [f.code for f in result.findings] == ["X1"]  # the complete earlier draft
    assert "令牌数上限" in (result.error_message_zh or "")
