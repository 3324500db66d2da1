"""LLM drafting overhead against a real local model: llama.cpp's llama-server with
SmolLM2-135M-Instruct on 127.0.0.1, at the pace it really generates.

The drafter's whole run (prompt fitting, streaming through langchain, the checks) is timed
against the same streamed request sent with httpx alone. Temperature 0 and the server's prompt
cache (warmed by one draft first) make both do the same work: read the cached prompt, generate
the same tokens. Runs only when the server binary is already cached (.cache/llama/, built by
./scripts/build-llama-server.sh, about 12 minutes); otherwise the row says so.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from typing import Any

from benchmarks.bench_draft import full_report
from gkassist.drafting import draft_section
from gkassist.drafting.settings import LLMSettings
from gkassist.model import SectionId
from gkassist.names import SECTION_TITLES
from tests.llama_server import MODEL_ALIAS, build, serving

Result = tuple[str, float, str, str]
SECTION: SectionId = "s6"  # the shortest prompt: the benchmark measures the stream, not prompt reading
CONTEXT = 4096
MAX_TOKENS = 128
BUDGET = 1300  # o200k tokens; SmolLM2's tokenizer needs 2.0–2.3× as many for Chinese
RUNS = 3


def _direct(client: Any, url: str, body: dict[str, Any]) -> int:
    """The same streamed request with httpx alone; the completion tokens the server reported."""
    tokens = 0
    with client.stream("POST", url, content=json.dumps(body, ensure_ascii=False).encode(),
                       headers={"Content-Type": "application/json"}) as response:  # fmt: skip
        response.raise_for_status()
        for line in response.iter_lines():
            if line.startswith("data: {"):
                usage = json.loads(line[6:]).get("usage") or {}
                tokens = int(usage.get("completion_tokens") or tokens)
    return tokens


def run() -> list[Result]:
    label = "大模型起草总耗时 / 纯接口耗时（本地真实模型 SmolLM2-135M，llama-server -t 1"
    built, _why = build(cached_only=True)
    if built is None:
        note = "：未测量，llama-server 尚未构建，请先运行 ./scripts/build-llama-server.sh，约12分钟）"
        return [(label + note, math.nan, "倍", "≤ 1.05")]
    import httpx

    report = full_report()
    with serving(built, CONTEXT) as (server, proxy):
        settings = LLMSettings(
            base_url=proxy.base_url, model=MODEL_ALIAS, timeout=120, retries=0, max_reasks=0,
            temperature=0, max_output_tokens=MAX_TOKENS, context_budget=BUDGET,
        )  # fmt: skip
        warm = draft_section(report, SECTION, "llm", settings).result  # warm-up: the prompt is cached
        if warm.provenance.attempts != 1:
            raise RuntimeError("the warm-up draft did not make exactly one request")
        body = proxy.exchanges[-1].body  # exactly what the drafter sends
        direct_settings = settings.model_copy(update={"base_url": server.base_url})
        draft_times: list[float] = []
        direct_times: list[float] = []
        tokens: list[int] = []
        with httpx.Client(timeout=120, trust_env=False) as client:
            for _ in range(RUNS):  # interleaved so the machine's load affects both alike
                start = time.perf_counter()
                result = draft_section(report, SECTION, "llm", direct_settings).result
                draft_times.append(time.perf_counter() - start)
                start = time.perf_counter()
                tokens.append(_direct(client, f"{server.base_url}/chat/completions", body))
                direct_times.append(time.perf_counter() - start)
    draft_s, direct_s = statistics.median(draft_times), statistics.median(direct_times)
    detail = (
        f"，{SECTION_TITLES[SECTION]}，每次生成{result.provenance.completion_tokens}/{statistics.median(tokens):.0f}个令牌，"
        f"中位数 {draft_s:.2f} / {direct_s:.2f} s）"
    )
    return [(label + detail, draft_s / direct_s, "倍", "≤ 1.05")]


if __name__ == "__main__":
    for row in run():
        print(row)
