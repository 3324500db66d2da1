"""Shared types of the table readers: the rows a layout prints, what a row label took, the
state of a row table being read (shared by the reader, the settler and the notes) and a
table as read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from gkassist.cells import Cell
from gkassist.importers.normalise import Aliases, match_key
from gkassist.importers.result import Diagnostic
from gkassist.importers.tokens import Token, parse_cell
from gkassist.layouts import Block, FormatId, Row, TableLayout
from gkassist.model import Table


@dataclass(frozen=True)
class RowSpec:
    index: int
    row: Row
    block: Block
    keys: tuple[str, ...]


@dataclass
class TableRead:
    """A table as read, what went wrong, and how many rows had at least one value."""

    table: Table
    diagnostics: list[Diagnostic]
    rows_with_values: int


@dataclass
class Taken:
    """The value tokens a row label took, and whether delimiters fixed their places."""

    spec: RowSpec
    tokens: list[Token]
    delimited: bool
    label_line: int = -1


@dataclass
class Notes:
    """Per-table findings, collected by kind so one message can list many rows."""

    no_values: list[tuple[int, str]] = field(default_factory=list)
    total_only: list[tuple[int, str]] = field(default_factory=list)
    short: list[tuple[int, str]] = field(default_factory=list)
    too_many: list[tuple[int, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    parents: dict[str, list[str]] = field(default_factory=dict)
    similar: list[tuple[str, str]] = field(default_factory=list)  # (printed, official)
    detached: list[str] = field(default_factory=list)
    decided: list[str] = field(default_factory=list)  # identities chose the reading
    undecided: list[str] = field(default_factory=list)  # full sentences, row left blank
    forced: list[str] = field(default_factory=list)  # the only reading, identities failing
    stray: list[str] = field(default_factory=list)  # numbers after the table's rows, without a label


@dataclass(eq=False)  # one table being read: compared by identity
class RowTableState:
    """One row table (二, 三) as far as it has been read: the reader fills it, the settler
    turns the taken values into cells, and the notes become the table's diagnostics."""

    layout: TableLayout
    format_id: FormatId
    specs: list[RowSpec]
    table: Table
    cut_off: bool  # the document ends inside this table
    matched: set[int] = field(default_factory=set)  # spec indexes whose label was found
    filled: set[int] = field(default_factory=set)  # spec indexes with at least one value
    pending: list[RowSpec] = field(default_factory=list)  # rows matched without values so far
    taken: dict[int, Taken] = field(default_factory=dict)  # spec index -> the values its label took
    notes: Notes = field(default_factory=Notes)


def row_specs(layout: TableLayout, format_id: FormatId, aliases: Aliases) -> list[RowSpec]:
    specs: list[RowSpec] = []
    for block in layout.blocks:
        for row in block.rows:
            labels = (row.label, *aliases.row_aliases(format_id, layout.id, row.id))
            specs.append(RowSpec(len(specs), row, block, tuple(match_key(x) for x in labels)))
    return specs


def row_name(layout: TableLayout, row: Row) -> str:
    """How a row is named in messages: with its block head (表二) or group labels (表三)."""
    block = layout.block_of(row.id)
    return f"{block.head}·{row.label}" if block.head else row.path


def token_cell(tok: Token) -> Cell:
    return parse_cell(tok.text if tok.kind == "value" else None)


def quote_list(names: Iterable[str]) -> str:
    return "、".join(f"“{n}”" for n in names)


def warn(message: str, where: str) -> Diagnostic:
    return Diagnostic(level="warning", message=message, where=where)


def info(message: str, where: str) -> Diagnostic:
    return Diagnostic(level="info", message=message, where=where)
