"""Model-call faults as Chinese messages that are safe to show: no API key, no raw payload, no
exception class names. The same messages serve drafting and the 设置 page's connection test;
each says where to change the setting involved (the 设置 page, the administrator, or the
GKASSIST_LLM_* variables), see ``LLMSettings.advice``."""

from __future__ import annotations

from gkassist.drafting.redact import redact
from gkassist.drafting.settings import LLMSettings

KEEP_USER_TEXT = "您已写的内容没有改动；已提供模板草稿供选用。"
RETRY_AFTER_CAP = 30.0


class DraftFault(Exception):
    """A failed model call, with a Chinese message safe to show (no key, no raw payload).
    Drafting adds KEEP_USER_TEXT when it offers the template draft instead."""

    def __init__(self, message_zh: str, retryable: bool = False) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.retryable = retryable


def _server_message(exc: Exception, secret: str) -> str:
    body = getattr(exc, "body", None)
    message = ""
    if isinstance(body, dict):
        err = body.get("error", body)
        message = str(err.get("message", "")) if isinstance(err, dict) else str(err)
    return redact(message, secret)[:120]


def classify(exc: Exception, settings: LLMSettings, partial: bool) -> DraftFault:
    """Turn any exception from the model call into a DraftFault with a Chinese message."""
    secret = settings.api_key.get_secret_value()
    where = settings.shown_url
    try:
        import openai
    except ImportError:  # pragma: no cover - openai comes with langchain-openai
        openai = None  # type: ignore[assignment]
    if openai is not None and isinstance(exc, openai.APIStatusError):
        return _status_fault(exc, exc.status_code, settings, _server_message(exc, secret))
    if partial:
        return incomplete_reply(settings, None)
    if openai is not None and isinstance(exc, openai.APITimeoutError):
        return DraftFault(
            f"连接大模型服务（{where}）超时：{settings.timeout:g}秒内没有响应。请稍后重试，"
            f"或{settings.advice('调大', 'timeout')}。",
            retryable=True,
        )
    if openai is not None and isinstance(exc, openai.APIConnectionError):
        return DraftFault(
            f"无法连接大模型服务（{where}）：连接被拒绝或网络中断。请确认服务已启动，"
            f"并{settings.advice('检查', 'base_url')}。",
            retryable=True,
        )
    if isinstance(exc, ValueError) or (openai is not None and isinstance(exc, openai.APIResponseValidationError)):
        return DraftFault(
            f"大模型服务（{where}）返回了无法解析的内容。请确认服务地址是 OpenAI 兼容接口（通常以 /v1 结尾），"
            f"并{settings.advice('检查', 'base_url')}。"
        )
    return DraftFault(f"调用大模型服务（{where}）时出现未知错误。请稍后重试，或{settings.advice('检查', 'base_url', 'model')}。")


# finish reasons of a reply that did not end normally (None: the stream ended without any)
CUT_BY_LIMIT = frozenset({"length", "max_tokens"})
INCOMPLETE = CUT_BY_LIMIT | {"content_filter", "abort", "error"}


def reply_complete(finish_reason: str | None) -> bool:
    """A reply is a complete text only when the server said it finished normally."""
    return finish_reason is not None and finish_reason not in INCOMPLETE


def incomplete_reply(settings: LLMSettings, finish_reason: str | None) -> DraftFault:
    """A reply that did not end normally is no draft: cut off, at the token limit, or filtered."""
    if finish_reason in CUT_BY_LIMIT:
        return DraftFault(
            "大模型的回复达到了单次输出的令牌数上限，被截断了，收到的文字不完整，不能作为草稿。"
            f"请{settings.advice('调大', 'max_output_tokens')}后重新起草。"
        )
    if finish_reason == "content_filter":
        return DraftFault("大模型服务的内容过滤中止了回复，收到的文字不完整，不能作为草稿。请改用模板草稿或人工撰写。")
    return DraftFault(
        "大模型的回复在传输中途中断或被服务端中止（没有收到正常结束的标志），收到的文字不完整，不能作为草稿。"
        "请稍后重新起草。"
    )


def _status_fault(exc: Exception, code: int, settings: LLMSettings, server: str) -> DraftFault:
    detail = f"：{server}" if server else ""
    if code == 429:
        return DraftFault(f"大模型服务限流（HTTP 429），重试后仍未成功{detail}。请稍后再试。", True)
    if code >= 500:
        return DraftFault(f"大模型服务内部错误（HTTP {code}），重试后仍未成功{detail}。请稍后再试。", True)
    if code in (401, 403):
        return DraftFault(
            f"大模型服务拒绝访问（HTTP {code}）：访问密钥无效或没有权限。请{settings.advice('检查', 'api_key')}。"
        )
    if code == 404:
        return DraftFault(
            f"大模型服务找不到该地址或模型（HTTP 404，当前模型：{settings.shown_model}）。"
            f"请{settings.advice('检查', 'base_url', 'model')}。"
        )
    if "ContextOverflow" in type(exc).__name__ or _context_overflow(exc):
        sizes = _overflow_sizes(exc)
        detail = f"：本次请求{sizes[0]}个令牌，服务端上下文只有{sizes[1]}个" if sizes else ""
        return DraftFault(
            f"提示词超出了模型服务的上下文长度（HTTP {code}{detail}）。请{settings.advice('调小', 'context_budget')}后重试"
            "（提示词的令牌数上限加上单次输出的令牌数上限，不要超过服务端的上下文长度）。"
        )
    hint = (
        f"；如服务不支持返回令牌用量（stream_options），请{settings.advice('关闭', 'stream_usage')}"
        if settings.stream_usage
        else ""
    )
    return DraftFault(f"大模型服务拒绝了请求（HTTP {code}）{detail}。请检查模型设置{hint}。")


# How servers say a prompt is over their context: llama.cpp's llama-server, OpenAI, vLLM …
_OVERFLOW_TYPES = frozenset({"exceed_context_size_error", "context_length_exceeded"})
_OVERFLOW_WORDS = ("exceeds the available context size", "maximum context length", "context window", "context length")


def _error_body(exc: Exception) -> dict[str, object]:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        err = body.get("error", body)
        return err if isinstance(err, dict) else {}
    return {}


def _context_overflow(exc: Exception) -> bool:
    err = _error_body(exc)
    if str(err.get("type", "")) in _OVERFLOW_TYPES or str(err.get("code", "")) in _OVERFLOW_TYPES:
        return True
    message = str(err.get("message", "")).lower()
    return any(w in message for w in _OVERFLOW_WORDS)


def _overflow_sizes(exc: Exception) -> tuple[int, int] | None:
    """(prompt tokens, context) when the server said them (llama-server does)."""
    err = _error_body(exc)
    prompt, context = err.get("n_prompt_tokens"), err.get("n_ctx")
    if isinstance(prompt, int) and isinstance(context, int):
        return prompt, context
    return None


def retry_after(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    try:
        value = float(headers.get("retry-after", ""))
    except (TypeError, ValueError):
        return None
    return min(max(value, 0.0), RETRY_AFTER_CAP)
