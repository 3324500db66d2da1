"""One browser session's own LLM settings, laid over the server's.

What a session types on the 设置 page is a ``SessionSettings`` kept in that session only; the
settings a draft uses are ``effective_settings(server, session)``. The rule that protects the
administrator's key lives here, below the UI: a key is only ever sent to the address it was
configured with. A session that names another address gets its own key or none, never the
server's; a session key typed for one address is dropped when the session changes the address.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import SecretStr, ValidationError

from gkassist.drafting.settings import PAGE_LABELS, LLMSettings, SettingsError, normalise_url
from gkassist.strict import Strict

TUNING_FIELDS: tuple[str, ...] = (
    "timeout",
    "retries",
    "max_reasks",
    "temperature",
    "max_output_tokens",
    "context_budget",
    "stream_usage",
)


class SessionSettings(Strict):
    """The 设置 page's values of one browser session; None means "the server's value"."""

    base_url: str | None = None  # None: the server's address
    model: str | None = None
    api_key: SecretStr | None = None
    key_for: str | None = None  # the base_url the key was typed with (None: the server's address)
    timeout: float | None = None
    retries: int | None = None
    max_reasks: int | None = None
    temperature: float | None = None
    max_output_tokens: int | None = None
    context_budget: int | None = None
    stream_usage: bool | None = None

    @property
    def empty(self) -> bool:
        return all(getattr(self, name) is None for name in type(self).model_fields)

    @property
    def own_endpoint(self) -> bool:
        """The session talks to an address of its own, not the server's."""
        return self.base_url is not None


@dataclass(frozen=True)
class PageInput:
    """The raw values of the 设置 page's fields ("" / None: left blank)."""

    base_url: str = ""
    model: str = ""
    api_key: str = ""
    timeout: float | None = None
    retries: int | None = None
    max_reasks: int | None = None
    temperature: float | None = None
    max_output_tokens: int | None = None
    context_budget: int | None = None
    stream_usage: bool | None = None


def effective_settings(server: LLMSettings | None, session: SessionSettings | None) -> LLMSettings | None:
    """The server's settings with one session's laid over them (None: no LLM configured).

    The server's key goes only to the server's address: when the session's address is not
    exactly the server's, the key is the session's own or none. Raises SettingsError (naming
    the 设置 page's fields) when the combination is invalid.
    """
    if session is None or session.empty:
        return server
    address = session.base_url if session.base_url is not None else (server.base_url if server else None)
    if address is None:
        return None  # tuning values alone, and no address anywhere
    data = server.model_dump(exclude={"from_page", "admin_managed"}) if server is not None else {}
    from_page = {name for name in TUNING_FIELDS if getattr(session, name) is not None}
    if session.own_endpoint:
        from_page |= {"base_url", "model", "api_key"}
        data["base_url"] = address
        if server is None or address != server.base_url:
            data["api_key"] = SecretStr("")  # never the server's key at another address
    if session.model is not None:
        data["model"] = session.model
        from_page.add("model")
    if session.api_key is not None and session.key_for == session.base_url:
        data["api_key"] = session.api_key
        from_page.add("api_key")
    data.update({name: getattr(session, name) for name in TUNING_FIELDS if getattr(session, name) is not None})
    data["from_page"] = frozenset(from_page)
    data["admin_managed"] = server is not None
    try:
        return LLMSettings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None  # no input values: a key must not leak


def update_session(
    previous: SessionSettings | None, server: LLMSettings | None, page: PageInput
) -> tuple[SessionSettings, list[str]]:
    """The session's new settings from the 设置 page, and Chinese notes for the user.

    A blank key field keeps the key typed before, but only while the address stays the same.
    Raises SettingsError (Chinese, naming the page's fields) for values that cannot be used.
    """
    notes: list[str] = []
    base_url: str | None = None
    if page.base_url.strip():
        try:
            base_url = normalise_url(page.base_url)
        except ValueError:
            raise SettingsError(
                f"“{PAGE_LABELS['base_url']}”应以 http:// 或 https:// 开头，例如 https://api.deepseek.com/v1。"
            ) from None
    model = page.model.strip() or None
    if base_url is not None and model is None:
        raise SettingsError(f"填写了自己的“{PAGE_LABELS['base_url']}”时，请同时填写“{PAGE_LABELS['model']}”。")
    if base_url is None and server is None and (model or page.api_key.strip()):
        raise SettingsError(
            f"管理员没有配置服务器默认大模型：请填写“{PAGE_LABELS['base_url']}”和“{PAGE_LABELS['model']}”"
            "（本地模型如 Ollama、vLLM 可不填密钥）。"
        )
    key: SecretStr | None = None
    if page.api_key.strip():
        key = SecretStr(page.api_key.strip())
    elif previous is not None and previous.api_key is not None:
        if previous.key_for == base_url:
            key = previous.api_key
        else:
            notes.append(f"“{PAGE_LABELS['base_url']}”已更改，之前填写的密钥不会发往新地址；如新地址需要密钥，请重新填写。")
    session = SessionSettings(
        base_url=base_url,
        model=model,
        api_key=key,
        key_for=base_url if key is not None else None,
        timeout=page.timeout,
        retries=page.retries,
        max_reasks=page.max_reasks,
        temperature=page.temperature,
        max_output_tokens=page.max_output_tokens,
        context_budget=page.context_budget,
        stream_usage=page.stream_usage,
    )
    effective_settings(server, session)  # raises SettingsError for values the drafter cannot use
    return session, notes


def _describe(exc: ValidationError) -> str:
    problems = []
    for err in exc.errors(include_input=False):
        name = str(err["loc"][0]) if err["loc"] else ""
        problems.append(f"“{PAGE_LABELS.get(name, name)}”的值超出允许范围")
    return f"大模型设置有误：{'；'.join(problems)}。请在“设置”页修改后重试。"
