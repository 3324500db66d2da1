"""Drafting against a real instruct model: llama.cpp's llama-server with SmolLM2-135M-Instruct on
127.0.0.1 (tests/llama_server.py; the first run builds the server, about 12 minutes).

一 and 五 are drafted through the 起草 page's own calls (gkassist.ui.drafting_glue: start the
draft, stream each attempt into its own area, make the candidate, judge it, adopt only when the
clerk does), with the settings read as the app reads them (GKASSIST_LLM_* through
server_settings). The model writes nonsense Chinese; what is asserted is what it cannot fake:
- no request exceeds the server's context (counted by the server's own tokenizer, and the
  drafter's own estimate stays within its budget);
- every number in an adoptable candidate is grounded;
- a nonsense reply is judged: it gets findings, and a reply rejected as no draft never becomes
  the candidate;
- the section text changes only when the clerk adopts (and undo puts it back);
- each draft ends within its limits (tokens per reply, time).
A re-ask happens only when a reply ends by itself with findings; this model mostly loops until the
token limit, and a reply cut there is refused at once (no re-ask). Either way is asserted.
What the model wrote and how the checks judged it goes to .cache/llama/real-model-run.md.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from gkassist.drafting.budget import count_messages
from gkassist.drafting.candidate import Attempt, Candidate, adoption_blocker
from gkassist.drafting.llm import MIN_CJK_CHARS, clean_reply
from gkassist.drafting.settings import LLMSettings, server_settings
from gkassist.drafting.validate import blocking, rejections, section_findings
from gkassist.findings import render_finding
from gkassist.grounding import classify_text
from gkassist.importers import import_file
from gkassist.model import Report, SectionId
from gkassist.ui import drafting_glue
from tests.llama_server import MODEL_ALIAS, Exchange, LlamaServer, RecordingProxy, build, serving
from tests.tools import missing, require_tool

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
LAST_YEAR = ROOT / "tests" / "fixtures" / "real" / "207.txt"
RECORD = ROOT / ".cache" / "llama" / "real-model-run.md"

CONTEXT = 4096  # llama-server -c: small, so that the budget has to work
MAX_TOKENS = 256  # GKASSIST_LLM_MAX_TOKENS: each reply stops there at the latest
# The drafter counts prompt tokens with o200k_base. SmolLM2's tokenizer, trained on English, needs
# 2.0–2.3× as many tokens for the same Chinese prompt (measured on these prompts through the
# server's /tokenize), so a clerk serving such a model sets the budget accordingly:
TOKENIZER_FACTOR = 3.0
BUDGET = int((CONTEXT - MAX_TOKENS) / TOKENIZER_FACTOR)
REASKS = 1
TIMEOUT_S = 120  # GKASSIST_LLM_TIMEOUT, per request
GRACE_S = 30  # prompt fitting, checks and the template alternative, per draft
GROUNDED = {"matched", "declared", "exempt"}


@dataclass
class Judged:
    attempt: Attempt
    finish: str | None  # the server's finish_reason: only a reply that stopped normally is checked
    text: str  # as the drafter cleans it before checking
    findings: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


RUNS: list[str] = []  # the record, one block per section


@pytest.fixture(scope="module")
def llama(request: pytest.FixtureRequest) -> Iterator[tuple[LlamaServer, RecordingProxy]]:
    require_tool(request, "llama-server")
    built, why = build(cached_only=True)
    if built is None:
        missing(why)
    with serving(built, CONTEXT) as pair:
        yield pair
    if RUNS:
        RECORD.parent.mkdir(parents=True, exist_ok=True)
        RECORD.write_text("\n\n".join(RUNS) + "\n", encoding="utf-8")


def this_year() -> Report:
    """A real agency's next report: its tables carried on, its published report as last year."""
    last = import_file(LAST_YEAR).report
    assert last is not None
    report = Report.new(last.meta.agency, last.meta.year + 1, last.meta.format)
    for table_id, table in last.tables.items():
        report.tables[table_id] = table.model_copy(deep=True)
    report.last_year = last
    return report


