"""The acting user: who they are, their role and their agencies, and where the request came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gkassist.account_policy import RoleCode, account_policy

SINGLE_USER_ROLE: Literal["single_user"] = "single_user"
ActorRole = RoleCode | Literal["single_user"]


@dataclass(frozen=True)
class Actor:
    """``username`` is what versions and the audit trail record; ``agencies`` are a clerk's own
    or a reviewer's assigned agencies (by name); ``source`` is where the request came from."""

    username: str
    role: ActorRole
    agencies: tuple[str, ...] = ()
    display_name: str = ""
    source: str = ""

    @classmethod
    def single_user(cls, name: str = "", source: str = "") -> Actor:
        """The one user of a single-user installation (no sign-in): may do everything.
        ``name`` is the name the clerk typed ("" when none was given)."""
        return cls(username=name, role=SINGLE_USER_ROLE, display_name=name, source=source)

    @property
    def is_single_user(self) -> bool:
        return self.role == SINGLE_USER_ROLE

    @property
    def role_zh(self) -> str:
        if self.role == SINGLE_USER_ROLE:
            return "本机用户"
        return account_policy().role_name(self.role)

    @property
    def shown(self) -> str:
        """How a message names this user: 显示名（账号）, or the account alone."""
        name = self.display_name or self.username or "未署名用户"
        return f"{name}（{self.username}）" if self.display_name and self.display_name != self.username else name

    def covers(self, agency: str) -> bool:
        """Whether ``agency`` is one of this user's own or assigned agencies."""
        return self.is_single_user or agency in self.agencies
