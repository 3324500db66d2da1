"""Versioned report storage (SQLAlchemy): SQLite by default, GKASSIST_DATABASE_URL overrides."""

from gkassist.storage.errors import StorageError
from gkassist.storage.store import (
    ConflictError,
    ReportNotFoundError,
    ReportStore,
    ReportSummary,
    VersionInfo,
    default_database_url,
)

__all__ = [
    "ConflictError",
    "ReportNotFoundError",
    "ReportStore",
    "ReportSummary",
    "StorageError",
    "VersionInfo",
    "default_database_url",
]
