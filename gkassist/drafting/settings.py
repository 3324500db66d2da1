"""LLM drafter settings: one model for the CLI and the app.

The server-wide settings come only from the environment (GKASSIST_LLM_*) or, in the app, from
``.streamlit/secrets.toml`` (``server_settings``). A browser session may lay its own settings
over them (``gkassist.drafting.session_settings``); ``from_page`` and ``admin_managed`` record
where each value came from, so that a fault message sends the user to the right place. The API
key is a SecretStr: it prints as ``**********`` and is only revealed when the chat client is built.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, SecretStr, ValidationError, field_validator

from gkassist.strict import Strict

ENV_PREFIX = "GKASSIST_LLM_"

# field name -> (environment variable, Chinese description for messages)
ENV_FIELDS: dict[str, tuple[str, str]] = {
    "base_url": ("GKASSIST_LLM_BASE_URL", "服务地址"),
    "model": ("GKASSIST_LLM_MODEL", "模型名称"),
    "api_key": ("GKASSIST_LLM_API_KEY", "访问密钥"),
    "timeout": ("GKASSIST_LLM_TIMEOUT", "单次请求超时秒数"),
    "retries": ("GKASSIST_LLM_RETRIES", "网络错误或限流时的重试次数"),
    "backoff": ("GKASSIST_LLM_BACKOFF", "首次重试前等待的秒数"),
    "max_reasks": ("GKASSIST_LLM_REASKS", "校验不通过时让模型修改的次数"),
    "temperature": ("GKASSIST_LLM_TEMPERATURE", "采样温度"),
    "context_budget": ("GKASSIST_LLM_CONTEXT_BUDGET", "提示词的令牌数上限"),
    "max_output_tokens": ("GKASSIST_LLM_MAX_TOKENS", "单次输出的令牌数上限"),
    "encoding": ("GKASSIST_LLM_ENCODING", "计算令牌数的编码"),
    "stream_usage": ("GKASSIST_LLM_STREAM_USAGE", "是否请求服务端返回令牌用量"),
}

# field name -> its label on the 设置 page (the fields a browser session may set for itself)
PAGE_LABELS: dict[str, str] = {
    "base_url": "接口地址",
    "model": "模型名称",
    "api_key": "密钥",
    "timeout": "单次请求超时（秒）",
    "retries": "网络错误或限流时的重试次数",
    "max_reasks": "校验不通过时让模型修改的次数",
    "temperature": "采样温度",
    "max_output_tokens": "单次输出的令牌数上限",
    "context_budget": "提示词的令牌数上限",
    "stream_usage": "请求服务端返回令牌用量",
}

SERVER_DEFAULT_NAME = "服务器默认大模型"  # shown in place of the administrator's address


class SettingsError(ValueError):
    """The LLM settings are missing or invalid; str() is a Chinese message naming the variable."""


class LLMSettings(Strict):
    base_url: str = Field(min_length=1)
    model: str = Field(min_length=1)
    api_key: SecretStr = SecretStr("")  # local servers often need none
    timeout: float = Field(default=60.0, gt=0, le=3600)
    retries: int = Field(default=2, ge=0, le=10)
    backoff: float = Field(default=1.0, ge=0, le=60)
    max_reasks: int = Field(default=2, ge=0, le=5)
    temperature: float = Field(default=0.3, ge=0, le=2)
    context_budget: int = Field(default=6000, ge=500, le=1_000_000)
    max_output_tokens: int | None = Field(default=2000, ge=64)
    encoding: Literal["o200k_base", "cl100k_base"] = "o200k_base"
    stream_usage: bool = True
    # where the values came from (for messages only): fields typed on the 设置 page of one browser
    # session; the rest are the administrator's (admin_managed, the app) or the user's own
    # environment (the CLI)
    from_page: frozenset[str] = frozenset()
    admin_managed: bool = False

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return normalise_url(value)

    @field_validator("from_page")
    @classmethod
    def _page_fields(cls, value: frozenset[str]) -> frozenset[str]:
        if not value <= PAGE_LABELS.keys():
            raise ValueError("unknown page field")
        return value

    @property
    def display_url(self) -> str:
        """The base URL without any user:password part, safe to show and record."""
        parts = urlsplit(self.base_url)
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, "", ""))

    @property
    def shown_url(self) -> str:
        """The address as a message may name it: never the administrator's address in the app."""
        if self.admin_managed and "base_url" not in self.from_page:
            return SERVER_DEFAULT_NAME
        return self.display_url

    @property
    def shown_model(self) -> str:
        """The model name as the 设置 page and fault messages may name it (not the administrator's)."""
        if self.admin_managed and "model" not in self.from_page:
            return SERVER_DEFAULT_NAME
        return self.model

    def advice(self, verb: str, *fields: str) -> str:
        """Where to change ``fields``, as the rest of a Chinese sentence after 请:
        在“设置”页检查“密钥” / 联系管理员检查服务器设置 GKASSIST_LLM_API_KEY / 检查环境变量 …"""
        in_app = self.admin_managed or bool(self.from_page)
        on_page, admin, env = [], [], []
        for name in fields:
            if name in self.from_page or (in_app and not self.admin_managed and name in PAGE_LABELS):
                on_page.append(name)
            elif in_app:
                admin.append(name)
            else:
                env.append(name)
        parts = []
        if on_page:
            parts.append(f"在“设置”页{verb}{_labels(on_page)}")
        if admin:
            own = [name for name in admin if name in PAGE_LABELS]
            alternative = f"（也可在“设置”页填写本会话自己的{_labels(own)}）" if own else ""
            parts.append(f"联系管理员{verb}服务器设置 {_env_names(admin)}{alternative}")
        if env:
            parts.append(f"{verb}环境变量 {_env_names(env)}")
        return "；并".join(parts)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LLMSettings:
        """Read GKASSIST_LLM_* variables. Raises SettingsError (Chinese) when unset or invalid."""
        source = os.environ if env is None else env
        data: dict[str, object] = {}
        for name, (var, _zh) in ENV_FIELDS.items():
            raw = source.get(var)
            if raw is None or raw.strip() == "":
                continue
            data[name] = raw.strip()
        missing = [ENV_FIELDS[f][0] for f in ("base_url", "model") if f not in data]
        if missing:
            raise SettingsError(
                f"未配置大模型：缺少环境变量{'、'.join(missing)}。请设置服务地址和模型名称"
                "（如 GKASSIST_LLM_BASE_URL=https://api.deepseek.com/v1、GKASSIST_LLM_MODEL=deepseek-chat），"
                "或改用模板起草。"
            )
        if "max_output_tokens" in data and str(data["max_output_tokens"]).lower() in ("0", "none"):
            data["max_output_tokens"] = None
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise SettingsError(_describe(exc)) from None  # no input values: the key must not leak

    @classmethod
    def configured(cls, env: Mapping[str, str] | None = None) -> bool:
        source = os.environ if env is None else env
        return bool((source.get(ENV_FIELDS["base_url"][0]) or "").strip())


