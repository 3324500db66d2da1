"""Findings are data: every check produces these, and the CLI, UI, compare, audit and export gate consume them.

A finding points at its place by ids (``Location``); the Chinese name of the place is derived
from the ids (gkassist.places), and every surface shows a finding through ``render_finding``.
Nothing matches findings by their Chinese text: code, address (``Location.address``) and
``Finding.key`` are the identities.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Literal

from pydantic import Field, model_validator

from gkassist.layouts import FormatId, TableId
from gkassist.names import SECTION_TITLES
from gkassist.places import cell_name, field_name, field_page, span_name, table_name
from gkassist.strict import Strict

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
SEVERITY_ZH: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}


class Location(Strict):
    """Where a finding points, by ids: a table, a row, a column or a cell of a table (ids of
    the table's layout ``format``); a section or a character span of it; or a meta field."""

    format: FormatId | None = None  # the layout the row and column ids belong to
    table: TableId | None = None
    row: str | None = None  # row id, e.g. r_open
    sub_row: str | None = None  # an agency's own sub-row under ``row`` (its label: it has no id)
    column: str | None = None  # column id, e.g. natural
    section: str | None = None  # s1 … s6, or opening (the opening paragraph)
    start: int | None = None  # character span in the section text
    end: int | None = None
    field: str | None = None  # meta field, e.g. publication_date
    item: int | None = Field(default=None, ge=1)  # 1-based entry of a list field (one of last year's problems)

    @model_validator(mode="after")
    def _complete(self) -> Location:
        if (self.row or self.column) and not (self.table and self.format):
            raise ValueError("a row or column needs its table and format")
        if self.sub_row and not self.row:
            raise ValueError("a sub-row needs its official row")
        if (self.start is None) != (self.end is None) or (self.start is not None and not self.section):
            raise ValueError("a span needs its section, start and end")
        if self.item is not None and not self.field:
            raise ValueError("a list entry needs its field")
        return self

    @property
    def address(self) -> str:
        """The place as one stable string: s3 (table), s3.new (row), s3.*.natural (column),
        s3.new.natural (cell), s3.r_other_1[行政检查].total (agency sub-row), s1 (section),
        s1:14-16 (span), meta.period (field); "" for the whole report. Rule examples pin findings
        with it (rules/checks/*.yaml, ``finds``)."""
        if self.table:
            if self.row is None and self.column is None:
                return self.table
            row = "*" if self.row is None else self.row + (f"[{self.sub_row}]" if self.sub_row else "")
            return f"{self.table}.{row}" + (f".{self.column}" if self.column else "")
        if self.section:
            return self.section + (f":{self.start}-{self.end}" if self.start is not None else "")
        if self.field:
            return f"meta.{self.field}" + (f".{self.item}" if self.item is not None else "")
        return ""

    def describe(self) -> str:
        """The place in Chinese, for messages and lists (derived from the ids, gkassist.places)."""
        if self.table:
            if self.format is None:
                return table_name(self.table)
            return cell_name(self.format, self.table, self.row, self.column, self.sub_row)
        if self.section:
            return span_name(self.section, self.start, self.end)
        if self.field:
            return field_name(self.field, self.item)
        return "全文"


_ADDRESS = re.compile(
    r"^(?:(?P<table>s[234])(?:\.(?P<row>\*|\w+)(?:\[(?P<sub>[^\]]+)\])?(?:\.(?P<column>\w+))?)?"
    r"|(?P<section>s[1-6]|opening)(?::(?P<start>\d+)-(?P<end>\d+))?"
    r"|meta\.(?P<field>\w+)(?:\.(?P<item>\d+))?)$"
)


def parse_address(address: str, format_id: FormatId | None = None) -> Location:
    """The Location an address names (the inverse of ``Location.address``); ValueError when the
    text is not an address. Whether the ids exist in the layout is for the caller to check."""
    m = _ADDRESS.match(address)
    if m is None:
        raise ValueError(f"not an address: {address!r} (e.g. s3.new.natural, s3.*.total, s1:14-16, meta.period)")
    row = m["row"] if m["row"] != "*" else None
    if m["table"] and (row or m["column"]) and format_id is None:
        raise ValueError(f"address {address!r} needs a format")
    return Location(
        format=format_id if row or m["column"] else None,
        table=m["table"],
        row=row,
        sub_row=m["sub"],
        column=m["column"],
        section=m["section"],
        start=int(m["start"]) if m["start"] else None,
        end=int(m["end"]) if m["end"] else None,
        field=m["field"],
        item=int(m["item"]) if m["item"] else None,
    )


class Finding(Strict):
    code: str
    severity: Severity
    message: str
    location: Location = Location()
    values: dict[str, str] = Field(default_factory=dict)
    # The cells a table-wide finding is about (G1: every blank cell of the table), so screens
    # can mark each one's row; the message lists them in words.
    cells: tuple[Location, ...] = ()

    @property
    def key(self) -> str:
        """Stable identity used to acknowledge this finding: rule code and address. A finding
        about a set of cells changes its key when the set changes: a new blank cell needs a new
        acknowledgement."""
        key = f"{self.code}@{self.location.address}"
        if self.cells:
            listed = ";".join(c.address for c in self.cells)
            key += ":" + hashlib.sha1(listed.encode()).hexdigest()[:10]
        return key


def _plain(text: str) -> str:
    return text


def render_finding(finding: Finding, escape: Callable[[str], str] = _plain) -> str:
    """The one wording of a finding on every surface (CLI, UI, compare, audit, export):
    【错误 A3】message. ``escape`` makes the code and message safe where the line goes (markdown,
    HTML); the severity and brackets are ours."""
    return f"【{SEVERITY_ZH[finding.severity]} {escape(finding.code)}】{escape(finding.message)}"


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.code))


FIX_PAGE = {"table": "数据填报", "section": "起草", "field": "基本信息"}


def where_to_fix(finding: Finding) -> str:
    """The finding's place and the app page where it is fixed, e.g. 表三…（请到“数据填报”页修改）."""
    loc = finding.location
    if loc.table:
        page = FIX_PAGE["table"]
    elif loc.section:
        page = FIX_PAGE["section"] if loc.section in SECTION_TITLES else "基本信息"  # the opening paragraph is on 基本信息
    else:
        page = field_page(loc.field) if loc.field else FIX_PAGE["field"]
    return f"{loc.describe()}（请到“{page}”页修改）"
