"""The permission table (rules/permissions.yaml) and the one check, :func:`require`."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import model_validator

from gkassist.access.actor import Actor
from gkassist.account_policy import ROLE_CODES, RoleCode
from gkassist.paths import rules_dir
from gkassist.strict import Strict
from gkassist.yamlio import load_model

Action = Literal[
    "report.read", "report.create", "report.edit", "report.delete",
    "report.export_draft", "report.export_final",
    "report.submit", "report.return", "report.approve", "report.publish",
    "comment.add", "comment.reply", "comment.resolve",
    "accounts.manage", "audit.read", "settings.change",
]


class ActionPolicy(Strict):
    label: str
    scope: Literal["agencies", "none"]


class Permissions(Strict):
    version: Literal[1]
    actions: dict[Action, ActionPolicy]
    roles: dict[RoleCode, tuple[Action, ...]]

    @model_validator(mode="after")
    def _complete(self) -> Permissions:
        missing = set(Action.__args__) - set(self.actions)  # type: ignore[attr-defined]
        if missing:
            raise ValueError(f"actions without a label: {', '.join(sorted(missing))}")
        if set(self.roles) != set(ROLE_CODES):
            raise ValueError(f"roles must be exactly {', '.join(ROLE_CODES)}")
        return self

    def label(self, action: Action) -> str:
        return self.actions[action].label

    def role_may(self, role: str, action: Action) -> bool:
        """Whether ``role`` has ``action`` at all (before the agency scope)."""
        return any(code == role and action in actions for code, actions in self.roles.items())


@cache
def permissions() -> Permissions:
    return load_model(rules_dir() / "permissions.yaml", Permissions)


class AccessDenied(Exception):
    """The acting user may not do this. The message is Chinese and says what to do."""

    def __init__(self, actor: Actor, action: Action, agency: str | None = None, target: str = "") -> None:
        self.actor = actor
        self.action = action
        self.agency = agency
        self.target = target  # e.g. "报告12", for the audit trail
        super().__init__(self.message_zh())

    def message_zh(self) -> str:
        what = permissions().label(self.action)
        who = f"您的账号（{self.actor.shown}，{self.actor.role_zh}）"
        if self.agency is not None and permissions().role_may(self.actor.role, self.action):
            return (f"{who}无权{what}：“{self.agency}”不是您负责的单位。"
                    "如需处理这个单位的报告，请联系管理员为您分配该单位。")
        return f"{who}无权{what}。如确需此权限，请联系管理员。"


def allowed(actor: Actor, action: Action, agency: str | None = None) -> bool:
    """Whether ``actor`` may do ``action`` (on a report of ``agency`` when the action has that scope)."""
    if actor.is_single_user:
        return True
    table = permissions()
    if not table.role_may(actor.role, action):
        return False
    if table.actions[action].scope == "agencies":
        return agency is not None and actor.covers(agency)
    return True


def require(actor: Actor, action: Action, agency: str | None = None, target: str = "") -> None:
    """Raise :class:`AccessDenied` unless ``actor`` may do ``action``. Callers in storage log the refusal."""
    if not allowed(actor, action, agency):
        raise AccessDenied(actor, action, agency, target)
