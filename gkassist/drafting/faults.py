"""Model-call faults as Chinese messages that are safe to show: no API key, no raw payload."""

from __future__ import annotations

from gkassist.drafting.redact import redact
from gkassist.drafting.settings import LLMSettings

KEEP_USER_TEXT = "您已写的内容没有改动；已提供模板草稿供选用。"
RETRY_AFTER_CAP = 30.0


class DraftFault(Exception):
    """A failed model call, with a Chinese message safe to show (no key, no raw payload)."""

    def __init__(self, message_zh: str, retryable: bool = False) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.retryable = retryable
        self.partial_text = ""  # what was streamed before the fault, if anything


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
    where = settings.display_url
    try:
        import openai
    except ImportError:  # pragma: no cover - openai comes with langchain-openai
        openai = None  # type: ignore[assignment]
    if openai is not None and isinstance(exc, openai.APIStatusError):
        return _status_fault(exc, exc.status_code, settings, _server_message(exc, secret))
    if partial:
        return DraftFault(
            f"大模型的回复在传输中途中断（{type(exc).__name__}），收到的文字不完整。请稍后重新起草。{KEEP_USER_TEXT}"
        )
    if openai is not None and isinstance(exc, openai.APITimeoutError):
        return DraftFault(
            f"连接大模型服务（{where}）超时：{settings.timeout:g}秒内没有响应。请稍后重试，"
            f"或调大 GKASSIST_LLM_TIMEOUT。{KEEP_USER_TEXT}",
            retryable=True,
        )
    if openai is not None and isinstance(exc, openai.APIConnectionError):
        return DraftFault(
            f"无法连接大模型服务（{where}）：连接被拒绝或网络中断。请确认服务已启动、"
            f"GKASSIST_LLM_BASE_URL 填写正确。{KEEP_USER_TEXT}",
            retryable=True,
        )
    if isinstance(exc, ValueError) or (openai is not None and isinstance(exc, openai.APIResponseValidationError)):
        return DraftFault(
            f"大模型服务（{where}）返回了无法解析的内容。请确认服务地址是 OpenAI 兼容接口（通常以 /v1 结尾）。{KEEP_USER_TEXT}"
        )
    return DraftFault(f"调用大模型时出错（{type(exc).__name__}）。{KEEP_USER_TEXT}")


def _status_fault(exc: Exception, code: int, settings: LLMSettings, server: str) -> DraftFault:
    detail = f"：{server}" if server else ""
    if code == 429:
        return DraftFault(f"大模型服务限流（HTTP 429），重试后仍未成功{detail}。请稍后再试。{KEEP_USER_TEXT}", True)
    if code >= 500:
        return DraftFault(
            f"大模型服务内部错误（HTTP {code}），重试后仍未成功{detail}。请稍后再试。{KEEP_USER_TEXT}", True
        )
    if code in (401, 403):
        return DraftFault(
            f"大模型服务拒绝访问（HTTP {code}）：访问密钥无效或没有权限。请检查环境变量 GKASSIST_LLM_API_KEY。{KEEP_USER_TEXT}"
        )
    if code == 404:
        return DraftFault(
            f"大模型服务找不到该地址或模型（HTTP 404）。请检查 GKASSIST_LLM_BASE_URL 和 GKASSIST_LLM_MODEL"
            f"（当前模型：{settings.model}）。{KEEP_USER_TEXT}"
        )
    if "ContextOverflow" in type(exc).__name__:
        return DraftFault(
            f"提示词超出了模型的上下文长度（HTTP {code}）。请调小 GKASSIST_LLM_CONTEXT_BUDGET 后重试。{KEEP_USER_TEXT}"
        )
    hint = (
        "；如服务不支持返回令牌用量（stream_options），可设置 GKASSIST_LLM_STREAM_USAGE=false"
        if settings.stream_usage
        else ""
    )
    return DraftFault(f"大模型服务拒绝了请求（HTTP {code}）{detail}。请检查模型设置{hint}。{KEEP_USER_TEXT}")


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
