"""Registry of code-implemented rules. Each is a function (report, spec) -> findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from gkassist.checks.spec import RuleSpec
from gkassist.findings import Finding, Location
from gkassist.model import Report

RuleFn = Callable[[Report, RuleSpec], Iterable[Finding]]
IMPLEMENTATIONS: dict[str, RuleFn] = {}


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
