"""The account database the account, session and CLI tests run on: a SQLite file, or the
PostgreSQL test server with the account and audit tables dropped before and after (dropping
the table is the one way a test clears the append-only trail)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from gkassist.storage import accounts as accounts_module
from gkassist.storage import audit_log
from tests.tools import require_tool

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)]


class Clock:
    """A clock the test moves by hand, so the lockout wait and expiry are tested without sleeping."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 10, 9, 0, 0)

    def __call__(self) -> datetime:
        return self.now


def drop_account_tables(engine: Engine) -> None:
    accounts_module.accounts_metadata.drop_all(engine)
    audit_log.audit_metadata.drop_all(engine)


def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """For a fixture parametrized by BACKENDS: the database's URL, emptied around the test on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gk.db'}"
        return
    url = require_tool(request, "postgresql")
    engine = create_engine(url)
    drop_account_tables(engine)
    yield url
    drop_account_tables(engine)
    engine.dispose()


def account_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """The same as an engine."""
    for url in database_url(request, tmp_path):
        engine = create_engine(url)
        yield engine
        engine.dispose()
