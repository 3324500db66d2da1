"""Registry of code-implemented rules. Each is a function (report, spec) -> findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from gkassist.checks.spec import RuleSpec
from gkassist.findings import Finding, Location
from gkassist.model import Report

RuleFn = Callable[[Report, RuleSpec], Iterable[Finding]]
IMPLEMENTATIONS: dict[str, RuleFn] = {}
T = TypeVar("T")

# Work shared by several rules within one check run (e.g. the narrative number
# classification used by X1, X2 and X8) is computed once per run, never across runs.
_RUN_MEMO: ContextVar[dict[str, Any] | None] = ContextVar("gkassist_run_memo", default=None)
# Narrative sections the run looks at (None: all). Checking one drafted section needs no more.
_SECTION_SCOPE: ContextVar[frozenset[str] | None] = ContextVar("gkassist_section_scope", default=None)


@contextmanager
def check_run(sections: Iterable[str] | None = None) -> Iterator[None]:
    token = _RUN_MEMO.set({})
    scope = _SECTION_SCOPE.set(frozenset(sections) if sections is not None else None)
    try:
        yield
    finally:
        _SECTION_SCOPE.reset(scope)
        _RUN_MEMO.reset(token)


def section_scope() -> frozenset[str] | None:
    """The section ids (s1, s5, s6, opening) narrative rules should read in this run; None: all."""
    return _SECTION_SCOPE.get()


def shared(key: str, compute: Callable[[], T]) -> T:
    """compute() once per check run; outside a run, every call computes."""
    memo = _RUN_MEMO.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    result: T = memo[key]
    return result


def implements(code: str) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        if code in IMPLEMENTATIONS:
            raise ValueError(f"rule {code} implemented twice")
        IMPLEMENTATIONS[code] = fn
        return fn

    return register


def make_finding(spec: RuleSpec, location: Location, **values: object) -> Finding:
    """Fill the spec's message template; the advice is appended so every message says what to do."""
    where = location.describe()
    text = spec.message.format(where=where, **values)
    advice = spec.advice.format(where=where, **values)
    return Finding(
        code=spec.code,
        severity=spec.severity,
        message=f"{text}{advice}",
        location=location,
        values={k: str(v) for k, v in values.items()},
    )
