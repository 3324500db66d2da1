"""Drafting of the narrative sections 一、五、六: two drafters behind one interface.

    stream = draft_section(report, "s1", drafter="llm")
    for chunk in stream:          # text as it arrives (chunk.restart: a new attempt begins)
        show(stream.current_text)
    result = stream.result        # DraftResult: text, findings, provenance, error_message_zh, …

The template drafter is the embedded default (no configuration, no network). The LLM drafter
reads GKASSIST_LLM_* settings (the CLI) or takes the app session's effective settings
(gkassist.drafting.session_settings). Drafting never raises and never changes the report: apply an
accepted draft with ``apply_draft``. langchain is only imported when the LLM drafter runs (or
``check_connection`` probes the model): this interface names no langchain type, and this module
is the one place that loads the LLM drafter.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING

from gkassist.drafting.types import (
    SECTION_NAMES,
    ChatModel,
    DraftChunk,
    DrafterName,
    DraftResult,
    Provenance,
    UnknownSectionError,
    resolve_section,
)
from gkassist.drafting.validate import Validator, section_findings
from gkassist.model import Report, SectionId

if TYPE_CHECKING:
    from gkassist.drafting.prompts import PromptSpec
    from gkassist.drafting.settings import LLMSettings

__all__ = [
    "SECTION_NAMES",
    "ChatModel",
    "DraftChunk",
    "DraftResult",
    "DraftStream",
    "DrafterName",
    "Provenance",
    "UnknownSectionError",
    "apply_draft",
    "check_connection",
    "default_drafter",
    "draft_section",
    "resolve_section",
    "section_findings",
]


class DraftStream:
    """Iterate for text chunks as they arrive; ``result`` holds the DraftResult afterwards
    (reading ``result`` early consumes the rest of the stream)."""

    def __init__(self, generator: Generator[DraftChunk, None, DraftResult]) -> None:
        self._gen = generator
        self._result: DraftResult | None = None
        self._parts: list[str] = []
        self.attempt = 1

    def __iter__(self) -> Iterator[DraftChunk]:
        return self

    def __next__(self) -> DraftChunk:
        if self._result is not None:
            raise StopIteration
        try:
            chunk = next(self._gen)
        except StopIteration as stop:
            self._result = stop.value
            raise StopIteration from None
        if chunk.restart:
            self._parts = []
        self.attempt = chunk.attempt
        self._parts.append(str(chunk))
        return chunk

    @property
    def current_text(self) -> str:
        """The text of the current attempt so far (what a UI should display)."""
        return "".join(self._parts)

    @property
    def done(self) -> bool:
        return self._result is not None

    @property
    def result(self) -> DraftResult:
        for _ in self:
            pass
        assert self._result is not None
        return self._result


def default_drafter() -> DrafterName:
    """llm when GKASSIST_LLM_BASE_URL is set, else template."""
    from gkassist.drafting.settings import LLMSettings

    return "llm" if LLMSettings.configured() else "template"


def draft_section(
    report: Report,
    section_id: SectionId | str,
    drafter: DrafterName = "template",
    settings: LLMSettings | None = None,
    *,
    chat_model: ChatModel | None = None,
    validator: Validator | None = None,
    prompt: PromptSpec | None = None,
    sleep: Callable[[float], None] | None = None,
) -> DraftStream:
    """Draft one narrative section (s1 / s5 / s6, or its Chinese name).

    ``settings`` (LLM only) defaults to ``LLMSettings.from_env()``; ``chat_model`` replaces the
    ChatOpenAI client (tests pass langchain's fake chat models); ``validator`` replaces the
    section checks. Raises only for a section that cannot be drafted (UnknownSectionError) or an
    unknown drafter name (ValueError); every drafting fault ends up in the result instead.
    """
    sid = resolve_section(section_id)
    if drafter not in ("template", "llm"):
        raise ValueError(f"未知的起草方式“{drafter}”：请使用 template（内置模板）或 llm（大模型）。")
    if drafter == "llm":
        import time

        from gkassist.drafting.llm import stream_llm

        return DraftStream(
            stream_llm(
                report,
                sid,
                settings,
                chat_model=chat_model,
                validator=validator,
                prompt=prompt,
                sleep=sleep or time.sleep,
            )
        )
    from gkassist.drafting.template import stream_template

    return DraftStream(stream_template(report, sid, validator))


def check_connection(settings: LLMSettings) -> tuple[bool, str]:
    """The 设置 page's connection test: one tiny request down the drafting path; (ok, Chinese
    message safe to show)."""
    from gkassist.drafting.llm import check_connection as probe

    return probe(settings)


def apply_draft(report: Report, section_id: SectionId | str, text: str) -> Report:
    """A copy of the report with one section replaced by the accepted draft; nothing else changes."""
    copy = report.model_copy(deep=True)  # an independent report: the caller will keep editing it
    copy.sections[resolve_section(section_id)] = text
    return copy
