"""Data handed back by the drafters: the draft, its findings and where it came from."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from gkassist.findings import Finding
from gkassist.model import SectionId
from gkassist.names import SECTION_TITLES

DrafterName = Literal["template", "llm"]

# Section names staff type (CLI, UI) -> section id. The short names are the CLI's choices.
SECTION_NAMES: dict[str, SectionId] = {
    "总体情况": "s1",
    "存在的主要问题及改进情况": "s5",
    "其他需要报告的事项": "s6",
}
_DRAFTABLE: tuple[SectionId, ...] = ("s1", "s5", "s6")
_ALIASES: dict[str, SectionId] = {
    **SECTION_NAMES,
    **{SECTION_TITLES[sid]: sid for sid in _DRAFTABLE},
    "s1": "s1",
    "s5": "s5",
    "s6": "s6",
    "overview": "s1",
    "problems": "s5",
    "other_matters": "s6",
}


class ChatModel(Protocol):
    """What the LLM drafter needs of a chat model. langchain's chat models have it (ChatOpenAI,
    which the drafter builds, or a fake one that a test passes in); the drafting interface
    itself names no langchain type, so its callers (the UI) never depend on langchain."""

    def stream(self, input: Any, config: Any = None, *, stop: Any = None, **kwargs: Any) -> Iterator[Any]: ...


class UnknownSectionError(ValueError):
    """The section cannot be drafted; str() is a Chinese message."""


def resolve_section(name: str) -> SectionId:
    """Map a section name (s1, 总体情况, 一、总体情况, overview …) to its id."""
    key = name.strip()
    if key in _ALIASES:
        return _ALIASES[key]
    choices = "、".join(SECTION_NAMES)
    raise UnknownSectionError(f"无法起草“{name}”：只能起草{choices}三个部分，请从中选择一个。")


class DraftChunk(str):
    """A piece of streamed text. ``attempt`` counts model calls; ``restart`` marks the first
    (empty) chunk of a new attempt, after which the text so far should be replaced; ``reasons``
    (on that chunk) are the findings, in Chinese, that made the drafter ask again."""

    attempt: int
    restart: bool
    reasons: tuple[str, ...]

    def __new__(cls, text: str, attempt: int = 1, restart: bool = False, reasons: tuple[str, ...] = ()) -> DraftChunk:
        obj = super().__new__(cls, text)
        obj.attempt = attempt
        obj.restart = restart
        obj.reasons = reasons
        return obj


class DeclaredFix(BaseModel):
    """A declared figure that would ground a number the drafter had to leave out."""

    model_config = ConfigDict(extra="forbid")

    label: str
    value: str
    unit: str = ""


class Omission(BaseModel):
    """A highlight or declared figure the drafter did not use, and why (Chinese, for staff)."""

    model_config = ConfigDict(extra="forbid")

    excerpt: str
    reason_zh: str
    fix: DeclaredFix | None = None  # a one-click fix, where there is one


class Provenance(BaseModel):
    """Where a draft came from; stored with the draft (never holds the API key)."""

    model_config = ConfigDict(extra="forbid")

    drafter: DrafterName
    section: SectionId
    model: str | None = None
    prompt_id: str | None = None
    prompt_version: int | None = None
    attempts: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    tokens_estimated: bool = False  # True when the server reported no usage and tiktoken counted
    token_encoding: str | None = None
    elapsed_seconds: float = 0.0
    shortened: list[str] = Field(default_factory=list)  # Chinese notes: what the token budget cut
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class DraftResult(BaseModel):
    """The outcome of one drafting run. Drafting never raises: faults land in ``error_message_zh``."""

    model_config = ConfigDict(extra="forbid")

    section: SectionId
    text: str
    findings: list[Finding] = Field(default_factory=list)
    provenance: Provenance
    error_message_zh: str | None = None
    alternative_template_text: str | None = None
    notes: list[str] = Field(default_factory=list)  # Chinese advice for staff (what to check or add)
    omissions: list[Omission] = Field(default_factory=list)  # what the drafter left out, with the reason

    @property
    def ok(self) -> bool:
        """A usable draft: no fault and no error- or warning-level findings."""
        return self.error_message_zh is None and not any(f.severity != "info" for f in self.findings)

    @property
    def section_title(self) -> str:
        return SECTION_TITLES[self.section]
