"""One home for each vocabulary, one strict base model, one @tag lookup: a guard over the source.

A second copy of a vocabulary (a table-numeral dict, a severity dict, a format name written
out) drifts from the first; these tests fail when one comes back.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from gkassist.drafting.tmpl_overview import _ASPECT_WORDS
from gkassist.names import aspects

PACKAGE = Path(__file__).resolve().parent.parent / "gkassist"
SOURCES = {p: p.read_text(encoding="utf-8") for p in sorted(PACKAGE.rglob("*.py"))}


def test_sources_are_found() -> None:
    assert len(SOURCES) > 50


def _defining(pattern: str) -> list[str]:
    rx = re.compile(pattern, re.M)
    return [str(p.relative_to(PACKAGE)) for p, text in SOURCES.items() if rx.search(text)]


def _strings(text: str) -> list[str]:
    """The string literals of a module, docstrings left out (they may quote a name)."""
    tree = ast.parse(text)
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


STRINGS = {p: _strings(text) for p, text in SOURCES.items()}


def _writing(pattern: str) -> list[str]:
    rx = re.compile(pattern)
    return [str(p.relative_to(PACKAGE)) for p, strings in STRINGS.items() if any(rx.search(s) for s in strings)]


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("SEVERITY_ZH", "findings.py"),
        ("SEVERITY_ORDER", "findings.py"),
        ("SECTION_TITLES", "names.py"),
        ("TABLE_NUMERALS", "names.py"),
        ("FIELD_NAMES", "places.py"),
    ],
)
def test_each_vocabulary_is_defined_once(name: str, home: str) -> None:
    assert _defining(rf"^{name}\b\s*(?::[^=\n]+)?=") == [home]


def test_no_copies_of_the_vocabularies() -> None:
    written = {
        "a format name (rules/layouts/*.yaml name)": r"2019年(?:试行)?格式|2021年格式",
        "a section title (rules/names.yaml)": r"^[一二三四五六]、(?:总体情况|主动公开政府信息情况|收到和处理|政府信息公开行政复议|存在的主要问题|其他需要报告)",
    }
    assert {what: files for what, pattern in written.items() if (files := _writing(pattern))} == {}
    copies = {
        "a table-numeral dict": r"[\"']s2[\"']\s*:\s*[\"']二",
        "a severity dict": r"[\"']error[\"']\s*:\s*[\"']错误",
        "the aspects (rules/names.yaml)": r"\(\s*[\"']主动公开[\"']\s*,\s*[\"']依申请公开",
        "a strict model config (gkassist/strict.py)": r"ConfigDict\((?:extra=\"forbid\", frozen=True|frozen=True, extra=\"forbid\")\)",
        "a tag lookup (TableLayout.tagged)": r"in \w+\.tags\b",
        "a finding's location compared with Chinese text": r"location\.\w+\s*(?:==|!=|in)\s*[\"'][^\"']*[\u4e00-\u9fff]",
        "a finding's message compared with text": r"\.message\s*(?:==|!=)|in f\.message\b",
    }
    found = {what: _defining(pattern) for what, pattern in copies.items()}
    allowed = {
        "a severity dict": ["findings.py"],
        "a strict model config (gkassist/strict.py)": ["strict.py"],
        "a tag lookup (TableLayout.tagged)": ["layouts.py"],
    }
    assert {what: files for what, files in found.items() if files != allowed.get(what, [])} == {}


def test_aspect_words_name_known_aspects() -> None:
    assert set(_ASPECT_WORDS) <= set(aspects())
