"""The report model: one report = one agency × one year."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gkassist.cells import BLANK, Cell
from gkassist.layouts import FormatId, TableId, TableLayout, format_for_year, table_layout

SectionId = Literal["s1", "s5", "s6"]
SECTION_TITLES: dict[str, str] = {
    "s1": "一、总体情况",
    "s2": "二、主动公开政府信息情况",
    "s3": "三、收到和处理政府信息公开申请情况",
    "s4": "四、政府信息公开行政复议、行政诉讼情况",
    "s5": "五、存在的主要问题及改进情况",
    "s6": "六、其他需要报告的事项",
}
NARRATIVE_SECTIONS: tuple[SectionId, ...] = ("s1", "s5", "s6")
TABLE_IDS: tuple[TableId, ...] = ("s2", "s3", "s4")
OPENING = "opening"  # pseudo-section id for the opening paragraph


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Contact(_Model):
    office: str | None = None
    address: str | None = None
    postcode: str | None = None
    phone: str | None = None


class Meta(_Model):
    agency: str = ""
    year: int = Field(ge=2000, le=2100)
    format: FormatId
    level: Literal["department", "government"] = "department"
    period_start: date | None = None
    period_end: date | None = None
    publication_date: date | None = None
    contact: Contact = Field(default_factory=Contact)
    opening: str | None = None  # the opening paragraph as written; generated when None


class ExtraRow(_Model):
    """A sub-row an agency added under an official row (e.g. 行政检查 under 其他对外管理服务事项)."""

    parent: str
    label: str
    cells: dict[str, Cell] = Field(default_factory=dict)


class Table(_Model):
    layout: FormatId
    cells: dict[str, dict[str, Cell]] = Field(default_factory=dict)
    extra_rows: list[ExtraRow] = Field(default_factory=list)
    column_units: dict[str, str] = Field(default_factory=dict)  # units printed in a header

    def get(self, row: str, col: str) -> Cell:
        cells = self.cells.get(row)
        return cells.get(col, BLANK) if cells is not None else BLANK

    def set(self, row: str, col: str, value: Cell | str | int | None) -> None:
        cell = value if isinstance(value, Cell) else Cell.parse(value)
        self.cells.setdefault(row, {})[col] = cell

    def is_empty(self) -> bool:
        return all(c.state == "blank" for r in self.cells.values() for c in r.values())


class DeclaredFigure(_Model):
    """A number staff declare for the narrative that is in no table (e.g. 发布各类信息 76 条)."""

    label: str = Field(min_length=1)
    value: Decimal
    unit: str = ""


class Acknowledgement(_Model):
    code: str
    key: str  # Finding.key of the acknowledged finding; "*" acknowledges every finding of the code
    message: str = ""  # the finding's message when it was acknowledged, for the record
    note: str = ""
    at: datetime | None = None


class DraftRecord(_Model):
    """Which drafter wrote a section's text, kept with the report so every screen can say so."""

    drafter: Literal["template", "llm"]
    summary: str  # Chinese: drafter, model, prompt, attempts …
    text: str  # the text as drafted; staff edits since then show as a difference
    at: datetime | None = None


class Report(_Model):
    meta: Meta
    tables: dict[TableId, Table] = Field(default_factory=dict)
    sections: dict[SectionId, str] = Field(default_factory=dict)
    declared: list[DeclaredFigure] = Field(default_factory=list)
    highlights: dict[str, str] = Field(default_factory=dict)
    acknowledgements: list[Acknowledgement] = Field(default_factory=list)
    drafts: dict[SectionId, DraftRecord] = Field(default_factory=dict)  # not part of the published text
    last_year: Report | None = None

    def table(self, table_id: TableId) -> Table:
        if table_id not in self.tables:
            self.tables[table_id] = Table(layout=self.meta.format)
        return self.tables[table_id]

    def layout_of(self, table_id: TableId) -> TableLayout:
        return table_layout(self.table(table_id).layout, table_id)

    def section(self, section_id: SectionId) -> str:
        return self.sections.get(section_id, "")

    @classmethod
    def new(cls, agency: str, year: int, format_id: FormatId | None = None) -> Report:
        fmt = format_id or format_for_year(year)
        meta = Meta(
            agency=agency,
            year=year,
            format=fmt,
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
        )
        return cls(meta=meta, tables={t: Table(layout=fmt) for t in TABLE_IDS})


_SUBHEAD = re.compile(r"^\s*[（(]([一二三四五六七八九十]+)[）)]\s*(.+)$")


def section_parts(text: str) -> list[tuple[str, str]]:
    """Split a section into (heading, body) parts at lines like （一）主动公开.

    Text before the first heading is returned with an empty heading.
    """
    parts: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines():
        m = _SUBHEAD.match(line)
        if m and len(line) <= 40:
            parts.append((line.strip(), []))
        else:
            parts[-1][1].append(line)
    return [(h, "\n".join(b).strip()) for h, b in parts if h or "\n".join(b).strip()]
