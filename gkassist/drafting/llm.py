"""The LLM drafter: a chat model behind an OpenAI-compatible endpoint, with grounded numbers.

Flow: facts block built by code -> prompt from prompts/<id>.yaml (fitted to the token budget)
-> plain-text streamed reply -> the same checks as human text -> on findings, re-ask with the
Chinese finding messages (bounded) -> the last draft with its findings. Faults (connection,
timeout, HTTP 429/5xx with retry and backoff, malformed or empty replies, a stream that ends
without a normal finish reason) end in a Chinese message with the template draft offered; a
reply that did not finish normally is never taken as a draft. Drafting never raises.

langchain is imported lazily here so the CLI ``check`` path never loads it.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from gkassist.drafting.budget import count_messages, count_tokens, fit_to_budget
from gkassist.drafting.faults import KEEP_USER_TEXT, DraftFault, classify, incomplete_reply, reply_complete, retry_after
from gkassist.drafting.inputs import last_year_text, prompt_values, section_highlights
from gkassist.drafting.plain_stream import PlainChunkCompletions
from gkassist.drafting.prompts import PromptLoadError, PromptRenderError, PromptSpec, prompt_for_section
from gkassist.drafting.reask import Pairs, fit_reask
from gkassist.drafting.redact import redact
from gkassist.drafting.settings import LLMSettings, SettingsError
from gkassist.drafting.template import compose
from gkassist.drafting.types import ChatModel, DraftChunk, DraftResult, Provenance
from gkassist.drafting.validate import Validator, blocking, rejections, section_findings
from gkassist.findings import Finding, render_finding
from gkassist.model import Report, SectionId
from gkassist.names import SECTION_TITLES

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import BaseMessage

log = logging.getLogger(__name__)

MIN_CJK_CHARS = 6


# -- model calls -------------------------------------------------------------------------


@lru_cache(maxsize=8)
def build_chat_model(settings: LLMSettings) -> BaseChatModel:
    """ChatOpenAI for any OpenAI-compatible endpoint (plain text, no response_format).

    One per settings for the life of the process: its HTTP client keeps the connection to the
    endpoint open between drafts (no new TCP/TLS handshake per section). The key lives only in
    this process's memory.
    """
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    key = settings.api_key if settings.api_key.get_secret_value() else SecretStr("EMPTY")
    model = ChatOpenAI(
        base_url=settings.base_url,
        model=settings.model,
        api_key=key,
        timeout=settings.timeout,
        max_retries=0,  # retries and backoff are ours (see _call)
        temperature=settings.temperature,
        stream_usage=settings.stream_usage,
        # "max_tokens" is what DeepSeek, vLLM, Ollama and llama.cpp all accept (langchain would send
        # max_completion_tokens, which older compatible servers do not know)
        extra_body={"max_tokens": settings.max_output_tokens} if settings.max_output_tokens else None,
    )
    model.client = PlainChunkCompletions(model.root_client)
    return model


@dataclass
class _Reply:
    text: str = ""
    input_tokens: int | None = None
    output_tokens: int | None = None
    finish_reason: str | None = None
    parts: list[str] = field(default_factory=list)


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks
        return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return ""


@contextlib.contextmanager
def _untraced() -> Iterator[contextvars.Context]:
    """A private copy of the current context with LangSmith tracing off: report data never goes
    to LangSmith, whatever the environment says. The caller's own context is never changed."""
    context = contextvars.copy_context()
    try:
        from langsmith import tracing_context
    except ImportError:  # pragma: no cover
        yield context
        return
    manager = tracing_context(enabled=False)
    context.run(manager.__enter__)
    try:
        yield context
    finally:  # undone inside the copy too, also when the consumer abandons the stream
        context.run(manager.__exit__, None, None, None)


def _stream_once(
    model: ChatModel, messages: list[BaseMessage], attempt: int, reply: _Reply
) -> Iterator[DraftChunk]:
    # every step of the model's generator runs inside the untraced copy, so nothing is left set
    # in the caller's context while it holds this generator between chunks
    with _untraced() as context:
        chunks = context.run(model.stream, messages)
        try:
            yield from _chunks(context, chunks, attempt, reply)
        finally:  # an abandoned stream is closed in the copy as well
            close = getattr(chunks, "close", None)
            if close is not None:
                context.run(close)


_FINISH_KEYS = ("finish_reason", "done_reason", "stop_reason")  # OpenAI-compatible, Ollama, Anthropic


