"""The database every AppTest page test runs against: a fresh SQLite file, also seen by the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from gkassist.storage import ReportStore
from tests.app.support import APP


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReportStore:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("GKASSIST_DATABASE_URL", url)
    monkeypatch.chdir(Path(APP).parent)
    return ReportStore(url)

