"""Every rule's failing examples raise it where and as they pin it, and its passing examples
do not raise it (data in rules/checks/)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from gkassist.checks import active_specs, check_report
from gkassist.checks.engine import run_rule
from gkassist.checks.registry import IMPLEMENTATIONS, check_run
from gkassist.checks.rule_examples import build_example
from gkassist.checks.rulebook import load_specs, rule_files
from gkassist.checks.spec import RuleSpec
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
        if example.finds:  # pinned: exactly these places, each message saying its parts
            assert Counter(f.location.address for f in found) == Counter(p.at for p in example.finds), found
            for pinned in example.finds:
                messages = [f.message for f in found if f.location.address == pinned.at]
                assert any(all(part in m for part in pinned.says) for m in messages), (pinned, messages)
    else:
        assert not found, [f.message for f in found]


FILES = rule_files()


def test_rule_files_are_found() -> None:
    assert FILES, "no rule file in rules/checks/"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_rule_file_is_a_working_rule(path: Path) -> None:
    """Meta-test over rules/checks/ (pydantic checks each file's shape; this checks the set):
    every file is loaded under its own code, is evaluated (an identity, or code registered
    for it), and pins where at least one failing example fires."""
    specs = {spec.code: spec for spec in active_specs()}
    code = path.stem
    assert code in specs and load_specs()[code] is specs[code]
    spec = specs[code]
    assert (spec.identity is None) == (code in IMPLEMENTATIONS)
    assert any(example.finds for example in spec.examples.fail)
    assert len(specs) == len(FILES)  # no rule comes from anywhere else


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
    assert {f.location.column for f in a1} == {"natural", "other_org"}
    assert "相差1" in a1[0].message
