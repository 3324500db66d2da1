"""The report model: one report = one agency × one year.

Validation keeps out what would break a later step, with a Chinese message naming the field:
cells and agency sub-rows that are not in the table's layout, declared figures that are not
finite or have more digits than any real figure, and control characters in any text (Word
cannot hold them; see gkassist.control_chars). Control characters are removed quietly by default,
so no import can fail on them (the input layer says what it removed); a saved archive is read
with ``STRICT_TEXT``, which refuses them instead.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from gkassist.cells import BLANK, MAX_DIGITS, Cell
from gkassist.control_chars import control_char_message, has_control_chars, strip_control_chars
from gkassist.layouts import FormatId, TableId, TableLayout, format_for_year, table_layout
from gkassist.names import TABLE_NUMERALS

SectionId = Literal["s1", "s5", "s6"]
NARRATIVE_SECTIONS: tuple[SectionId, ...] = ("s1", "s5", "s6")
TABLE_IDS: tuple[TableId, ...] = ("s2", "s3", "s4")


STRICT_TEXT = {"refuse_control_chars": True}  # validation context: refuse control characters, do not remove them

FIELD_NAMES_ZH: dict[str, str] = {
    "agency": "机关名称", "office": "联系部门", "address": "地址", "postcode": "邮编", "phone": "电话",
    "opening": "开头段落", "parent": "补充行所属的行", "label": "名称", "unit": "单位", "sections": "正文",
    "highlights": "工作亮点", "column_units": "表头单位", "code": "规则代码", "key": "问题标识",
    "message": "问题内容", "note": "备注", "summary": "起草说明", "text": "起草的文字",
    "rectifications": "上年问题整改情况", "problem": "上年问题", "measures": "整改措施", "result": "整改结果",
    "by": "操作人",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_chars(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name == "cells" or not _holds_control_chars(value):  # a Cell cleans its own text
            return value
        if info.context and info.context.get("refuse_control_chars"):
            raise ValueError(control_char_message(FIELD_NAMES_ZH.get(info.field_name or "", f"字段“{info.field_name}”")))
        return _without_control_chars(value)


def _holds_control_chars(value: Any) -> bool:
    if isinstance(value, str):
        return has_control_chars(value)
    if isinstance(value, dict):
        return any(_holds_control_chars(k) or _holds_control_chars(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_control_chars(v) for v in value)
    return False  # nested models check their own fields


def _without_control_chars(value: Any) -> Any:
    if isinstance(value, str):
        return strip_control_chars(value)[0]
    if isinstance(value, dict):
        return {_without_control_chars(k): _without_control_chars(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_control_chars(v) for v in value]
    return value


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

    @property
    def title(self) -> str:
        """The report's title as published (and as our exports print it)."""
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"


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

    @field_validator("value")
    @classmethod
    def _a_real_figure(cls, value: Decimal) -> Decimal:
        if not value.is_finite():
            raise ValueError("申报数字的数值必须是一个具体的数字")
        if len(value.as_tuple().digits) > MAX_DIGITS or abs(value.adjusted()) > MAX_DIGITS:
            raise ValueError(f"申报数字的数值位数过多（超过{MAX_DIGITS}位），请核对")
        return value


class Acknowledgement(_Model):
    code: str
    key: str  # Finding.key (code@address) of the acknowledged finding; "*": every finding of the code
    message: str = ""  # the finding's message when it was acknowledged, for the record
    note: str = ""
    at: datetime | None = None


class DraftRecord(_Model):
    """Which drafter wrote a section's text, kept with the report so every screen can say so."""

    drafter: Literal["template", "llm"]
    summary: str  # Chinese: drafter, model, prompt, attempts …
    text: str  # the text as drafted; staff edits since then show as a difference
    at: datetime | None = None


class Rectification(_Model):
    """What the clerk entered about one of last year's problems; the drafter claims nothing beyond it."""

    problem: str  # the problem as named in last year's 五 (or as the clerk wrote it)
    measures: str = ""  # 整改措施
    result: str = ""  # 整改结果


class LastYearOverride(_Model):
    """The clerk chose, explicitly, a report of another year than the one before as last year's."""

    year: int  # the year of the report used as last year's
    expected: int  # this year − 1
    by: str = ""
    at: datetime | None = None


class Report(_Model):
    meta: Meta
    tables: dict[TableId, Table] = Field(default_factory=dict)
    sections: dict[SectionId, str] = Field(default_factory=dict)
    declared: list[DeclaredFigure] = Field(default_factory=list)
    highlights: dict[str, str] = Field(default_factory=dict)
    rectifications: list[Rectification] = Field(default_factory=list)  # 上年问题整改情况, entered per problem
    acknowledgements: list[Acknowledgement] = Field(default_factory=list)
    drafts: dict[SectionId, DraftRecord] = Field(default_factory=dict)  # not part of the published text
    last_year: Report | None = None
    last_year_override: LastYearOverride | None = None  # set when last_year is not of the year before

    @model_validator(mode="after")
    def _cells_in_layout(self) -> Report:
        for table_id, table in self.tables.items():
            _check_table_ids(table_id, table)
        return self

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


@cache
def _layout_ids(format_id: FormatId, table_id: TableId) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """(row id -> block id, block id -> its column ids) of one table layout."""
    try:
        layout = table_layout(format_id, table_id)
    except ValueError as exc:  # a broken rules/layouts file is an installation fault, not bad input
        raise RuntimeError(f"layout {format_id}/{table_id} cannot be loaded") from exc
    columns = {b.id: frozenset(c.id for c in b.columns) for b in layout.blocks}
    return {r.id: b.id for b in layout.blocks for r in b.rows}, columns


def _check_table_ids(table_id: TableId, table: Table) -> None:
    """Every cell and agency sub-row sits on a row and column of the table's layout."""
    block_of_row, columns = _layout_ids(table.layout, table_id)
    numeral = TABLE_NUMERALS[table_id]
    where = f"tables.{table_id}"
    for row_id, cells in table.cells.items():
        if row_id not in block_of_row:
            raise ValueError(f"字段“{where}.cells.{row_id}”有误：表{numeral}中没有编号为“{row_id}”的行")
        for col_id in cells:
            if col_id not in columns[block_of_row[row_id]]:
                raise ValueError(f"字段“{where}.cells.{row_id}.{col_id}”有误：表{numeral}该行没有编号为“{col_id}”的列")
    for i, extra in enumerate(table.extra_rows):
        if extra.parent not in block_of_row:
            raise ValueError(
                f"字段“{where}.extra_rows.{i}.parent”有误：补充行“{extra.label}”所属的行“{extra.parent}”不是表{numeral}的行"
            )
        for col_id in extra.cells:
            if col_id not in columns[block_of_row[extra.parent]]:
                raise ValueError(f"字段“{where}.extra_rows.{i}.cells.{col_id}”有误：表{numeral}该行没有编号为“{col_id}”的列")


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
