"""Drafting benchmarks: LLM drafting overhead against a local fake endpoint, prompt size per
section (cl100k_base, counted offline) and the template drafter's speed.

Everything stays on 127.0.0.1: the OpenAI-compatible endpoint is tests/fakes/llm_server.py,
started in-process and stopped before ``run`` returns.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import time
from collections.abc import Iterator
from typing import Any

from benchmarks.timing import median_ms
from gkassist.drafting import draft_section
from gkassist.drafting.budget import count_messages
from gkassist.drafting.inputs import last_year_text, prompt_values, section_highlights
from gkassist.drafting.prompts import prompt_for_section
from gkassist.drafting.settings import LLMSettings
from gkassist.drafting.template import template_text
from gkassist.drafting.validate import blocking
from gkassist.examples import load_example
from gkassist.last_year.attach import attach_last_year
from gkassist.model import Report, SectionId
from gkassist.names import SECTION_TITLES

Result = tuple[str, float, str, str]  # name, measured, unit, target

SECTIONS: tuple[SectionId, ...] = ("s1", "s5", "s6")
LATENCY_S = 0.2  # the fake endpoint waits this long before it starts streaming
PACED_INTERVAL_S = 0.001  # a paced variant: one 6-character chunk per millisecond
OVERHEAD_RUNS = 10
TEMPLATE_RUNS = 50
PROMPT_ENCODING = "cl100k_base"

# Staff highlights for all five aspects plus 存在问题 / 改进措施: realistic length, no figures
# (figures would have to match the report to survive the number check).
HIGHLIGHTS: dict[str, str] = {
    "主动公开": (
        "围绕优化营商环境和生态环境保护重点工作，开设惠企政策和环评审批专栏，集中发布惠企政策、"
        "环境质量状况和执法监管信息；重要政策文件做到文件与解读同步起草、同步审签、同步发布，"
        "并通过图解、短视频等形式提高政策解读的可读性。"
    ),
    "依申请公开": (
        "建立依申请公开受理、登记、办理、答复全流程台账，明确各环节办理时限；"
        "对疑难申请实行法律顾问会商，规范答复文书格式和告知内容，确保在法定期限内依法答复。"
    ),
    "政府信息管理": (
        "严格落实公开前保密审查和合法性审查，动态调整政府信息公开目录，"
        "开展行政规范性文件清理，及时公布清理结果和现行有效文件目录。"
    ),
    "政府信息公开平台建设": (
        "完成门户网站适老化和无障碍改造，优化政府信息公开专栏栏目设置和站内检索功能；"
        "完成政务新媒体账号清理整合，建立新媒体信息发布审核机制。"
    ),
    "监督保障": (
        "将政府信息公开工作纳入年度绩效考核，定期开展网站和新媒体内容检查，"
        "组织业务培训，邀请社会监督员对公开工作进行评议，对发现的问题及时督促整改。"
    ),
    "存在问题": "一是政策解读的针对性和实效性不强，解读形式仍较单一；二是基层政务公开标准化规范化水平不高。",
    "改进措施": (
        "一是加强政策解读，丰富解读形式，提高解读的针对性；二是推进基层政务公开标准化建设，"
        "加强业务培训和工作指导，进一步提升公开质量。"
    ),
}


def full_report() -> Report:
    """example-2021 with highlights for every aspect and last year's complete report attached."""
    report = load_example("example-2021")
    report.highlights = dict(HIGHLIGHTS)
    last = load_example("example-2021")
    year = report.meta.year
    last.meta.year = year - 1
    last.sections = {sid: text.replace(f"{year}年", f"{year - 1}年") for sid, text in last.sections.items()}
    attach_last_year(report, last)
    return report


# -- 1. LLM drafting overhead over the endpoint's own time ---------------------------------


@contextlib.contextmanager
def _loopback_only() -> Iterator[None]:
    """Make sure no proxy setting reroutes the loopback requests."""
    saved = {k: os.environ.get(k) for k in ("NO_PROXY", "no_proxy")}
    for key in saved:
        os.environ[key] = ",".join(p for p in ("127.0.0.1", "localhost", saved[key] or "") if p)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _direct_request(client: Any, url: str, body: dict[str, Any]) -> str:
    """The same streamed chat-completions request, made with httpx alone; returns the text."""
    parts: list[str] = []
    with client.stream(
        "POST",
        url,
        content=json.dumps(body, ensure_ascii=False).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": "Bearer EMPTY",
        },
    ) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            for choice in json.loads(line[6:]).get("choices", []):
                parts.append(choice.get("delta", {}).get("content") or "")
    return "".join(parts)


