"""ChatOpenAI against a local OpenAI-compatible server: streaming, usage, retries, faults, key hygiene."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from gkassist.drafting import draft_section
from gkassist.drafting.settings import LLMSettings
from gkassist.drafting.types import DraftResult
from gkassist.examples import load_example
from tests.fakes.llm_server import Cut, Empty, FakeLLMServer, Malformed, Reply, Slow, Status, closed_port

KEY = "sk-live-SECRET-9f8e7d6c5b4a"
TEXT = "（一）信息处理费收取情况\n本年度未收取信息处理费。\n（二）其他事项\n本年度无其他需要报告的事项。"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as srv:
        yield srv


@pytest.fixture
def srv(server: FakeLLMServer) -> FakeLLMServer:
    server.requests.clear()
    return server


def settings_for(url: str, **update: object) -> LLMSettings:
    base = LLMSettings(base_url=url, model="fake-model", api_key=KEY, timeout=2, retries=2, backoff=0.001)
    return base.model_copy(update=update)


def draft(url: str, sleeps: list[float] | None = None, **update: object) -> tuple[list[str], DraftResult]:
    stream = draft_section(
        load_example("example-2021"),
        "s6",
        "llm",
        settings_for(url, **update),
        validator=lambda r, s, t: [],
        sleep=(sleeps.append if sleeps is not None else None),
    )
    chunks = [str(c) for c in stream]
    return chunks, stream.result


def assert_fault(result: DraftResult, words: str) -> None:
    assert result.error_message_zh is not None and words in result.error_message_zh
    assert "您已写的内容没有改动" in result.error_message_zh
    assert result.alternative_template_text and "信息处理费" in result.alternative_template_text
    assert KEY not in result.model_dump_json()


def test_streams_plain_text_and_records_usage(srv: FakeLLMServer) -> None:
    srv.queue(Reply(TEXT, chunk_size=5, prompt_tokens=321, completion_tokens=45))
    chunks, result = draft(srv.base_url)
    assert len(chunks) > 3 and "".join(chunks) == TEXT == result.text
    p = result.provenance
    assert (p.model, p.prompt_id, p.attempts, p.prompt_tokens, p.completion_tokens) == (
        "fake-model",
        "other_matters",
        1,
        321,
        45,
    )
    assert not p.tokens_estimated
    body = srv.requests[0].body
    assert body["stream"] is True and "response_format" not in body and "tools" not in body
    assert body["max_tokens"] == 2000 and body["stream_options"] == {"include_usage": True}
    assert srv.requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert "【信息处理费】" in body["messages"][1]["content"]


def test_http_500_and_429_are_retried_with_backoff(srv: FakeLLMServer) -> None:
    srv.queue(Status(500), Status(429), Reply(TEXT))
    sleeps: list[float] = []
    _, result = draft(srv.base_url, sleeps, backoff=0.01)
    assert result.error_message_zh is None and result.text == TEXT
    assert len(srv.requests) == 3
    assert sleeps == [0.01, 0.02]


@pytest.mark.parametrize(("code", "words"), [(500, "HTTP 500"), (429, "HTTP 429")])
def test_persistent_http_errors_end_in_a_chinese_message(srv: FakeLLMServer, code: int, words: str) -> None:
    srv.queue(Status(code), Status(code), Status(code))
    _, result = draft(srv.base_url)
    assert_fault(result, words)
    assert len(srv.requests) == 3  # 1 + 2 retries


def test_rejected_key_is_not_echoed(srv: FakeLLMServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    srv.queue(Status(401, f"Incorrect API key provided: {KEY}"))
    _, result = draft(srv.base_url)
    assert_fault(result, "GKASSIST_LLM_API_KEY")
    assert len(srv.requests) == 1  # not retried
    assert KEY not in caplog.text and "SECRET" not in caplog.text


def test_bad_request_detail_is_redacted(srv: FakeLLMServer) -> None:
    srv.queue(Status(400, f"model not allowed for key {KEY}"))
    _, result = draft(srv.base_url)
    assert_fault(result, "HTTP 400")
    assert "model not allowed" in (result.error_message_zh or "")


def test_malformed_reply(srv: FakeLLMServer) -> None:
    srv.queue(Malformed())
    _, result = draft(srv.base_url)
    assert_fault(result, "无法解析")


def test_empty_reply(srv: FakeLLMServer) -> None:
    srv.queue(Empty())
    _, result = draft(srv.base_url)
    assert_fault(result, "空白内容")


def test_stream_cut_mid_way(srv: FakeLLMServer) -> None:
    srv.queue(Cut(TEXT, keep=8))
    chunks, result = draft(srv.base_url)
    assert_fault(result, "中途中断")
    assert "".join(chunks) == TEXT[:8] and result.text == ""  # shown while streaming, never a draft
    assert len(srv.requests) == 1  # text was already shown: not retried


@pytest.mark.parametrize(
    ("behaviour", "words"),
    [
        (Reply(TEXT, finish=None, done=False), "没有收到正常结束的标志"),  # no finish_reason, no [DONE]
        (Reply(TEXT, finish=None, done=True), "没有收到正常结束的标志"),  # [DONE] but no finish_reason
        (Reply(TEXT, finish="length"), "令牌数上限"),
    ],
)
def test_a_stream_that_does_not_finish_normally_is_no_draft(srv: FakeLLMServer, behaviour: Reply, words: str) -> None:
    srv.queue(behaviour)
    chunks, result = draft(srv.base_url)
    assert "".join(chunks) == TEXT  # every character arrived, yet the reply never said it was complete
    assert_fault(result, words)
    assert result.text == "" and result.findings == []
    assert len(srv.requests) == 1


def test_finish_reason_without_done_is_a_complete_reply(srv: FakeLLMServer) -> None:
    """Some servers never send [DONE]: the finish reason is what says the reply is whole."""
    srv.queue(Reply(TEXT, done=False))
    _, result = draft(srv.base_url)
    assert result.error_message_zh is None and result.text == TEXT


def test_timeout(srv: FakeLLMServer) -> None:
    srv.queue(Slow(1.0))
    _, result = draft(srv.base_url, timeout=0.2, retries=0)
    assert_fault(result, "超时")


def test_connection_refused(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    _, result = draft(f"http://127.0.0.1:{closed_port()}/v1", retries=1)
    assert_fault(result, "无法连接")
    assert KEY not in caplog.text
