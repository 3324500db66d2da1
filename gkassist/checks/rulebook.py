"""The rule files of rules/checks/, loaded once and checked against the layouts.

Pydantic checks the shape of a file; this module checks that every name in it means something:
each identity term, @tag and block, and each cell, section and address of its examples must
exist in the layout of the format it applies to. A typo is a ``RuleDataError`` at load that
names the file, the rule and the term, never a KeyError in the middle of a check.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from gkassist.checks.spec import Example, RuleSpec, parse_term, term_rows
from gkassist.findings import parse_address
from gkassist.layouts import FORMAT_IDS, FormatId, TableLayout, table_layout
from gkassist.model import NARRATIVE_SECTIONS, TABLE_IDS, Meta
from gkassist.names import OPENING, SECTION_IDS
from gkassist.paths import EXAMPLES_DIR, rules_dir
from gkassist.places import FIELD_NAMES
from gkassist.yamlio import DataFileError, load_model


class RuleDataError(DataFileError):
    """A name in a rule file that does not resolve: says which file, which rule, which term."""

    def __init__(self, path: Path, code: str, term: str, problem: str) -> None:
        self.path, self.code, self.term = path, code, term
        super().__init__(f"rule file {path}: rule {code}: {term!r} {problem}")


def rule_files() -> list[Path]:
    return sorted((rules_dir() / "checks").glob("*.yaml"))


@cache
def load_specs() -> dict[str, RuleSpec]:
    """Every rule, validated and checked against the layouts (cached: read once per process)."""
    specs: dict[str, RuleSpec] = {}
    for path in rule_files():
        spec = load_rule_file(path)
        specs[spec.code] = spec
    return specs


def load_rule_file(path: Path) -> RuleSpec:
    spec = load_model(path, RuleSpec)
    if spec.code != path.stem:
        raise RuleDataError(path, spec.code, spec.code, f"is not the file's name ({path.stem})")
    _check_identity(path, spec)
    _check_examples(path, spec)
    return spec


def _check_identity(path: Path, spec: RuleSpec) -> None:
    ident = spec.identity
    if ident is None:
        return
    for fmt in (ident.layout,) if ident.layout else FORMAT_IDS:
        layout = table_layout(fmt, ident.table)
        blocks = {b.id for b in layout.blocks}
        for block in ident.blocks:
            if block not in blocks:
                raise RuleDataError(path, spec.code, block, f"is not a block of {fmt} table {ident.table}")
        instances = list(ident.instances(layout))
        if not instances:
            raise RuleDataError(path, spec.code, ident.for_each, f"gives no row or column to check in {fmt}")
        for term in ident.terms:
            for fixed in instances:
                try:
                    term_rows(layout, parse_term(term, ident.for_each, fixed))
                except (KeyError, ValueError) as exc:
                    where = f" ({ident.for_each} {fixed})" if fixed else ""
                    problem = f"does not resolve in {fmt} table {ident.table}{where}: {_reason(exc)}"
                    raise RuleDataError(path, spec.code, term, problem) from None


def _reason(exc: Exception) -> str:
    return str(exc.args[0]) if exc.args else type(exc).__name__


@cache
def _example_format(base: str) -> FormatId | None:
    """The format of a bundled example report; None when there is no such example."""
    path = EXAMPLES_DIR / f"{base}.json"
    if not path.is_file():
        return None
    fmt = json.loads(path.read_text(encoding="utf-8"))["meta"]["format"]
    return fmt if fmt in FORMAT_IDS else None


def _check_examples(path: Path, spec: RuleSpec) -> None:
    base_format = _example_format(spec.examples.base)
    if base_format is None:
        raise RuleDataError(path, spec.code, spec.examples.base, f"is not a bundled example ({EXAMPLES_DIR})")
    for kind, examples in (("fail", spec.examples.fail), ("pass", spec.examples.pass_)):
        for example in examples:
            fmt = example.meta.get("format", base_format)
            problem = _example_problem(example, fmt, kind)
            if problem is not None:
                term, what = problem
                raise RuleDataError(path, spec.code, term, f"in a {kind} example: {what}")


def _example_problem(example: Example, fmt: FormatId, kind: str) -> tuple[str, str] | None:
    for address in (*example.cells, *example.delta, *example.last_year_cells):
        what = _cell_problem(address, fmt)
        if what:
            return address, what
    for sid in example.sections:
        if sid not in NARRATIVE_SECTIONS:
            return sid, f"is not a narrative section ({', '.join(NARRATIVE_SECTIONS)})"
    for name in example.meta:
        if name not in Meta.model_fields:
            return name, "is not a field of the report's basic information"
    if example.finds and kind != "fail":
        return example.finds[0].at, "only a failing example pins findings"
    for pinned in example.finds:
        what = _address_problem(pinned.at, fmt)
        if what:
            return pinned.at, what
    return None


def _cell_problem(address: str, fmt: FormatId) -> str | None:
    """Why ``table.row.column`` is not a cell of the layout; None when it is."""
    parts = address.split(".")
    if len(parts) != 3 or parts[0] not in TABLE_IDS:
        return "is not a cell address table.row.column (e.g. s3.new.natural)"
    table, row, col = parts
    try:
        table_layout(fmt, table).column(row, col)
    except KeyError as exc:
        return f"is not a cell of {fmt} table {table}: no {'row' if str(exc.args[0]) == row else 'column'} {exc.args[0]!r}"
    return None


def _address_problem(address: str, fmt: FormatId) -> str | None:
    """Why a pinned address names no place of the report; None when it does."""
    try:
        loc = parse_address(address, fmt)
    except ValueError as exc:
        return str(exc)
    if loc.section is not None and loc.section not in (*SECTION_IDS, OPENING):
        return f"names no section ({', '.join(SECTION_IDS)}, {OPENING})"
    if loc.field is not None and loc.field not in FIELD_NAMES:
        return f"names no field of the basic information ({', '.join(FIELD_NAMES)})"
    if loc.table is None:
        return None
    layout = table_layout(fmt, loc.table)
    try:
        if loc.row is not None:
            layout.row(loc.row)
            if loc.column is not None:
                layout.column(loc.row, loc.column)
        elif loc.column is not None and not _has_column(layout, loc.column):
            raise KeyError(loc.column)
    except KeyError as exc:
        return f"names no row or column of {fmt} table {loc.table}: {exc.args[0]!r}"
    return None


def _has_column(layout: TableLayout, column: str) -> bool:
    return any(c.id == column for b in layout.blocks for c in b.columns)
