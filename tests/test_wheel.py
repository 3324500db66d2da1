"""The installed package carries its own data.

A wheel built from this checkout is installed into a fresh virtual environment outside the
repository; from a folder outside the repository, `gkassist check` on the bundled seed report
prints exactly what the source tree prints, and the package reads rules/ and prompts/ from its
own copy, which holds every file of the repository's folders.

Offline: the wheel is built with this environment's setuptools (no build isolation), and the
fresh environment borrows this environment's installed dependencies through a .pth file
instead of downloading them.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gkassist.cli import main
from gkassist.examples import SEED_TEXT
from tests.tools import require_tool

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "setup.py", "gkassist", "rules", "prompts")  # what the build reads
PROBE = """
import json, gkassist
from gkassist.last_year.config import compare_config
from gkassist.drafting.prompts import list_prompts
from gkassist.examples import SEED_TEXT
from gkassist.paths import prompts_dir, rules_dir
from gkassist.ui import sheet_component
compare_config(); prompts = list_prompts()
print(json.dumps({
    "package": gkassist.__file__, "seed": str(SEED_TEXT),
    "rules": str(rules_dir()), "prompts": str(prompts_dir()), "prompt_count": len(prompts),
    "rule_files": sorted(str(p.relative_to(rules_dir())) for p in rules_dir().rglob("*.yaml")),
    "prompt_files": sorted(str(p.relative_to(prompts_dir())) for p in prompts_dir().rglob("*.yaml")),
    "component_files": sorted(p.name for p in sheet_component._FILES.iterdir()),
}))
"""


def _run(args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def venv(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtual environment with the wheel installed and nothing of the repository."""
    require_tool(request, "wheel-build")
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"  # a copy, so that the build leaves no build/ or egg-info in the checkout
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(ROOT / name, src / name)
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                  "-w", str(tmp / "dist"), str(src)])  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    wheels = list((tmp / "dist").glob("gkassist-*.whl"))
    assert len(wheels) == 1, wheels

    env_dir = tmp / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)])
    assert made.returncode == 0, made.stderr
    python = env_dir / "bin" / "python"
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip()
    # the dependencies: this environment's site-packages, after the fresh one's (a .pth line
    # only adds a folder to sys.path; the .pth files inside it, such as an editable install's, do not run)
    Path(purelib, "shared-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    installed = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                      str(wheels[0])])  # fmt: skip
    assert installed.returncode == 0, installed.stdout + installed.stderr
    yield env_dir


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME") and not k.startswith("GKASSIST_")}


def test_installed_check_of_the_bundled_example_works_outside_the_repository(
    venv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = _run([str(venv / "bin" / "python"), "-c", PROBE], cwd=elsewhere, env=_clean_env())
    assert probe.returncode == 0, probe.stderr
    seed = json.loads(probe.stdout)["seed"]
    assert Path(seed).is_relative_to(venv) and Path(seed).name == SEED_TEXT.name

    checked = _run([str(venv / "bin" / "gkassist"), "check", seed], cwd=elsewhere, env=_clean_env())
    assert checked.returncode == 1, checked.stdout + checked.stderr  # the seed has a real error
    assert "F2" in checked.stdout and "2019年试行格式" in checked.stdout  # its known finding: the old table-two format
    assert "X8" in checked.stdout  # narrative numbers checked against the vocabulary
    assert "Traceback" not in checked.stderr

    assert main(["check", str(SEED_TEXT)]) == 1  # the source tree says exactly the same
    assert checked.stdout == capsys.readouterr().out


def test_the_installed_package_reads_its_own_rules_and_prompts(venv: Path, tmp_path: Path) -> None:
    probe = _run([str(venv / "bin" / "python"), "-c", PROBE], cwd=tmp_path, env=_clean_env())
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)
    package = Path(found["package"]).parent
    assert package.is_relative_to(venv) and not package.is_relative_to(ROOT)
    assert Path(found["rules"]) == package / "rules" and Path(found["prompts"]) == package / "prompts"
    repo_rules = sorted(str(p.relative_to(ROOT / "rules")) for p in (ROOT / "rules").rglob("*.yaml"))
    repo_prompts = sorted(str(p.relative_to(ROOT / "prompts")) for p in (ROOT / "prompts").rglob("*.yaml"))
    assert repo_rules and repo_prompts
    assert found["rule_files"] == repo_rules and found["prompt_files"] == repo_prompts
    assert found["prompt_count"] == len(repo_prompts)
    repo_component = sorted(p.name for p in (ROOT / "gkassist" / "ui" / "components").iterdir() if p.suffix in (".js", ".css"))
    assert repo_component and found["component_files"] == repo_component  # the grid component ships its files
