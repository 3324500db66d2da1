"""The review statuses and the moves between them (rules/review.yaml), loaded once and checked at load."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field, model_validator

from gkassist.access import Action
from gkassist.paths import rules_dir
from gkassist.strict import Strict
from gkassist.yamlio import load_model

StatusCode = Literal["drafting", "submitted", "returned", "approved", "published"]
STATUS_CODES: tuple[StatusCode, ...] = ("drafting", "submitted", "returned", "approved", "published")
# Conditions a move may need; each has its function in gkassist/storage/review.py (BLOCKING_CHECKS)
CheckCode = Literal["report_ready", "no_open_comments"]


class StatusPolicy(Strict):
    label: str = Field(min_length=2)
    frozen: bool
    frozen_why: str = ""
    final_exports: bool

    @model_validator(mode="after")
    def _frozen_says_why(self) -> StatusPolicy:
        if self.frozen and not self.frozen_why:
            raise ValueError(f"the frozen status {self.label} needs frozen_why (why saving is refused, what to do)")
        return self


class Transition(Strict):
    from_: tuple[StatusCode, ...] = Field(alias="from", min_length=1)
    to: StatusCode
    action: Action
    label: str = Field(min_length=2)
    reason: Literal["required", "optional"] = "optional"
    checks: tuple[CheckCode, ...] = ()
    not_by_submitter: bool = False


class ReviewPolicy(Strict):
    version: Literal[1]
    initial: StatusCode
    statuses: dict[StatusCode, StatusPolicy]
    transitions: tuple[Transition, ...]

    @model_validator(mode="after")
    def _consistent(self) -> ReviewPolicy:
        if set(self.statuses) != set(STATUS_CODES):
            raise ValueError(f"statuses must be exactly {', '.join(STATUS_CODES)}")
        labels = [s.label for s in self.statuses.values()]
        if len(set(labels)) != len(labels):
            raise ValueError("status labels must be distinct")
        if self.statuses[self.initial].frozen:
            raise ValueError(f"the initial status {self.initial} must not be frozen")
        seen: set[tuple[str, str]] = set()
        for t in self.transitions:
            for start in t.from_:
                if start == t.to:
                    raise ValueError(f"a move from {start} to itself")
                if (start, t.to) in seen:
                    raise ValueError(f"the move {start} -> {t.to} is listed twice")
                seen.add((start, t.to))
        reached = {self.initial} | {t.to for t in self.transitions}
        if unreachable := set(STATUS_CODES) - reached:
            raise ValueError(f"no move reaches {', '.join(sorted(unreachable))}")
        return self

    def label(self, status: StatusCode) -> str:
        return self.statuses[status].label

    def frozen(self, status: StatusCode) -> bool:
        return self.statuses[status].frozen

    def final_exports(self, status: StatusCode) -> bool:
        return self.statuses[status].final_exports

    def move(self, start: StatusCode, to: StatusCode) -> Transition | None:
        """The move from ``start`` to ``to``, or None when the loop has no such move."""
        return next((t for t in self.transitions if start in t.from_ and t.to == to), None)

    def moves_from(self, start: StatusCode) -> list[Transition]:
        return [t for t in self.transitions if start in t.from_]

    def frozen_labels(self) -> str:
        """The frozen statuses by name, for messages (待审核、已通过、已发布)."""
        return "、".join(s.label for s in self.statuses.values() if s.frozen)


@cache
def review_policy() -> ReviewPolicy:
    return load_model(rules_dir() / "review.yaml", ReviewPolicy)


def status_label(status: str) -> str:
    """The Chinese name of a stored status code (the code itself if it is unknown)."""
    policy = review_policy()
    return policy.statuses[status].label if status in policy.statuses else status
