"""Quantities evaluated on a report's tables: cells summed, described in Chinese, compared by unit.

``Tables`` evaluates each quantity of the vocabulary once per report (one instance per
classification run, so values are never stale); the helpers compare a stated number with an
expected one (money units, 余/约).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from gkassist.cells import Cell
from gkassist.grounding.extract import COUNT_UNITS
from gkassist.grounding.vocabulary import CellAddress, CompiledAlso, CompiledOutcome, CompiledQuantity
from gkassist.layouts import table_layout
from gkassist.model import Report
from gkassist.names import TABLE_NUMERALS


@dataclass(slots=True)
class Evaluation:
    value: Decimal | None  # None: cannot be compared
    unit: str  # 万元 / 元 / "" (counts)
    cells: list[str]
    basis: str  # Chinese description of the cells (and their values when summed)
    reason: str = ""  # why value is None
    ids: list[str] = field(default_factory=list)  # table.row.column


def _short_label(label: str) -> str:
    """（二）部分公开（区分处理的，只计这一情形，不计其他情形） → （二）部分公开."""
    if label.endswith("）") and "（" in label[1:]:
        cut = label.find("（", 1)
        if cut > 0:
            return label[:cut]
    return label


@cache
def describe_cell(format_id: str, address: CellAddress) -> str:
    """表三“（七）总计”行“总计”列 / 表四“行政复议·总计”列 / 表二“行政规范性文件”行“本年制发件数”列."""
    table_id, row_id, col_id = address
    layout = table_layout(format_id, table_id)
    row = layout.row(row_id)
    col = layout.column(row_id, col_id)
    numeral = TABLE_NUMERALS[table_id]
    if table_id == "s4":
        return f"表{numeral}“{col.path}”列"
    label = _short_label(row.label)
    if label[:1].isdigit() and row.groups:
        label = f"{_short_label(row.groups[-1])}{label}"
    return f"表{numeral}“{label}”行“{col.label}”列"


@cache
def _column_unit(format_id: str, address: CellAddress) -> str | None:
    table_id, row_id, col_id = address
    return table_layout(format_id, table_id).column(row_id, col_id).unit


@cache
def _group_basis(format_id: str, cells: tuple[CellAddress, ...]) -> str | None:
    """表三“（三）不予公开”各项“总计”列之和, when the cells are exactly the rows of one group."""
    tables = {c[0] for c in cells}
    cols = {c[2] for c in cells}
    if len(cells) < 3 or len(tables) != 1 or len(cols) != 1:
        return None
    table_id = next(iter(tables))
    layout = table_layout(format_id, table_id)
    groups = {layout.row(c[1]).groups[-1:] for c in cells}
    if len(groups) != 1 or not next(iter(groups)):
        return None
    group = next(iter(groups))[0]
    members = [r.id for r in layout.rows() if r.groups[-1:] == (group,)]
    if sorted(members) != sorted(c[1] for c in cells):
        return None
    col = layout.column(cells[0][1], cells[0][2])
    return f"表{TABLE_NUMERALS[table_id]}“{group}”各项“{col.label}”列之和"


def fmt(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


MONEY_FACTORS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}


class Tables:
    """Evaluates quantities on one report, with a cache."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self._cache: dict[str, Evaluation | None] = {}
        self._applicable: dict[str, bool] = {}
        self._empty: dict[str, bool] = {}

    def _table_missing(self, table_id: str) -> bool:
        try:
            return self._empty[table_id]
        except KeyError:
            table = self.report.tables.get(table_id)  # type: ignore[call-overload]
            missing = self._empty[table_id] = table is None or table.is_empty()
            return missing

    def layout_of(self, table_id: str) -> str:
        table = self.report.tables.get(table_id)  # type: ignore[call-overload]
        return table.layout if table is not None else self.report.meta.format

    def applicable(self, q: CompiledQuantity) -> bool:
        try:
            return self._applicable[q.id]
        except KeyError:
            ok = True
            if q.cells:
                first_table = next(iter(q.cells.values()))[0][0]
                ok = self.layout_of(first_table) in q.cells
            self._applicable[q.id] = ok
            return ok

    def evaluate(self, q: CompiledQuantity) -> Evaluation | None:
        """The quantity's value from the tables; None when it has no cells in this layout."""
        try:
            return self._cache[q.id]
        except KeyError:
            result = self._cache[q.id] = self._evaluate(q.cells)
            return result

    def evaluate_sum(self, sum_: CompiledAlso | CompiledOutcome) -> Evaluation | None:
        """Another sum of cells: one the quantity's wording may count (新收 + 上年结转), or the cases of one
        outcome (结果维持); None when it has no cells here."""
        try:
            return self._cache[sum_.key]
        except KeyError:
            result = self._cache[sum_.key] = self._evaluate(sum_.cells)
            return result

    def _evaluate(self, source: dict[str, tuple[CellAddress, ...]]) -> Evaluation | None:
        if not source:
            return None
        first_table = next(iter(source.values()))[0][0]
        format_id = self.layout_of(first_table)
        addresses = source.get(format_id)
        if not addresses:
            return None
        cells = _cell_set(format_id, addresses)
        values: list[Decimal] = []
        unit = ""
        problem = ""
        for (table_id, row_id, col_id), desc, layout_unit in zip(
            addresses, cells.descriptions, cells.layout_units, strict=True
        ):
            if self._table_missing(table_id):
                problem = f"表{TABLE_NUMERALS[table_id]}未填写"
                break
            table = self.report.tables[table_id]
            cell: Cell = table.get(row_id, col_id)
            if cell.state != "number" or cell.value is None:
                shown = {"blank": "空白", "na": "“/”"}.get(cell.state, f"无法识别的“{cell.raw}”")
                problem = f"{desc}为{shown}"
                break
            unit = cell.unit or table.column_units.get(col_id) or layout_unit or unit
            values.append(Decimal(cell.value))
        descriptions, group = list(cells.descriptions), cells.group
        if problem:
            return Evaluation(None, unit, descriptions, group or "＋".join(descriptions), reason=problem, ids=list(cells.ids))
        total = sum(values, Decimal(0))
        if len(values) == 1:
            basis = descriptions[0]
        elif group:
            basis = group
        else:
            basis = "＋".join(f"{d}（{fmt(v)}）" for d, v in zip(descriptions, values, strict=True)) + "之和"
        return Evaluation(total, unit if unit in MONEY_FACTORS else "", descriptions, basis, ids=list(cells.ids))


