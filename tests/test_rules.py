"""Every rule's failing examples raise it and its passing examples do not (data in rules/checks/)."""

from __future__ import annotations

import pytest

from gkassist.checks import active_specs, check_report
from gkassist.checks.engine import run_rule
from gkassist.checks.registry import check_run
from gkassist.checks.rule_examples import build_example
from gkassist.checks.spec import RuleSpec, load_specs
from gkassist.examples import load_example

SPECS = active_specs()
CASES = [
    pytest.param(spec, kind, i, id=f"{spec.code}-{kind}-{i}")
    for spec in SPECS
    for kind, examples in (("fail", spec.examples.fail), ("pass", spec.examples.pass_))
    for i in range(len(examples))
]


@pytest.mark.parametrize(("spec", "kind", "index"), CASES)
def test_rule_example(spec: RuleSpec, kind: str, index: int) -> None:
    example = (spec.examples.fail if kind == "fail" else spec.examples.pass_)[index]
    report = build_example(spec.examples.base, example)
    with check_run(candidate=spec.drafts_only):  # a drafts-only rule judges the examples as candidates
        found = run_rule(report, spec)
    if kind == "fail":
        assert found, f"{spec.code} should fire on: {example}"
        severity = spec.severity_of(example.case)  # a rule with cases: the case the example raises
        assert all(f.code == spec.code and f.severity == severity for f in found), [f.message for f in found]
        for f in found:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in f.message)
            assert "{" not in f.message, f"unfilled template in {f.message}"
    else:
        assert not found, [f.message for f in found]


def test_every_rule_is_documented() -> None:
    """Meta-test: each rule has code, severity, message, advice, rationale and both kinds of example."""
    required = {"A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "D1", "D2", "D4", "D5",
                "F1", "F2", "F3", "F4", "X4", "X5", "N1", "N2"}
    specs = load_specs()
    assert required <= set(specs)
    for spec in specs.values():
        assert spec.name and spec.message and spec.advice and spec.rationale
        assert spec.severity in {"error", "warning", "info"}
        assert spec.examples.fail and spec.examples.pass_


@pytest.mark.parametrize("name", ["example-2021", "example-2019"])
def test_examples_are_clean(name: str) -> None:
    assert check_report(load_example(name)) == []


def test_all_findings_at_once() -> None:
    report = load_example("example-2021")
    report.table("s3").set("new", "natural", "21")
    report.table("s4").set("cases", "review_total", "9")
    report.sections["s6"] = "无"
    codes = {f.code for f in check_report(report)}
    assert {"A1", "A3", "B1", "X4", "X5"} <= codes


def test_per_column_imbalance_with_balanced_total() -> None:
    """自然人 −1, 其他 +1: the 总计 column balances, the applicant columns do not."""
    report = load_example("example-2021")
    report.table("s3").set("new", "natural", "19")
    report.table("s3").set("new", "other_org", "3")
    a1 = [f for f in check_report(report) if f.code == "A1"]
    assert {f.location.column for f in a1} == {"自然人", "其他"}
    assert "相差1" in a1[0].message