def _finish_reason(metadata: dict[str, Any] | None) -> str | None:
    for key in _FINISH_KEYS:
        value = (metadata or {}).get(key)
        if value:
            return str(value)
    return None


def _chunks(
    context: contextvars.Context, chunks: Iterator[Any], attempt: int, reply: _Reply
) -> Iterator[DraftChunk]:
    while True:
        chunk = context.run(next, chunks, None)
        if chunk is None:
            break
        text = _content_text(chunk.content)
        usage = getattr(chunk, "usage_metadata", None)
        if usage:
            reply.input_tokens = (reply.input_tokens or 0) + int(usage.get("input_tokens", 0))
            reply.output_tokens = (reply.output_tokens or 0) + int(usage.get("output_tokens", 0))
        reply.finish_reason = _finish_reason(chunk.response_metadata) or reply.finish_reason
        if text:
            reply.parts.append(text)
            yield DraftChunk(text, attempt)
    reply.text = "".join(reply.parts)


def _call(
    model: ChatModel,
    messages: list[BaseMessage],
    settings: LLMSettings,
    attempt: int,
    sleep: Callable[[float], None],
) -> Generator[DraftChunk, None, _Reply]:
    """One model call with retry and exponential backoff for transient faults (only while
    nothing has been streamed yet). Raises DraftFault."""
    tries = 0
    while True:
        reply = _Reply()
        try:
            yield from _stream_once(model, messages, attempt, reply)
            return reply
        except Exception as exc:
            fault = classify(exc, settings, partial=bool(reply.parts))
            status = getattr(exc, "status_code", None)
            if not fault.retryable or reply.parts or tries >= settings.retries:
                log.info("LLM call failed: %s (status %s) after %d retries", type(exc).__name__, status, tries)
                raise fault from None
            delay = max(retry_after(exc) or 0.0, settings.backoff * (2**tries))
            tries += 1
            log.info("LLM call failed: %s (status %s); retry %d in %.2fs", type(exc).__name__, status, tries, delay)
            sleep(delay)


PROBE_PROMPT = "请只回复一个字：好"
PROBE_TIMEOUT_CAP = 20.0


def check_connection(settings: LLMSettings) -> tuple[bool, str]:
    """The 设置 page's connection test: one tiny request down the same path as a draft (same
    client, streamed), judged like a draft's reply. (ok, Chinese message safe to show)."""
    probe = settings.model_copy(update={"retries": 0, "timeout": min(settings.timeout, PROBE_TIMEOUT_CAP)})
    secret = settings.api_key.get_secret_value()
    reply = _Reply()
    try:
        for _ in _stream_once(build_chat_model(probe), _to_messages([("human", PROBE_PROMPT)]), 1, reply):
            pass
    except Exception as exc:
        log.info("LLM connection test failed: %s", type(exc).__name__)
        return False, redact(f"连接失败：{classify(exc, probe, partial=False).message_zh}", secret)
    if not reply_complete(reply.finish_reason):
        return False, redact(f"连接成功，但回复不完整：{incomplete_reply(probe, reply.finish_reason).message_zh}", secret)
    if not reply.text.strip():
        return False, f"连接成功，但模型返回了空白内容。请{probe.advice('检查', 'model')}。"
    if settings.shown_model == settings.shown_url:  # both the administrator's: named together
        return True, f"连接成功：{settings.shown_model}已回复。"
    return True, f"连接成功：{settings.shown_url}上的模型“{settings.shown_model}”已回复。"


_FENCE = re.compile(r"^```[a-zA-Z]*\s*\n(.*?)\n```\s*$", re.S)
_PREAMBLE = re.compile(r"^(?:好的|以下是|下面是|根据您?提供)[^\n]{0,60}[：:]\s*\n")


def clean_reply(text: str, section_id: SectionId) -> str:
    """Strip code fences, a chatty preamble, markdown emphasis and a repeated section title."""
    text = text.strip()
    m = _FENCE.match(text)
    if m:
        text = m.group(1).strip()
    text = _PREAMBLE.sub("", text, count=1).strip()
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    lines = [re.sub(r"^#{1,6}\s*", "", line).rstrip() for line in text.splitlines()]
    title = SECTION_TITLES[section_id]
    if lines and lines[0].strip() in (title, title.split("、", 1)[1]):
        lines = lines[1:]
    return "\n".join(line for line in lines if line.strip()).strip()


def _check_reply(text: str, settings: LLMSettings) -> None:
    if not text.strip():
        raise DraftFault(f"大模型返回了空白内容。请稍后重试，或{settings.advice('检查', 'model')}。")
    if sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") < MIN_CJK_CHARS:
        raise DraftFault(f"大模型返回的内容不是中文正文，无法作为草稿。请{settings.advice('检查', 'model')}。")


