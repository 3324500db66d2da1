"""Builds the failing and passing example reports declared in each rule file."""

from __future__ import annotations

from gkassist.cells import Cell
from gkassist.checks.spec import Example
from gkassist.examples import load_example
from gkassist.last_year.attach import attach_last_year
from gkassist.model import Report


def _set_cells(report: Report, cells: dict[str, str | None]) -> None:
    for address, raw in cells.items():
        table, row, col = address.split(".")
        report.table(table).set(row, col, raw)  # type: ignore[arg-type]


def build_example(base: str, example: Example) -> Report:
    report = load_example(base)
    if example.last_year == "same":
        last = load_example(base)
        last.meta.year -= 1
        _set_cells(last, example.last_year_cells)
        attach_last_year(report, last)
    _set_cells(report, example.cells)
    for address, delta in example.delta.items():
        table, row, col = address.split(".")
        cell = report.table(table).get(row, col)  # type: ignore[arg-type]
        if cell.value is None:
            raise ValueError(f"example delta on a non-number cell {address}")
        report.table(table).set(row, col, Cell.parse(str(cell.value + delta)))  # type: ignore[arg-type]
    if example.meta:
        data = report.meta.model_dump() | example.meta
        report.meta = type(report.meta).model_validate(data)
    for sid, text in example.sections.items():
        report.sections[sid] = text  # type: ignore[index]
    report.declared.extend(d.model_copy() for d in example.declared)
    report.highlights.update(example.highlights)
    report.rectifications.extend(r.model_copy() for r in example.rectifications)
    return report
