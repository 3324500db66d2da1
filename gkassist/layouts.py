"""Table layouts of the two official formats, loaded from rules/layouts/*.yaml.

The layouts are data maintained by policy people; this module only validates them
into strict models and offers look-ups.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import Field, model_validator

from gkassist.names import SECTION_TITLES, TABLE_NUMERALS
from gkassist.paths import rules_dir
from gkassist.strict import Strict
from gkassist.yamlio import load_model

FormatId = Literal["gk2019", "gk2021"]
TableId = Literal["s2", "s3", "s4"]


class Column(Strict):
    id: str
    label: str
    kind: Literal["count", "signed", "money"] = "count"
    groups: tuple[str, ...] = ()
    unit: str | None = None
    role: Literal["total"] | None = None

    @property
    def path(self) -> str:
        """Header path as printed, e.g. 行政诉讼·复议后起诉·总计."""
        return "·".join((*self.groups, self.label))


class Row(Strict):
    id: str
    label: str
    groups: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # row groups a rule names as @tag (declared in the table's ``tags``)
    total_of: str | None = None  # a printed total: the sum of the rows with this tag

    @property
    def path(self) -> str:
        return "·".join((*self.groups, self.label))


class Block(Strict):
    id: str
    head: str
    first_col: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


class TableLayout(Strict):
    id: TableId
    format: FormatId  # the format the table belongs to (filled in from the layout file's id)
    tags: dict[str, str] = Field(default_factory=dict)  # row tag → the Chinese name of its rows' sum
    blocks: tuple[Block, ...]

    @property
    def numeral(self) -> str:
        return TABLE_NUMERALS[self.id]

    @property
    def title(self) -> str:
        """The title of the report part the table belongs to (rules/names.yaml), e.g. 三、收到和处理…."""
        return SECTION_TITLES[self.id]

    def rows(self) -> list[Row]:
        return [r for b in self.blocks for r in b.rows]

    def block_of(self, row_id: str) -> Block:
        for b in self.blocks:
            if any(r.id == row_id for r in b.rows):
                return b
        raise KeyError(row_id)

    def row(self, row_id: str) -> Row:
        for r in self.rows():
            if r.id == row_id:
                return r
        raise KeyError(row_id)

    def column(self, row_id: str, col_id: str) -> Column:
        for c in self.block_of(row_id).columns:
            if c.id == col_id:
                return c
        raise KeyError(col_id)

    def cell_ids(self) -> list[tuple[str, str]]:
        return [(r.id, c.id) for b in self.blocks for r in b.rows for c in b.columns]

    def tagged(self, tag: str) -> tuple[Row, ...]:
        """The rows a rule means by ``@tag``, in table order: the one lookup of a tag, used by the
        identities, the narrative number vocabulary, the drafting facts and filling totals.
        KeyError for a tag the table does not declare."""
        if tag not in self.tags:
            raise KeyError(f"no tag {tag!r} in {self.format} table {self.id}")
        return tuple(r for r in self.rows() if tag in r.tags)

    @model_validator(mode="after")
    def _unique_row_ids(self) -> TableLayout:
        ids = [r.id for r in self.rows()]
        if len(ids) != len(set(ids)):
            raise ValueError(f"duplicate row ids in table {self.id}")
        return self

    @model_validator(mode="after")
    def _tags_declared_and_used(self) -> TableLayout:
        used = {t for r in self.rows() for t in r.tags}
        totals = {r.total_of for r in self.rows() if r.total_of is not None}
        if used - set(self.tags) or totals - set(self.tags):
            raise ValueError(f"table {self.id}: tags {sorted((used | totals) - set(self.tags))} are not declared in its tags")
        if set(self.tags) - used:
            raise ValueError(f"table {self.id}: no row has the tags {sorted(set(self.tags) - used)}")
        return self


class FormatLayout(Strict):
    id: FormatId
    name: str
    notice: str
    first_year: int
    tables: tuple[TableLayout, ...] = Field(min_length=3, max_length=3)

    @model_validator(mode="before")
    @classmethod
    def _tables_know_their_format(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("tables"), list | tuple):
            tables = [{"format": data.get("id"), **t} if isinstance(t, dict) else t for t in data["tables"]]
            data = {**data, "tables": tables}
        return data

    @model_validator(mode="after")
    def _one_format(self) -> FormatLayout:
        if any(t.format != self.id for t in self.tables):
            raise ValueError(f"a table of layout {self.id} names another format")
        return self

    def table(self, table_id: str) -> TableLayout:
        for t in self.tables:
            if t.id == table_id:
                return t
        raise KeyError(table_id)


FORMAT_IDS: tuple[FormatId, ...] = ("gk2019", "gk2021")


@cache
def get_layout(format_id: str) -> FormatLayout:
    layout = load_model(rules_dir() / "layouts" / f"{format_id}.yaml", FormatLayout)
    if layout.id != format_id:
        raise ValueError(f"layout file {format_id}.yaml declares id {layout.id}")
    return layout


def table_layout(format_id: str, table_id: str) -> TableLayout:
    return get_layout(format_id).table(table_id)


@cache
def columns_of_rows(format_id: str, table_id: str) -> dict[str, frozenset[str]]:
    """Row id → the ids of its columns, for checking many cell ids at once."""
    layout = table_layout(format_id, table_id)
    return {row.id: frozenset(c.id for c in block.columns) for block in layout.blocks for row in block.rows}


def format_name(format_id: str) -> str:
    """The format's Chinese name (rules/layouts/<id>.yaml), e.g. 2019年试行格式; an unknown id as given."""
    return get_layout(format_id).name if format_id in FORMAT_IDS else format_id


def format_for_year(year: int) -> FormatId:
    """The official format in force for a report year (2019 trial format for 2019–2020)."""
    chosen: FormatId = "gk2019"
    for fid in FORMAT_IDS:
        if year >= get_layout(fid).first_year:
            chosen = fid
    return chosen