# -- the drafting loop -------------------------------------------------------------------


@dataclass
class _State:
    section_id: SectionId
    settings: LLMSettings
    started: float = field(default_factory=time.monotonic)
    prompt: PromptSpec | None = None
    attempts: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    estimated: bool = False
    shortened: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    last_text: str | None = None
    last_findings: list[Finding] = field(default_factory=list)
    model_name: str | None = None
    first: Pairs = field(default_factory=list)  # the first prompt, as fitted
    refit: Callable[[int], tuple[Pairs, list[str]] | None] | None = None  # the first prompt fitted to a smaller budget

    def provenance(self) -> Provenance:
        return Provenance(
            drafter="llm",
            section=self.section_id,
            model=self.model_name or self.settings.model,
            prompt_id=self.prompt.id if self.prompt else None,
            prompt_version=self.prompt.version if self.prompt else None,
            attempts=self.attempts,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            tokens_estimated=self.estimated,
            token_encoding=self.settings.encoding,
            elapsed_seconds=round(time.monotonic() - self.started, 3),
            shortened=list(self.shortened),
        )


def _alternative(report: Report, section_id: SectionId, validator: Validator | None) -> str | None:
    try:
        return compose(report, section_id, validator)[0]
    except Exception:  # the alternative is a courtesy; never let it break the result
        log.exception("template alternative failed")
        return None


def _fault_result(state: _State, report: Report, message: str, validator: Validator | None) -> DraftResult:
    """The result of a failed run: the last complete draft, if an earlier attempt produced one,
    never the text of a reply that broke off; the template draft offered."""
    return DraftResult(
        section=state.section_id,
        text=state.last_text or "",
        findings=state.last_findings,
        provenance=state.provenance(),
        error_message_zh=redact(f"{message}{KEEP_USER_TEXT}", state.settings.api_key.get_secret_value()),
        alternative_template_text=_alternative(report, state.section_id, validator),
        notes=state.notes,
    )


def _prepare(report: Report, state: _State, prompt: PromptSpec | None) -> list[tuple[str, str]]:
    """(role, text) messages for the first attempt, fitted to the token budget. Raises DraftFault."""
    sid, settings = state.section_id, state.settings
    try:
        state.prompt = prompt or prompt_for_section(sid)
    except PromptLoadError as exc:
        raise DraftFault(str(exc)) from None
    spec = state.prompt

    def render(last_year: str, highlights: dict[str, str]) -> list[str]:
        return list(spec.render(prompt_values(report, sid, last_year, highlights)))

    last_year, highlights = last_year_text(report, sid), section_highlights(report, sid)

    def refit(budget: int) -> tuple[Pairs, list[str]] | None:
        """The first prompt fitted to a smaller budget (for a re-ask), or None if even the facts do not fit."""
        fitted = fit_to_budget(render, last_year, highlights, budget, settings.encoding)
        if not fitted.fits:
            return None
        system, human = fitted.messages
        why = f"提示词超出令牌预算（上限{budget}个令牌）"  # fit_to_budget's wording, about this smaller budget
        return [("system", system), ("human", human)], [n.replace(why, "为容纳修改意见和上一稿") for n in fitted.shortened]

    try:
        fitted = fit_to_budget(render, last_year, highlights, settings.context_budget, settings.encoding)
    except PromptRenderError as exc:
        raise DraftFault(str(exc)) from None
    state.shortened = fitted.shortened
    state.notes.extend(f"{s}。" for s in fitted.shortened)
    if not fitted.fits:
        raise DraftFault(
            f"填报数据本身已超出提示词的令牌预算（需要约{fitted.prompt_tokens}个令牌，上限{settings.context_budget}个）。"
            f"请{settings.advice('调大', 'context_budget')}后重试。"
        )
    system, human = fitted.messages
    state.first, state.refit = [("system", system), ("human", human)], refit
    return state.first


def _to_messages(pairs: list[tuple[str, str]]) -> list[BaseMessage]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds: dict[str, type[BaseMessage]] = {"system": SystemMessage, "human": HumanMessage, "ai": AIMessage}
    return [kinds[role](content=text) for role, text in pairs]


def _model_name(model: ChatModel) -> str:
    for attr in ("model_name", "model", "_llm_type"):
        value = getattr(model, attr, None)
        if isinstance(value, str) and value:
            return value
    return type(model).__name__


