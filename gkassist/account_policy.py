"""The account policy (rules/accounts.yaml): the roles and their Chinese names, the sign-in
lockout and the password length bounds. Loaded once, checked at load."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field, model_validator

from gkassist.paths import rules_dir
from gkassist.strict import Strict
from gkassist.yamlio import load_model

RoleCode = Literal["clerk", "reviewer", "admin"]
ROLE_CODES: tuple[RoleCode, ...] = ("clerk", "reviewer", "admin")


class RolePolicy(Strict):
    name: str = Field(min_length=2)
    agencies: Literal["required", "none"]


class LockoutPolicy(Strict):
    max_failures: int = Field(ge=1, le=100)
    wait_seconds: int = Field(ge=1, le=86400)


class PasswordPolicy(Strict):
    min_length: int = Field(ge=1)
    max_length: int = Field(le=4096)


class AccountPolicy(Strict):
    version: Literal[1]
    roles: dict[RoleCode, RolePolicy]
    lockout: LockoutPolicy
    password: PasswordPolicy

    @model_validator(mode="after")
    def _every_role_named_once(self) -> AccountPolicy:
        if set(self.roles) != set(ROLE_CODES):
            raise ValueError(f"roles must be exactly {', '.join(ROLE_CODES)}")
        names = [r.name for r in self.roles.values()]
        if len(set(names)) != len(names):
            raise ValueError("role names must be distinct")
        if self.password.min_length > self.password.max_length:
            raise ValueError("password min_length must not exceed max_length")
        return self

    def role_name(self, code: RoleCode) -> str:
        return self.roles[code].name

    def role_code(self, text: str) -> RoleCode | None:
        """The role named ``text``, by its Chinese name or its code; None if there is none."""
        text = text.strip()
        for code, role in self.roles.items():
            if text in (code, role.name):
                return code
        return None


@cache
def account_policy() -> AccountPolicy:
    return load_model(rules_dir() / "accounts.yaml", AccountPolicy)