@dataclass(frozen=True, slots=True)
class _CellSet:
    """What a quantity's cells are in one layout, apart from their values (the same for every report)."""

    descriptions: tuple[str, ...]
    ids: tuple[str, ...]  # table.row.column
    layout_units: tuple[str | None, ...]
    group: str | None  # 表三“（三）不予公开”各项“总计”列之和, when the cells are one whole group


@cache
def _cell_set(format_id: str, addresses: tuple[CellAddress, ...]) -> _CellSet:
    return _CellSet(
        tuple(describe_cell(format_id, a) for a in addresses),
        tuple(".".join(a) for a in addresses),
        tuple(_column_unit(format_id, a) for a in addresses),
        _group_basis(format_id, addresses),
    )


def to_base(value: Decimal, unit: str) -> Decimal:
    return value * MONEY_FACTORS.get(unit, Decimal(1))


def units_compatible(stated: str, expected: str, allowed: tuple[str, ...] = ()) -> bool:
    if allowed:
        return stated in allowed or stated == ""
    if stated == "%":
        return False
    if expected in MONEY_FACTORS:
        return stated == "" or stated in MONEY_FACTORS
    return stated == "" or stated in COUNT_UNITS or stated in ("起", "宗")


def equal(
    stated: Decimal, stated_unit: str, expected: Decimal, expected_unit: str, approx: str,
    bounds: tuple[Decimal, Decimal] | None = None,
) -> bool:
    """The table's value is what the narrative says: the same number, or within the range it stands for
    (``bounds``: 30余件 is [30, 40), 近万件 [5000, 11000)), or at least it (超过30件), or about it (约30件)."""
    factor = Decimal(1)
    if stated_unit in MONEY_FACTORS or expected_unit in MONEY_FACTORS:
        factor = MONEY_FACTORS.get(stated_unit or expected_unit, Decimal(1))
        stated = stated * factor
        expected = to_base(expected, expected_unit or stated_unit)
    if bounds is not None:
        return bounds[0] * factor <= expected < bounds[1] * factor
    if approx == "over":
        return expected >= stated
    if approx == "about":
        return abs(expected - stated) <= max(abs(stated) / 10, Decimal(1))
    return stated == expected


def in_stated_unit(expected: Decimal, expected_unit: str, stated_unit: str) -> Decimal:
    if expected_unit in MONEY_FACTORS and stated_unit in MONEY_FACTORS and expected_unit != stated_unit:
        return to_base(expected, expected_unit) / MONEY_FACTORS[stated_unit]
    return expected
