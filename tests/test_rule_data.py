"""Rule data checks itself at load: a misspelt name in a rule file is an error naming the file,
the rule and the term, never a KeyError in the middle of a check or an example that tests nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gkassist.checks.rulebook import RuleDataError, load_rule_file, rule_files
from gkassist.layouts import FormatLayout
from gkassist.names import Names
from gkassist.yamlio import load_yaml

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
EXAMPLE = ROOT / "gkassist" / "examples" / "example-2021.json"

# (rule, text in its file, the typo put in its place, the term the error must name)
TYPOS = [
    ("A1", "left: [new, carried_in]", "left: [new, carried_inn]", "carried_inn"),  # identity row
    ("A2", 'right: ["@outcome"]', 'right: ["@outcom"]', "@outcom"),  # @tag
    ("A3", "legal_service, other_org]", "legal_servic, other_org]", "legal_servic"),  # for_each row: a column
    ("B1", "right: [cases.review_upheld,", "right: [cases.review_uphold,", "cases.review_uphold"),  # row.column
    ("B1", "right: [cases.review_upheld,", "right: [review_upheld,", "review_upheld"),  # not row.column
    ("C2", "blocks: [art20_1]", "blocks: [art20_9]", "art20_9"),
    ("A1", "s3.carried_out.research: \"/\"", "s3.carried_out.reserch: \"/\"", "s3.carried_out.reserch"),  # pass example cell
    ("A1", "delta: {s3.new.natural: 1, s3.carried_out.natural: 1}", "delta: {s3.new.natural: 1, s3.carried_out.natura: 1}",
     "s3.carried_out.natura"),
    ("A1", 'at: "s3.*.natural"', 'at: "s3.*.natral"', "s3.*.natral"),  # pinned address
    ("N1", 'at: "s1:14-16"', 'at: "s7:14-16"', "s7:14-16"),
    ("X5", "sections: {s6: \"本年度未收取任何费用。\"}", "sections: {s7: \"本年度未收取任何费用。\"}", "s7"),
    ("F4", "meta: {publication_date: null}", "meta: {publish_date: null}", "publish_date"),
    ("G2", "base: example-2021", "base: example-2022", "example-2022"),
]


def _copy_with(tmp_path: Path, code: str, old: str, new: str) -> Path:
    text = (RULES / "checks" / f"{code}.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{code}.yaml no longer holds {old!r}: update this test"
    path = tmp_path / f"{code}.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(("code", "old", "new", "term"), TYPOS, ids=[f"{t[0]}-{t[3]}" for t in TYPOS])
def test_a_typo_is_a_load_error_naming_file_rule_and_term(tmp_path: Path, code: str, old: str, new: str, term: str) -> None:
    path = _copy_with(tmp_path, code, old, new)
    with pytest.raises(RuleDataError) as caught:
        load_rule_file(path)
    message = str(caught.value)
    assert str(path) in message and f"rule {code}" in message and repr(term) in message, message
    assert (caught.value.path, caught.value.code, caught.value.term) == (path, code, term)


def test_every_shipped_rule_file_loads() -> None:
    files = rule_files()
    assert files
    for path in files:
        assert load_rule_file(path).code == path.stem


def test_a_rule_without_a_pinned_failing_example_is_refused(tmp_path: Path) -> None:
    text = (RULES / "checks" / "G2.yaml").read_text(encoding="utf-8")
    start = text.index(", finds: [")
    path = tmp_path / "G2.yaml"
    path.write_text(text[:start] + "}" + text[text.index("\n", start):], encoding="utf-8")
    with pytest.raises(ValueError, match="no failing example pins its findings") as caught:
        load_rule_file(path)
    assert str(path) in str(caught.value)


def test_a_typo_stops_gkassist_check_with_the_rule_named(tmp_path: Path) -> None:
    """The whole program: a misspelt identity term is an installation fault (exit 3) whose log
    names the file, the rule and the term; before, every check crashed with a bare KeyError."""
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    a1 = rules / "checks" / "A1.yaml"
    a1.write_text(a1.read_text(encoding="utf-8").replace("left: [new, carried_in]", "left: [new, carried_inn]"), encoding="utf-8")
    env = {**os.environ, "GKASSIST_RULES_DIR": str(rules), "GKASSIST_LOG_DIR": str(tmp_path / "logs"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "gkassist", "check", str(EXAMPLE)], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 3 and "Traceback" not in done.stderr
    (log,) = (tmp_path / "logs").iterdir()
    text = log.read_text(encoding="utf-8")
    assert "RuleDataError" in text and "A1.yaml" in text and "rule A1" in text and "'carried_inn'" in text
    # the screen says it too, in Chinese, so whoever edited the file can put it right
    assert "规则数据文件有误" in done.stderr and "A1.yaml" in done.stderr and "'carried_inn'" in done.stderr
    assert str(log) in done.stderr


def test_layout_tags_are_declared_and_used() -> None:
    data = load_yaml(RULES / "layouts" / "gk2021.yaml")
    s3 = next(t for t in data["tables"] if t["id"] == "s3")
    s3["tags"].pop("deny")
    with pytest.raises(ValueError, match="not declared"):
        FormatLayout.model_validate(data)
    s3["tags"] |= {"deny": "（三）不予公开各项之和", "unused": "无此行"}
    with pytest.raises(ValueError, match="no row has the tags"):
        FormatLayout.model_validate(data)


def test_section_names_carry_their_numerals() -> None:
    data = load_yaml(RULES / "names.yaml")
    Names.model_validate(data)
    data["sections"]["s3"] = "收到和处理政府信息公开申请情况"
    with pytest.raises(ValueError, match="must start with 三、"):
        Names.model_validate(data)
