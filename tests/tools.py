"""The outside tools some tests need, and what a test does when one is missing.

Outside CI a missing tool skips the test and says which package to install; on CI (CI=true)
it fails the test, because CI must run every test. A test that uses a tool must carry the
tool's marker, so that ``pytest -m "not <marker>"`` leaves out everything that needs it.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NoReturn

import pytest


def on_ci(environ: Mapping[str, str]) -> bool:
    """CI=true (as CI services and .ci/run set it)."""
    return environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


ON_CI = on_ci(os.environ)


@dataclass(frozen=True)
class Tool:
    marker: str  # the marker every test using the tool carries
    find: Callable[[], str | None]  # its path (or address), None when missing
    install: str  # what to do when it is missing


def _command(name: str, *modules: str) -> Callable[[], str | None]:
    """A command on PATH, usable only when the Python packages that drive it are installed."""
    return lambda: shutil.which(name) if all(importlib.util.find_spec(m) for m in modules) else None


def _llama_server() -> str | None:
    from tests.llama_server import build

    built, _why = build()  # builds on first use (about 12 minutes), then cached in .cache/llama/
    return None if built is None else str(built.server)


def _nginx() -> str | None:
    """nginx (Debian puts it in /usr/sbin, not on a normal user's PATH) and openssl for a test certificate."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    return found if found and shutil.which("openssl") else None


_POPPLER = "apt-get install -y --no-install-recommends poppler-utils"
TOOLS: dict[str, Tool] = {
    "chromium": Tool("e2e", _command("chromium", "playwright"),
                     "apt-get install -y chromium fonts-noto-cjk (never `playwright install`), "
                     "and pip install -e '.[dev]' for playwright"),
    "postgresql": Tool("pg", lambda: os.environ.get("GKASSIST_TEST_PG_URL") or None,
                       "export GKASSIST_TEST_PG_URL=$(./scripts/start-postgres.sh) "
                       "(needs apt-get install -y postgresql; ./quickstart.sh test does this)"),
    "soffice": Tool("office", _command("soffice"),
                    "apt-get install -y --no-install-recommends libreoffice-writer-nogui"),
    "pdftotext": Tool("office", _command("pdftotext"), _POPPLER),
    "pdftoppm": Tool("office", _command("pdftoppm"), _POPPLER),
    "nginx": Tool("proxy", _nginx, "apt-get install -y --no-install-recommends nginx openssl (scripts/system-deps.sh)"),
    "wheel-build": Tool("slow", lambda: "setuptools" if importlib.util.find_spec("setuptools.command.bdist_wheel") else None,
                        "pip install -e '.[dev]' (setuptools>=70.1 builds the wheel offline)"),
    "llama-server": Tool("slow", _llama_server,
                         "apt-get install -y cmake g++ (scripts/system-deps.sh); the first run builds llama-server "
                         "into .cache/llama/ (about 12 minutes): ./scripts/build-llama-server.sh"),
}  # fmt: skip


def missing(reason: str) -> NoReturn:
    """Skip the test outside CI; fail it on CI, where everything must run."""
    if ON_CI:
        pytest.fail(f"{reason} [CI=true: a missing tool is a failure]", pytrace=False)
    pytest.skip(reason)


def require_tool(request: pytest.FixtureRequest, name: str) -> str:
    """The tool's path (or address). Fails a test that uses it without its marker."""
    tool = TOOLS[name]
    if request.node.get_closest_marker(tool.marker) is None:
        pytest.fail(f"{request.node.nodeid} uses {name}: mark it @pytest.mark.{tool.marker}", pytrace=False)
    found = tool.find()
    if found is None:
        missing(f"{name} is not available: {tool.install}")
    return found
