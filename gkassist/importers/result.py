"""What an importer hands back: the report it could read, and what it could not."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gkassist.model import Report
from gkassist.strict import Strict

DiagnosticLevel = Literal["error", "warning", "info"]
SourceKind = str  # "text", "html", "markdown", "json"


class Diagnostic(Strict):
    """One problem met while reading a document, worded for staff (Simplified Chinese)."""

    level: DiagnosticLevel
    message: str = Field(min_length=1)
    where: str | None = None


class ImportResult(BaseModel):
    """A report read from a document, plus everything that could not be read."""

    model_config = ConfigDict(extra="forbid")

    report: Report | None
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    source: SourceKind

    def by_level(self, level: DiagnosticLevel) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == level]


class ReportReadError(Exception):
    """The input cannot be read as an annual report at all; str() is a Chinese message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
