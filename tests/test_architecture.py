"""The layers of docs/architecture.md hold: the import-linter contracts in pyproject.toml are
kept, and they do catch what they forbid. One way to attach last year's report."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import gkassist

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gkassist"
CONTRACTS = 5  # the [[tool.importlinter.contracts]] of pyproject.toml

# lint-imports in a process of its own: it puts the working directory on sys.path, so the
# package it reads is the one in ``cwd`` (the code under test, or a doctored copy of it)
LINT = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))"
)


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LINT], cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=120
    )


def test_the_import_contracts_are_kept() -> None:
    assert Path(gkassist.__file__).resolve().parent == PACKAGE  # the checkout under test
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"Contracts: {CONTRACTS} kept, 0 broken." in run.stdout


def _append(path: Path, code: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + code + "\n", encoding="utf-8")


def test_each_contract_catches_what_it_forbids(tmp_path: Path) -> None:
    """A copy of the package with one forbidden import per contract: every contract breaks."""
    shutil.copytree(PACKAGE, tmp_path / "gkassist", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    copy = tmp_path / "gkassist"
    # layers: a lower layer importing a higher one
    _append(copy / "checks" / "registry.py", "from gkassist.storage import ReportStore")
    # no cycles: the type-hint cycle that importers/notes.py once had
    _append(copy / "importers" / "notes.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from gkassist.importers.reader import RowReader")
    # importers without export
    _append(copy / "importers" / "docx.py", "from gkassist.export.markdown import render_markdown")
    # the UI without langchain, also through what it imports (a type hint in drafting's interface)
    _append(copy / "drafting" / "types.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from langchain_core.messages import AIMessage")
    # Streamlit only in the UI
    _append(copy / "totals.py", "import streamlit")
    run = lint_imports(tmp_path)
    assert run.returncode != 0
    assert f"Contracts: 0 kept, {CONTRACTS} broken." in run.stdout, run.stdout + run.stderr
    assert "gkassist.checks.registry -> gkassist.storage" in run.stdout
    assert "gkassist.drafting.types -> langchain_core" in run.stdout  # the indirect chain is named


def _sets_last_year(node: ast.AST) -> bool:
    """``x.last_year = <not None>``: attaching a report as last year's."""
    if not isinstance(node, ast.Assign):
        return False
    attached = not (isinstance(node.value, ast.Constant) and node.value.value is None)
    return attached and any(isinstance(t, ast.Attribute) and t.attr == "last_year" for t in node.targets)


def test_one_way_to_attach_last_years_report() -> None:
    sources = sorted(PACKAGE.rglob("*.py"))
    assert len(sources) > 100
    attaching = [
        path.relative_to(ROOT).as_posix()
        for path in sources
        if any(_sets_last_year(node) for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
    ]
    assert attaching == ["gkassist/last_year/attach.py"]