def normalise_url(value: str) -> str:
    """An http(s) base URL without surrounding blanks or a trailing slash; ValueError otherwise."""
    value = value.strip()
    if not value.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    return value.rstrip("/")


def server_settings(env: Mapping[str, str], secrets: Mapping[str, object] | None = None) -> LLMSettings | None:
    """The app's server-wide settings: each GKASSIST_LLM_* variable from the environment, else from
    the Streamlit secrets. None when no address is configured; SettingsError when invalid."""
    merged: dict[str, str] = {}
    for var, _zh in ENV_FIELDS.values():
        value = env.get(var) or (secrets or {}).get(var)
        if value is not None and str(value).strip():
            merged[var] = str(value)
    if not LLMSettings.configured(merged):
        return None
    return LLMSettings.from_env(merged).model_copy(update={"admin_managed": True})


def _labels(fields: list[str]) -> str:
    return "、".join(f"“{PAGE_LABELS[name]}”" for name in fields)


def _env_names(fields: list[str]) -> str:
    return "、".join(ENV_FIELDS[name][0] for name in fields)


def _describe(exc: ValidationError) -> str:
    problems = []
    for err in exc.errors(include_input=False):
        name = str(err["loc"][0]) if err["loc"] else ""
        var, zh = ENV_FIELDS.get(name, (name, name))
        problems.append(f"{var}（{zh}）的值无效")
    return f"大模型设置有误：{'；'.join(problems)}。请按说明修改环境变量后重试，或改用模板起草。"
