"""Creating the tables when several app servers first use one new database at the same time.

``MetaData.create_all`` looks for each table and then creates the missing ones; two servers (or
two sessions of one) doing this at once on PostgreSQL both try to create the same table, and
the second fails (a duplicate type name). On PostgreSQL the check and the creation run inside a
transaction holding an advisory lock, so creators take turns and the later ones find the tables.
SQLite has no such lock: a creator that loses the race there (the table appeared between its look
and its creation) looks again, a few times.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import MetaData, Table, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

_LOCK = 0x676B_6173_7369_7374  # one advisory lock for all of gkassist's tables ("gkassist")
_SQLITE_ATTEMPTS = 5


def create_all(metadata: MetaData, engine: Engine, tables: Sequence[Table] | None = None) -> None:
    """The tables of ``metadata`` (or those of ``tables``) that do not exist yet, created once
    however many callers race."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
            metadata.create_all(conn, tables=tables)
        return
    for attempt in range(_SQLITE_ATTEMPTS):
        try:
            metadata.create_all(engine, tables=tables)
            return
        except SQLAlchemyError as err:  # another creator was first: look again
            if "already exists" not in str(err) or attempt == _SQLITE_ATTEMPTS - 1:
                raise  # a read-only file, a full disk …: the callers say so
            time.sleep(0.05 * (attempt + 1))
