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
# What each code rule reads from its rule file beyond message and advice: case names and
# phrase lists. The engine checks them against the rule files when it loads the rules.
NEEDS: dict[str, tuple[frozenset[str], frozenset[str], bool]] = {}
T = TypeVar("T")

# Work shared by several rules within one check run (e.g. the narrative number
# classification used by X1, X2 and X8) is computed once per run, never across runs.
_RUN_MEMO: ContextVar[dict[str, Any] | None] = ContextVar("gkassist_run_memo", default=None)
# Narrative sections the run looks at (None: all). Checking one drafted section needs no more.
_SECTION_SCOPE: ContextVar[frozenset[str] | None] = ContextVar("gkassist_section_scope", default=None)
# Whether the text being checked is a drafter's candidate (rules with ``drafts_only`` run only then).
_CANDIDATE: ContextVar[bool] = ContextVar("gkassist_candidate", default=False)


@contextmanager
def check_run(sections: Iterable[str] | None = None, candidate: bool = False) -> Iterator[None]:
    token = _RUN_MEMO.set({})
    scope = _SECTION_SCOPE.set(frozenset(sections) if sections is not None else None)
    drafted = _CANDIDATE.set(candidate)
    try:
        yield
    finally:
        _CANDIDATE.reset(drafted)
        _SECTION_SCOPE.reset(scope)
        _RUN_MEMO.reset(token)


def checking_candidate() -> bool:
    """True inside a check run of a drafter's candidate text (see ``check_run``)."""
    return _CANDIDATE.get()


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


def implements(
    code: str, *, cases: Iterable[str] = (), phrases: Iterable[str] = (), last_year: bool = False
) -> Callable[[RuleFn], RuleFn]:
    """Register a rule's code; ``cases`` and ``phrases`` name what it reads from its rule file,
    ``last_year`` that it compares with last year's report (its file says reads_last_year)."""

    def register(fn: RuleFn) -> RuleFn:
        if code in IMPLEMENTATIONS:
            raise ValueError(f"rule {code} implemented twice")
        IMPLEMENTATIONS[code] = fn
        NEEDS[code] = (frozenset(cases), frozenset(phrases), last_year)
        return fn

    return register


def make_finding(spec: RuleSpec, location: Location, **values: object) -> Finding:
    """Fill the spec's message template; the advice is appended so every message says what to do."""
    return compose_finding(spec, location, values)


def compose_finding(
    spec: RuleSpec,
    location: Location,
    values: dict[str, object],
    *,
    case: str | None = None,
    note: str = "",
    cells: tuple[Location, ...] = (),
) -> Finding:
    """make_finding with the extras: the message and severity of one of the spec's cases,
    a ``note`` between message and advice, and the cells a table-wide finding lists."""
    where = location.describe()
    outcome = spec.cases[case] if case is not None else None
    message = outcome.message if outcome is not None else spec.message
    advice = outcome.advice if outcome is not None and outcome.advice else spec.advice
    return Finding(
        code=spec.code,
        severity=spec.severity_of(case),
        message=f"{message.format(where=where, **values)}{note}{advice.format(where=where, **values)}",
        location=location,
        values={k: str(v) for k, v in values.items()},
        cells=cells,
    )
