"""The real-report corpus (tests/fixtures/real, copied from ../shared/corpus/real) and its
hand-typed expected cells, mapped onto our (table, row, column) ids.

Used by the corpus tests and by benchmarks/bench_corpus.py, so both measure cell accuracy
the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from gkassist.importers.normalise import match_key
from gkassist.layouts import FormatId, TableLayout, table_layout
from gkassist.model import Report

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REAL = FIXTURES / "real"
PARTIAL = FIXTURES / "partial"
REPORT_SUFFIXES = (".html", ".txt", ".pdf")

CellId = tuple[str, str, str]  # (table, row id, column id)


def real_reports() -> list[Path]:
    """Every report file of the real corpus (211 as PDF and as its pdftotext text)."""
    return sorted(p for p in REAL.iterdir() if p.suffix in REPORT_SUFFIXES and not p.name.endswith(".cells.json"))


def expected_path(report: Path) -> Path:
    return report.with_name(report.name.split(".")[0] + ".cells.json")


@dataclass(frozen=True)
class Expected:
    format: FormatId
    cells: dict[CellId, int | str | None]  # None: printed blank


def _row_id(layout: TableLayout, label: str) -> str:
    key = match_key(label)
    for row in layout.rows():
        if match_key(row.label) == key or match_key(row.label).startswith(key):
            return row.id
    raise KeyError(f"no row {label!r} in {layout.id}")


def _s3_row_id(layout: TableLayout, label: str) -> str:
    # sub-rows are written "（六）1.申请人…" in the expected files
    if label.startswith("（六）") and len(label) > 3 and label[3].isdigit():
        label = label[3:]
    for row in layout.rows():
        if match_key(row.label) == match_key(label):
            return row.id
    return _row_id(layout, label)


def load_expected(report: Path) -> Expected:
    data: dict[str, Any] = json.loads(expected_path(report).read_text(encoding="utf-8"))
    s3_rows = data["三"]["rows"]
    fmt: FormatId = "gk2019" if "（六）其他处理" in s3_rows else "gk2021"
    cells: dict[CellId, int | str | None] = {}
    s3 = table_layout(fmt, "s3")
    cols3 = [c.id for c in s3.blocks[0].columns]
    for label, values in s3_rows.items():
        row_id = _s3_row_id(s3, label)
        for col, value in zip(cols3, values, strict=True):
            cells[("s3", row_id, col)] = value
    prefix = {"行政复议": "review", "未经复议直接起诉": "direct", "复议后起诉": "after"}
    suffix = ["upheld", "corrected", "other", "pending", "total"]
    for label, values in data["四"]["rows"].items():
        for sfx, value in zip(suffix, values, strict=True):
            cells[("s4", "cases", f"{prefix[label]}_{sfx}")] = value
    s2 = table_layout(fmt, "s2")
    for key, block in data["二"].items():
        if isinstance(block, dict):
            layout_block = next(b for b in s2.blocks if match_key(b.head) == match_key(key))
            for label, values in block["rows"].items():
                row_id = _row_id(s2, label)
                for col, value in zip(layout_block.columns, values, strict=True):
                    cells[("s2", row_id, col.id)] = value
        else:  # 2021 single-column rows: 行政许可: n, 行政事业性收费（万元）: "amount"
            row_id = _row_id(s2, key.split("（")[0])
            col = s2.block_of(row_id).columns[0]
            cells[("s2", row_id, col.id)] = block
    return Expected(fmt, cells)


def _same(cell_value: int | Decimal | None, cell_raw: str, expected: int | str | None) -> bool:
    if expected is None:
        return cell_raw.strip() == "" or cell_raw.strip() == "\xa0"
    if isinstance(expected, str):
        want = expected.replace(",", "")
        try:
            return cell_value is not None and Decimal(want.rstrip("元")) == Decimal(cell_value)
        except ArithmeticError:
            return cell_raw.replace(",", "") == want
    return cell_value is not None and cell_value == expected


@dataclass(frozen=True)
class Accuracy:
    right: int
    wrong: list[tuple[CellId, str, int | str | None]]  # cell, what we read, what was printed
    missing: list[tuple[CellId, int | str | None]]  # read as blank although printed

    @property
    def total(self) -> int:
        return self.right + len(self.wrong) + len(self.missing)


def accuracy(report: Report, expected: Expected, tables: tuple[str, ...] = ("s3", "s4")) -> Accuracy:
    right = 0
    wrong: list[tuple[CellId, str, int | str | None]] = []
    missing: list[tuple[CellId, int | str | None]] = []
    for cid, want in expected.cells.items():
        tid, row, col = cid
        if tid not in tables:
            continue
        table = report.tables.get(tid)  # type: ignore[call-overload]
        cell = table.get(row, col) if table is not None else None
        if cell is not None and _same(cell.value, cell.raw, want):
            right += 1
        elif cell is None or cell.state == "blank":
            missing.append((cid, want))
        else:
            wrong.append((cid, cell.raw, want))
    return Accuracy(right, wrong, missing)