def app_settings(monkeypatch: pytest.MonkeyPatch, base_url: str) -> LLMSettings:
    """The settings the app builds from the server's environment."""
    env = {
        "GKASSIST_LLM_BASE_URL": base_url,
        "GKASSIST_LLM_MODEL": MODEL_ALIAS,
        "GKASSIST_LLM_MAX_TOKENS": str(MAX_TOKENS),
        "GKASSIST_LLM_CONTEXT_BUDGET": str(BUDGET),
        "GKASSIST_LLM_REASKS": str(REASKS),
        "GKASSIST_LLM_TIMEOUT": str(TIMEOUT_S),
        "GKASSIST_LLM_RETRIES": "0",  # one request per attempt
        "GKASSIST_LLM_TEMPERATURE": "0.2",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = server_settings(os.environ)
    assert settings is not None
    assert (settings.max_output_tokens, settings.context_budget, settings.max_reasks) == (MAX_TOKENS, BUDGET, REASKS)
    return settings


def judge(report: Report, sid: SectionId, attempt: Attempt, exchange: Exchange) -> Judged:
    """How the checks judge one reply, as the drafter judged it (cleaned the same way)."""
    text = clean_reply(attempt.text, sid)
    if sum("\u4e00" <= ch <= "\u9fff" for ch in text) < MIN_CJK_CHARS:
        return Judged(attempt, exchange.finish_reason, text)  # the drafter refuses it before any check
    findings = section_findings(report, sid, text, candidate=True)
    rendered = [render_finding(f) for f in findings]
    return Judged(attempt, exchange.finish_reason, text, rendered, [render_finding(f) for f in rejections(findings)])


def record(sid: SectionId, judged: list[Judged], exchanges: list[Exchange], server_tokens: list[int], outcome: str) -> None:
    lines = [f"## {sid}: {outcome}"]
    for j, ex, tokens in zip(judged, exchanges, server_tokens, strict=False):
        usage = ex.usage or {}
        lines.append(
            f"### {j.attempt.label}: prompt {tokens} server tokens (drafter's estimate "
            f"{count_messages([str(m['content']) for m in ex.body['messages']])} o200k), reply "
            f"{usage.get('completion_tokens', '?')} tokens, finish {ex.finish_reason}, {ex.seconds:.1f} s"
        )
        if j.attempt.reasons:
            lines.append("re-asked because: " + "；".join(j.attempt.reasons))
        lines.append("```\n" + j.attempt.text + "\n```")
        lines.extend(f"- rejected: {r}" for r in j.rejected)
        lines.extend(f"- finding: {f}" for f in j.findings if f not in j.rejected)
        if j.finish != "stop":
            lines.append("- the reply did not finish normally, so the drafter refused it; the findings above are "
                         "what the checks say of it as a candidate")
        if not j.findings:
            lines.append("- not checked (too little Chinese) or no findings")
    RUNS.append("\n".join(lines))
    print("\n".join(lines))


@pytest.mark.parametrize("sid", ["s1", "s5"])
def test_real_model_drafts_through_the_desk(
    sid: SectionId, llama: tuple[LlamaServer, RecordingProxy], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, proxy = llama
    settings = app_settings(monkeypatch, proxy.base_url)
    report = this_year()
    before_text, before_record = report.section(sid), report.drafts.get(sid)
    proxy.settled()
    proxy.exchanges.clear()

    shown: list[list[str]] = []

    def open_area(attempt: Attempt) -> drafting_glue.ShowText:
        shown.append([])
        return shown[-1].append

    started = time.monotonic()
    run = drafting_glue.start_draft(report, sid, "llm", settings)
    attempts = drafting_glue.stream_attempts(run.chunks, open_area)
    elapsed = time.monotonic() - started
    result = run.result
    assert run.error_zh is None and result is not None
    candidate = drafting_glue.new_candidate(run, "llm", report.section(sid), attempts)

    # nothing is adopted by drafting: the section and its drafter record are as they were
    assert report.section(sid) == before_text and report.drafts.get(sid) == before_record

    # one request per attempt; each within the context as the server counts it, and within the
    # drafter's own budget as it estimates it
    exchanges = proxy.settled()
    assert len(exchanges) == result.provenance.attempts == len(attempts) >= 1
    server_tokens = [server.prompt_tokens(ex.body) for ex in exchanges]
    for ex, tokens in zip(exchanges, server_tokens, strict=True):
        assert ex.status == 200, ex.error
        assert ex.body["model"] == MODEL_ALIAS and ex.body.get("stream") is True
        assert ex.body.get("max_tokens") == MAX_TOKENS
        assert count_messages([str(m["content"]) for m in ex.body["messages"]]) <= BUDGET
        assert tokens + MAX_TOKENS <= CONTEXT, f"a request of {tokens} tokens leaves no room to answer"
        assert int((ex.usage or {}).get("completion_tokens", 0)) <= MAX_TOKENS
    # a re-ask sends the findings that caused it, and its area says so
    for attempt in attempts[1:]:
        assert attempt.reasons
    # real streaming: the first reply arrived in many pieces, each shown as it came
    assert exchanges[0].events > 1 and len(shown[0]) > 1

    # the run ends within its limit
    assert elapsed <= len(exchanges) * TIMEOUT_S + GRACE_S

    judged = [judge(report, sid, a, ex) for a, ex in zip(attempts, exchanges, strict=True)]
    # whatever the model wrote (cut at the token limit or not), shown as a candidate it cannot be adopted
    for attempt in attempts:
        text = clean_reply(attempt.text, sid)
        if sum("\u4e00" <= ch <= "\u9fff" for ch in text) >= MIN_CJK_CHARS:
            as_candidate = Candidate(sid, "llm", "", before_text, text)
            blocker = adoption_blocker(as_candidate, drafting_glue.candidate_findings(report, as_candidate))
            assert blocker is not None, f"the model's reply could be adopted as it stands: {text!r}"
    # a small model's Chinese is nonsense: every reply the checks read is judged to need work
    for j in judged:
        if j.finish == "stop" and j.text.strip():
            assert j.findings or sum("\u4e00" <= ch <= "\u9fff" for ch in j.text) < MIN_CJK_CHARS, (
                f"the checks found nothing in the model's reply: {j.text!r}"
            )

    if candidate is None:  # a fault or only rejected replies: a Chinese message and the template offered
        message = result.error_message_zh or ""
        assert message and "Error" not in message and any("\u4e00" <= ch <= "\u9fff" for ch in message)
        assert result.alternative_template_text
        outcome = f"no candidate: {message}"
    else:
        # a reply rejected as no draft never becomes the candidate
        assert all(candidate.text != j.text for j in judged if j.rejected)
        findings = drafting_glue.candidate_findings(report, candidate)
        blocker = adoption_blocker(candidate, findings)
        if blocker is None:  # adoptable as it stands: then every number in it is grounded
            claims = classify_text(report, sid, candidate.text)
            assert all(c.kind in GROUNDED for c in claims), [(c.text, c.kind) for c in claims]
            undo = drafting_glue.adopt_candidate(report, candidate)  # the clerk adopts
            assert report.section(sid) == candidate.text
            drafting_glue.undo_candidate(report, undo)
            assert report.section(sid) == before_text
            outcome = "candidate adoptable (numbers grounded), adopted and undone by the clerk"
        else:  # the page offers no 采用 (the buttons are disabled); the section stays as it was
            assert blocking(findings) and report.section(sid) == before_text
            outcome = f"candidate not adoptable: {blocker}"
    record(sid, judged, exchanges, server_tokens, outcome)
