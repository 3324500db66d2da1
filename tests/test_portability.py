"""The test suite runs the same on any machine: no machine paths, no developer settings, outside
tools skipped with a reason (failed on CI), and markers to leave groups out."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests import tools

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
# a string literal that starts with a machine's own folder: /work/…, /home/…, /root/…, /tmp/…, C:\…
MACHINE_PATH = re.compile(r"""(?<![\w.])[rbfu]?["'](?:/(?:work|home|root|tmp|Users|mnt)/|[A-Za-z]:[\\/])""")


def test_no_test_names_a_machine_path() -> None:
    sources = sorted(TESTS.rglob("*.py"))
    assert len(sources) > 40
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in sources
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if MACHINE_PATH.search(line)
    ]
    assert found == [], "tests read fixtures from tests/fixtures or tmp_path, never a machine path"


def test_the_machine_path_pattern_finds_what_it_should() -> None:
    work, tmp, drive = "/" + "work/", "/" + "tmp/", "C" + ":\\"  # split, so that this file passes the check above
    assert MACHINE_PATH.search(f'REPORT = Path("{work}shared/corpus/101.txt")')
    assert MACHINE_PATH.search(f"open('{tmp}x.db')") and MACHINE_PATH.search(f'Path(r"{drive}data")')
    assert not MACHINE_PATH.search('SECRET = "/srv/app.db"') and not MACHINE_PATH.search('url = "http://h/home/"')


def test_markers_are_declared_and_guarded(pytestconfig: pytest.Config) -> None:
    declared = {line.split(":")[0] for line in pytestconfig.getini("markers")}
    assert {"e2e", "pg", "office", "slow"} <= declared
    assert pytestconfig.option.strict_markers  # a misspelt marker is an error
    assert pytestconfig.getini("empty_parameter_set_mark") == "fail_at_collect"  # no silent empty parametrize


def test_ci_runs_every_test_and_fails_on_a_missing_tool() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "export CI=true" in ci and "./quickstart.sh test" in ci
    pytest_line = next(line for line in (ROOT / "quickstart.sh").read_text(encoding="utf-8").splitlines() if "-m pytest" in line)
    assert " -m " not in pytest_line.split("-m pytest", 1)[1]  # no marker selection: every group runs
    assert tools.on_ci({"CI": "true"}) and not tools.on_ci({}) and not tools.on_ci({"CI": "false"})


def _request(marker: str | None) -> Any:
    node = SimpleNamespace(nodeid="tests/test_x.py::test_x", get_closest_marker=lambda name: name if name == marker else None)
    return SimpleNamespace(node=node)


def test_a_missing_tool_is_skipped_with_its_package_outside_ci_and_fails_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(tools.TOOLS, "nothing", tools.Tool("office", lambda: None, "apt-get install -y nothing"))
    monkeypatch.setattr(tools, "ON_CI", False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y nothing"):
        tools.require_tool(_request("office"), "nothing")
    monkeypatch.setattr(tools, "ON_CI", True)
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        tools.require_tool(_request("office"), "nothing")


def test_a_present_tool_is_returned_and_needs_its_marker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(tools.TOOLS, "here", tools.Tool("e2e", lambda: "/opt/here/bin/here", "-"))
    assert tools.require_tool(_request("e2e"), "here") == "/opt/here/bin/here"
    with pytest.raises(pytest.fail.Exception, match=r"mark it @pytest.mark.e2e"):
        tools.require_tool(_request(None), "here")


PROBE = '''
import os

AT_IMPORT = sorted(n for n in os.environ if n.startswith("GKASSIST_"))


def test_no_setting_at_collection_or_in_a_test():
    assert AT_IMPORT == ["GKASSIST_TEST_PG_URL"]
    assert sorted(n for n in os.environ if n.startswith("GKASSIST_")) == ["GKASSIST_TEST_PG_URL"]


def test_a_setting_leaked_by_one_test():
    os.environ["GKASSIST_LLM_MODEL"] = "leaked"


def test_does_not_reach_the_next():
    assert "GKASSIST_LLM_MODEL" not in os.environ
'''


def test_developer_settings_never_reach_a_test(tmp_path: Path) -> None:
    """A developer's real GKASSIST_* settings (a real model and key, a real database, other
    rules) are gone before collection and in every test; the suite's own GKASSIST_TEST_* stay."""
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GKASSIST_")},
        "GKASSIST_LLM_BASE_URL": "https://api.example.invalid/v1",
        "GKASSIST_LLM_API_KEY": "sk-developer-real-key",
        "GKASSIST_DATABASE_URL": "postgresql://developer@prod/gkassist",
        "GKASSIST_RULES_DIR": str(tmp_path / "other-rules"),
        "GKASSIST_TEST_PG_URL": "postgresql://kept",
    }
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider", "-c", str(ROOT / "pyproject.toml"),
         "--rootdir", str(tmp_path), str(probe)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "3 passed" in run.stdout