def drafting_overhead(
    report: Report, section: SectionId = "s1", runs: int = OVERHEAD_RUNS, interval: float = 0.0
) -> tuple[float, float, float]:
    """(median drafting s, median direct request s, ratio) against the fake server, which waits
    LATENCY_S and then sends the reply in chunks of 6 characters, ``interval`` seconds apart
    (0: all at once, the worst case for per-chunk client work)."""
    import httpx

    from tests.fakes.llm_server import FakeLLMServer, Slow

    reply = template_text(report, section)  # passes the number check: no re-ask
    draft_times: list[float] = []
    direct_times: list[float] = []
    with _loopback_only(), FakeLLMServer(default=Slow(LATENCY_S, reply, interval)) as srv:
        settings = LLMSettings(base_url=srv.base_url, model="fake-model", timeout=10, retries=0)

        def one_draft() -> float:
            start = time.perf_counter()
            result = draft_section(report, section, "llm", settings).result
            elapsed = time.perf_counter() - start
            if result.error_message_zh or result.provenance.attempts != 1 or blocking(result.findings):
                raise RuntimeError(f"draft did not pass on the first attempt: {result.error_message_zh}")
            return elapsed

        one_draft()  # warm-up: imports, tokenizer, prompt files, first client
        body = srv.requests[-1].body  # exactly what the drafter sends
        url = f"{srv.base_url}/chat/completions"
        with httpx.Client(timeout=10, trust_env=False) as client:
            if _direct_request(client, url, body) != reply:
                raise RuntimeError("direct request returned a different text")
            for _ in range(runs):  # interleaved so drift affects both alike
                draft_times.append(one_draft())
                start = time.perf_counter()
                _direct_request(client, url, body)
                direct_times.append(time.perf_counter() - start)
    draft_s, direct_s = statistics.median(draft_times), statistics.median(direct_times)
    return draft_s, direct_s, draft_s / direct_s


def client_floor(
    report: Report, section: SectionId = "s1", runs: int = OVERHEAD_RUNS, interval: float = PACED_INTERVAL_S
) -> tuple[float, float, float]:
    """The library floor under ``drafting_overhead``: the drafter's own chat client (langchain's
    ChatOpenAI as gkassist builds it) streaming the same messages, with none of gkassist's work
    (prompt fitting, checks). (median client s, median direct request s, ratio)."""
    import httpx

    from gkassist.drafting.llm import build_chat_model
    from tests.fakes.llm_server import FakeLLMServer, Slow

    reply = template_text(report, section)
    client_times: list[float] = []
    direct_times: list[float] = []
    with _loopback_only(), FakeLLMServer(default=Slow(LATENCY_S, reply, interval)) as srv:
        settings = LLMSettings(base_url=srv.base_url, model="fake-model", timeout=10, retries=0)
        draft_section(report, section, "llm", settings).result.text  # noqa: B018 (warm-up, records the body)
        body = srv.requests[-1].body
        messages = [(m["role"].replace("user", "human").replace("assistant", "ai"), m["content"]) for m in body["messages"]]
        model = build_chat_model(settings)
        url = f"{srv.base_url}/chat/completions"
        with httpx.Client(timeout=10, trust_env=False) as client:
            for _ in range(runs):
                start = time.perf_counter()
                text = "".join(str(chunk.content) for chunk in model.stream(messages))
                client_times.append(time.perf_counter() - start)
                start = time.perf_counter()
                _direct_request(client, url, body)
                direct_times.append(time.perf_counter() - start)
                if text != reply:
                    raise RuntimeError("the chat client returned a different text")
    client_s, direct_s = statistics.median(client_times), statistics.median(direct_times)
    return client_s, direct_s, client_s / direct_s


# -- 2. prompt size per section -------------------------------------------------------------


def prompt_tokens(report: Report, section: SectionId, encoding: str = PROMPT_ENCODING) -> int:
    """Tokens of the full (unshortened) system + human messages, with per-message overhead."""
    spec = prompt_for_section(section)
    values = prompt_values(report, section, last_year_text(report, section), section_highlights(report, section))
    return count_messages(list(spec.render(values)), encoding)


# -- 3. template drafter --------------------------------------------------------------------


def run() -> list[Result]:
    report = full_report()
    results: list[Result] = []
    draft_s, direct_s, ratio = drafting_overhead(report)
    results.append(
        (
            f"大模型起草总耗时 / 纯接口耗时（{SECTION_TITLES['s1']}，本地接口延迟{LATENCY_S * 1000:.0f} ms，"
            f"中位数 {draft_s * 1000:.1f} / {direct_s * 1000:.1f} ms）",
            ratio,
            "倍",
            "≤ 1.05",
        )
    )
    draft_s, direct_s, ratio = drafting_overhead(report, interval=PACED_INTERVAL_S)
    results.append(
        (
            f"同上，但接口每{PACED_INTERVAL_S * 1000:.0f} ms发送一块（仍远快于真实模型的生成速度；"
            f"中位数 {draft_s * 1000:.1f} / {direct_s * 1000:.1f} ms）",
            ratio,
            "倍",
            "≤ 1.05",
        )
    )
    client_s, direct_s, ratio = client_floor(report)
    results.append(
        (
            f"  参照：只用起草所用的客户端（langchain ChatOpenAI）发同一请求，不含提示词与核对（库的下限；"
            f"中位数 {client_s * 1000:.1f} / {direct_s * 1000:.1f} ms）",
            ratio,
            "倍",
            "参考",
        )
    )
    for sid in SECTIONS:
        results.append(
            (
                f"提示词令牌数：{SECTION_TITLES[sid]}（完整报告＋全部亮点＋上年报告）",
                prompt_tokens(report, sid),
                "令牌",
                "≤ 3,000 (cl100k)",
            )
        )
    for sid in SECTIONS:
        ms = median_ms(lambda sid=sid: draft_section(report, sid).result, TEMPLATE_RUNS)
        results.append((f"模板起草耗时：{SECTION_TITLES[sid]}（中位数）", ms, "ms", "≤ 20 ms"))
    return results


if __name__ == "__main__":
    for row in run():
        print(row)
