"""What every test starts from, and the outside tools some tests need.

Markers (declared in pyproject.toml): e2e (Chromium driving `streamlit run`), pg (a PostgreSQL
server), office (LibreOffice and poppler), proxy (nginx with deploy/nginx.conf), slow (more than
about 5 s). Leave groups out with -m, e.g. ``pytest -m "not e2e and not pg"``; CI runs them all.
A test asks for a tool through the fixtures below or tests.tools.require_tool: skipped outside CI
when it is missing, failed on CI.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import pytest

from tests.tools import require_tool


@pytest.fixture
def chromium(request: pytest.FixtureRequest) -> str:
    """Debian's Chromium, driven by Playwright (tests marked e2e)."""
    return require_tool(request, "chromium")


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    """The SQLAlchemy URL of the test PostgreSQL database (tests marked pg)."""
    return require_tool(request, "postgresql")


# -- a developer's own settings never reach a test ---------------------------------------------


def developer_settings(environ: Iterable[str]) -> list[str]:
    """The gkassist settings in an environment: GKASSIST_LLM_* (a real model and key),
    GKASSIST_DATABASE_URL (a real database), GKASSIST_RULES_DIR and GKASSIST_PROMPTS_DIR (other
    policy data). GKASSIST_TEST_* are the test suite's own (the PostgreSQL test database)."""
    return [n for n in environ if n.startswith("GKASSIST_") and not n.startswith("GKASSIST_TEST_")]


def pytest_configure(config: pytest.Config) -> None:
    """Cleared before collection too: test modules read rules/ at import, and module-scoped
    fixtures start app servers that inherit this environment."""
    for name in developer_settings(os.environ):
        del os.environ[name]


@pytest.fixture(autouse=True)
def no_developer_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts without gkassist settings, even if an earlier test leaked one; a test
    that needs one sets it with monkeypatch."""
    for name in developer_settings(os.environ):
        monkeypatch.delenv(name)