def _account(state: _State, pairs: list[tuple[str, str]], reply: _Reply) -> None:
    encoding = state.settings.encoding
    if reply.input_tokens is None:
        state.estimated = True
        state.prompt_tokens += count_messages([t for _, t in pairs], encoding)
    else:
        state.prompt_tokens += reply.input_tokens
    if reply.output_tokens is None:
        state.estimated = True
        state.completion_tokens += count_tokens(reply.text, encoding)
    else:
        state.completion_tokens += reply.output_tokens


def _refit(state: _State) -> Callable[[int], tuple[Pairs, list[str]] | None]:
    assert state.refit is not None  # set by _prepare
    return state.refit


def _run(
    report: Report,
    state: _State,
    chat_model: ChatModel | None,
    validator: Validator | None,
    prompt: PromptSpec | None,
    sleep: Callable[[float], None],
) -> Generator[DraftChunk, None, DraftResult]:
    sid, settings = state.section_id, state.settings
    pairs = _prepare(report, state, prompt)
    assert state.prompt is not None
    model: ChatModel = chat_model if chat_model is not None else build_chat_model(settings)
    if chat_model is not None:
        state.model_name = _model_name(chat_model)
    check = validator or section_findings
    rejected: list[Finding] = []
    problems: list[Finding] = []
    for attempt in range(1, settings.max_reasks + 2):
        state.attempts = attempt
        if attempt > 1:  # a new attempt: the UI opens its own area, saying what was asked again
            yield DraftChunk("", attempt, restart=True, reasons=tuple(render_finding(f) for f in problems))
        log.info("drafting %s with %s, attempt %d", sid, state.model_name or settings.model, attempt)
        reply = yield from _call(model, _to_messages(pairs), settings, attempt, sleep)
        _account(state, pairs, reply)
        if not reply_complete(reply.finish_reason):
            log.info("reply without a normal finish (finish_reason %s)", reply.finish_reason)
            raise incomplete_reply(settings, reply.finish_reason)
        text = clean_reply(reply.text, sid)
        _check_reply(text, settings)
        findings = check(report, sid, text)
        rejected = rejections(findings)
        if not rejected:  # a rejected reply is no candidate: an earlier one stays the last draft
            state.last_text, state.last_findings = text, findings
        problems = blocking(findings)
        if not problems:
            return DraftResult(
                section=sid, text=text, findings=findings, provenance=state.provenance(), notes=state.notes
            )
        if attempt > settings.max_reasks:
            break
        reask = fit_reask(
            state.first, text, text, problems, state.prompt, settings.context_budget, settings.encoding, _refit(state)
        )
        if reask is None:
            state.notes.append("修改意见连同提示词超出了提示词的令牌预算，未再请模型修改。")
            break
        state.notes.extend(f"第{attempt + 1}稿的提示词：{note}。" for note in reask.notes)
        pairs = reask.pairs
    if rejected:
        raise DraftFault(f"经{state.attempts}次起草，大模型的回复仍不能作为草稿：{rejected[0].message}")
    state.notes.append(
        f"经{state.attempts}次起草，草稿仍有{len(blocking(state.last_findings))}处问题未解决（见问题列表）。"
        "请人工修改这些地方，或改用模板草稿。"
    )
    return DraftResult(
        section=sid,
        text=state.last_text or "",
        findings=state.last_findings,
        provenance=state.provenance(),
        notes=state.notes,
        alternative_template_text=_alternative(report, sid, validator),
    )


def stream_llm(
    report: Report,
    section_id: SectionId,
    settings: LLMSettings | None = None,
    *,
    chat_model: ChatModel | None = None,
    validator: Validator | None = None,
    prompt: PromptSpec | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Generator[DraftChunk, None, DraftResult]:
    """Stream an LLM draft; the generator's return value is the DraftResult. Never raises."""
    if settings is None:
        try:
            settings = (
                LLMSettings.from_env() if chat_model is None else LLMSettings(base_url="http://localhost", model="-")
            )
        except SettingsError as exc:
            state = _State(section_id, LLMSettings(base_url="http://localhost", model="-"))
            return _fault_result(state, report, str(exc), validator)
    state = _State(section_id, settings)
    try:
        result = yield from _run(report, state, chat_model, validator, prompt, sleep)
        return result
    except DraftFault as fault:
        return _fault_result(state, report, fault.message_zh, validator)
    except Exception:  # a bug must not lose the user's work either
        log.exception("LLM drafting failed unexpectedly")
        return _fault_result(state, report, "起草时出现程序内部错误，已记入日志，请把情况告知系统维护人员。", validator)
