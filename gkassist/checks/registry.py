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


@contextmanager
def check_run() -> Iterator[None]:
    token = _RUN_MEMO.set({})
    try:
        yield
    finally:
        _RUN_MEMO.reset(token)


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
    text = spec.message.format(where=location.describe(), **values)
    advice = spec.advice.format(where=location.describe(), **values)
    return Finding(
        code=spec.code,
        severity=spec.severity,
        message=f"{text}{advice}",
        location=location,
        values={k: str(v) for k, v in values.items()},
    )
