"""This year's report started from last year's, and a re-imported last year's report brought in.

Both are one plan: ``plan_carry`` lists what last year's report gives this year's, each item a
``Change`` with its place, before and after; ``apply_plan`` makes it so and attaches last year's
report (through ``attach.attach_last_year``). ``start_from_last_year`` is a new report with the
whole plan applied; a re-import shows the plan and applies it when staff confirm.

What follows last year's report:
- contact and opening, while this year's still hold what the previous baseline gave (or nothing):
  what staff changed is theirs;
- 上年结转, always: rule A6 wants it equal, column by column, to last year's 结转下年度;
- 表二's carried columns (rules/compare.yaml ``carry_over``), while they still hold the carried basis;
- last year's problems, as the list 五 must account for (a problem staff already wrote about stays);
- last year's report itself, as the comparison baseline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from gkassist.cells import Cell, sum_numbers
from gkassist.last_year.attach import attach_last_year
from gkassist.last_year.config import CarriedColumn, compare_config
from gkassist.last_year.problems import last_year_problems
from gkassist.layouts import TableId, format_name
from gkassist.model import FIELD_NAMES_ZH, Contact, LastYearOverride, Meta, Rectification, Report
from gkassist.names import SECTION_TITLES
from gkassist.places import cell_name

Place = Literal["basic", "tables", "drafting", "compare"]
PLACE_NAMES: dict[Place, str] = {"basic": "基本信息", "tables": "数据填报", "drafting": "起草", "compare": "对照上年"}
ChangeKind = Literal["contact", "opening", "cell", "problem_add", "problem_drop", "baseline"]
CONTACT_FIELDS: dict[str, str] = {name: FIELD_NAMES_ZH[name] for name in ("office", "address", "postcode", "phone")}
NOTHING = "（空白）"


def _problems_label() -> str:
    return f"{SECTION_TITLES['s5']}·应说明整改情况的上年问题"


@dataclass(frozen=True)
class Change:
    """One thing last year's report changes in this year's, as staff read it before confirming."""

    kind: ChangeKind
    place: Place
    label: str  # Chinese: where (联系方式·电话, 表三“二、上年结转…”行“自然人”列 …)
    before: str
    after: str
    key: tuple[str, ...] = ()  # contact: (field,); cell: (table, row, column); problem: (text,)
    value: str = ""  # what is set (a cell's raw text: "" is blank); ``after`` is how it reads


# ---------------------------------------------------------------------------- the new report


def new_report_from(last: Report) -> Report:
    """This year's blank report for last year's agency: year + 1, the format of that year, same level."""
    report = Report.new(last.meta.agency, last.meta.year + 1)
    report.meta.level = last.meta.level
    return report


def start_from_last_year(last: Report) -> tuple[Report, list[Change]]:
    """This year's report started from ``last``, and what was carried over."""
    report = new_report_from(last)
    plan = plan_carry(report, last)
    apply_plan(report, last, plan)
    return report, plan


# ---------------------------------------------------------------------------- the plan


def plan_carry(report: Report, new_last: Report, old_last: Report | None = None) -> list[Change]:
    """What taking ``new_last`` as last year's report changes in ``report`` (``old_last``: the
    baseline it replaces, None when there is none). Changes nothing."""
    if old_last is None:
        old_last = report.last_year
    return [
        *_contact_changes(report, new_last, old_last),
        *_opening_changes(report, new_last, old_last),
        *_carried_in_changes(report, new_last),
        *_table2_changes(report, new_last, old_last),
        *_problem_changes(report, new_last, old_last),
        _baseline_change(new_last, old_last),
    ]


def apply_plan(report: Report, new_last: Report, plan: list[Change], override: LastYearOverride | None = None) -> None:
    """Make ``plan`` (from ``plan_carry``) so, and keep ``new_last`` as the comparison baseline."""
    for change in plan:
        if change.kind == "contact":
            setattr(report.meta.contact, change.key[0], change.value or None)
        elif change.kind == "opening":
            report.meta.opening = change.after
        elif change.kind == "cell":
            table, row, col = change.key
            report.table(_table_id(table)).set(row, col, change.value)
        elif change.kind == "problem_add":
            report.rectifications.append(Rectification(problem=change.key[0]))
        elif change.kind == "problem_drop":
            report.rectifications = [r for r in report.rectifications if r.problem != change.key[0]]
    attach_last_year(report, new_last.model_copy(deep=True), override)


def _table_id(table: str) -> TableId:
    for known in ("s2", "s3", "s4"):
        if table == known:
            return known
    raise ValueError(f"unknown table {table}")


def _shown(value: str | None) -> str:
    return value if value else NOTHING


def _contact_changes(report: Report, new_last: Report, old_last: Report | None) -> list[Change]:
    this, new = report.meta.contact, new_last.meta.contact
    old = old_last.meta.contact if old_last is not None else Contact()
    out = []
    for name, name_zh in CONTACT_FIELDS.items():
        cur, after, before_baseline = getattr(this, name), getattr(new, name), getattr(old, name)
        still_carried = cur is None or cur == before_baseline
        if after and after != cur and still_carried:
            out.append(Change("contact", "basic", f"联系方式·{name_zh}", _shown(cur), after, (name,), after))
    return out


def roll_opening(opening: str, from_year: int, to_year: int) -> str:
    """Last year's opening with its year moved on (2024年1月1日至2024年12月31日 → 2025年…)."""
    return re.sub(rf"(?<!\d){from_year}(?=\s*年)", str(to_year), opening)


def _opening_of(last: Report | None, year: int) -> str | None:
    if last is None or not last.meta.opening:
        return None
    return roll_opening(last.meta.opening, last.meta.year, year)


def _opening_changes(report: Report, new_last: Report, old_last: Report | None) -> list[Change]:
    after = _opening_of(new_last, report.meta.year)
    cur = report.meta.opening
    if not after or after == cur or (cur and cur != _opening_of(old_last, report.meta.year)):
        return []
    label = "开头段落"
    if after != new_last.meta.opening:
        label += f"（其中的“{new_last.meta.year}年”已改为“{report.meta.year}年”，请核对）"
    return [Change("opening", "basic", label, _shown(cur), after)]


def _carried_in_changes(report: Report, new_last: Report) -> list[Change]:
    """上年结转 ← last year's 结转下年度, column by column (a blank stays blank, never 0)."""
    layout = report.layout_of("s3")
    if "s3" not in new_last.tables or not any(r.id == "carried_in" for r in layout.rows()):
        return []
    this, prev = report.table("s3"), new_last.tables["s3"]
    prev_cols = {c.id for b in new_last.layout_of("s3").blocks if any(r.id == "carried_out" for r in b.rows) for c in b.columns}
    out = []
    for col in layout.block_of("carried_in").columns:
        if col.id not in prev_cols:
            continue
        cur, source = this.get("carried_in", col.id), prev.get("carried_out", col.id)
        if source.raw != cur.raw:
            name = cell_name(report.table("s3").layout, "s3", "carried_in", col.id)
            out.append(Change("cell", "tables", name, cur.display(), source.display(), ("s3", "carried_in", col.id), source.raw))
    return out


def _carried_value(last: Report | None, row: str, sources: tuple[str, ...]) -> str | None:
    """The carried basis of one row: the one source as written, or the sum of several (None when
    one of them has no number: a blank is never counted as 0)."""
    if last is None or "s2" not in last.tables:
        return None
    cells = [last.tables["s2"].get(row, c) for c in sources]
    if len(cells) == 1:
        return cells[0].raw or None
    total = sum_numbers(c.value for c in cells)
    if total is None:
        return None
    return str(total.normalize() if isinstance(total, Decimal) else total)


def _table2_specs(report: Report, last: Report) -> list[CarriedColumn]:
    """The carried 表二 columns for this year's format and last year's (none across the 2021 change)."""
    this_fmt, last_fmt = report.table("s2").layout, last.tables["s2"].layout if "s2" in last.tables else None
    return [s for s in compare_config().carry_over.table2 if s.format == this_fmt and s.last_format == last_fmt]


def _table2_changes(report: Report, new_last: Report, old_last: Report | None) -> list[Change]:
    this_fmt = report.table("s2").layout
    out = []
    for spec in _table2_specs(report, new_last):
        old_fits = old_last is not None and "s2" in old_last.tables and old_last.tables["s2"].layout == spec.last_format
        for block in report.layout_of("s2").blocks:
            if spec.column not in {c.id for c in block.columns}:
                continue
            for row in block.rows:
                after = _carried_value(new_last, row.id, spec.from_)
                cur = report.table("s2").get(row.id, spec.column)
                basis = _carried_value(old_last if old_fits else None, row.id, spec.from_)
                still_carried = cur.state == "blank" or (basis is not None and cur.raw == Cell.parse(basis).raw)
                if after is not None and after != cur.raw and still_carried:
                    name = cell_name(this_fmt, "s2", row.id, spec.column) + "（本年的基数，请按本年情况更新）"
                    out.append(Change("cell", "tables", name, cur.display(), after, ("s2", row.id, spec.column), after))
    return out


def _problem_changes(report: Report, new_last: Report, old_last: Report | None) -> list[Change]:
    new = last_year_problems(new_last.section("s5"))
    old = last_year_problems(old_last.section("s5")) if old_last is not None else []
    listed = [r.problem for r in report.rectifications]
    out = [Change("problem_add", "drafting", _problems_label(), NOTHING, p, (p,)) for p in new if p not in listed]
    for r in report.rectifications:
        if r.problem in old and r.problem not in new and not (r.measures.strip() or r.result.strip()):
            out.append(Change("problem_drop", "drafting", _problems_label(), r.problem, "（移除）", (r.problem,)))
    return out


def baseline_name(last: Report) -> str:
    return f"{last.meta.agency or '（未识别机关名称）'}{last.meta.year}年度报告"


def _baseline_change(new_last: Report, old_last: Report | None) -> Change:
    before = baseline_name(old_last) if old_last is not None else "（无）"
    after = baseline_name(new_last)
    if old_last is not None and before == after:
        after += "（重新导入的文件）"
    return Change("baseline", "compare", "对照上年的上年报告", before, after)


# ---------------------------------------------------------------------------- the summary


@dataclass(frozen=True)
class SummaryLine:
    place: Place  # the page (PLACE_NAMES); ``where`` does not repeat its name, so a link to it is not
    where: str  # mistaken for the page's own navigation link. Chinese: 联系方式, 表三“二、上年结转” …
    text: str  # Chinese: what was carried there


def carried_summary(report: Report, last: Report, plan: list[Change]) -> list[SummaryLine]:
    """One summary of a start from last year's report: a line per place, what came from ``last``."""
    meta: Meta = report.meta
    lines = [
        SummaryLine(
            "basic", "机关、年度和格式",
            f"机关名称“{meta.agency}”、报告主体、{meta.year}年度及其报告格式（{format_name(meta.format)}）、统计期限",
        )
    ]
    contact = [c.label.removeprefix("联系方式·") for c in plan if c.kind == "contact"]
    missing = [zh for name, zh in CONTACT_FIELDS.items() if not getattr(meta.contact, name)]
    text = f"带入{'、'.join(contact)}" if contact else "上年报告中没有读到联系方式"
    if missing:
        text += f"；{'、'.join(missing)}没有读到，请填写"
    lines.append(SummaryLine("basic", "联系方式", text + "。"))
    opening = next((c for c in plan if c.kind == "opening"), None)
    lines.append(
        SummaryLine("basic", "开头段落", f"沿用上年的{opening.label}。" if opening else "上年报告没有开头段落，导出时按模板生成。")
    )
    carried = [c for c in plan if c.kind == "cell" and c.key[0] == "s3"]
    if carried:
        cols = "、".join(f"{_column_of(c.label)} {c.after}" for c in carried)
        lines.append(SummaryLine("tables", "表三“二、上年结转”", f"取自上年“四、结转下年度继续办理”，共{len(carried)}列：{cols}。"))
    else:
        lines.append(SummaryLine("tables", "表三“二、上年结转”", "上年报告“四、结转下年度继续办理”一行没有数字，没有带入，请填写。"))
    table2 = [c for c in plan if c.kind == "cell" and c.key[0] == "s2"]
    if table2:
        cells = "、".join(f"{c.label.split('（')[0]} {c.after}" for c in table2)
        lines.append(SummaryLine("tables", "表二", f"作为本年的基数带入：{cells}；本年有制发、废止的，请相应更新。"))
    elif "s2" not in last.tables or last.tables["s2"].is_empty():
        lines.append(SummaryLine("tables", "表二", "上年报告中没有读到表二的数字，没有带入，请按本年情况填写。"))
    elif not _table2_specs(report, last):
        last_fmt = format_name(last.tables["s2"].layout)
        lines.append(SummaryLine("tables", "表二", f"上年报告表二是{last_fmt}，没有与本年表二对应的列，没有带入，请按本年情况填写。"))
    else:
        lines.append(SummaryLine("tables", "表二", "上年报告表二中应带入的列没有数字，没有带入，请按本年情况填写。"))
    problems = [c.after for c in plan if c.kind == "problem_add"]
    if problems:
        lines.append(SummaryLine("drafting", SECTION_TITLES["s5"], f"上年报告所列问题{len(problems)}个，需在第五部分说明整改情况：{'；'.join(problems)}。"))
    else:
        lines.append(SummaryLine("drafting", SECTION_TITLES["s5"], "上年报告第五部分没有识别出具体问题。"))
    lines.append(SummaryLine("compare", "上年报告（对照基准）", f"{baseline_name(last)}留作对照基准。"))
    return lines


def _column_of(label: str) -> str:
    """The column's own name in a cell label (表三“…”行“申请人情况·自然人”列 → 自然人)."""
    found = re.search(r"“([^“”]+)”列", label)
    return found.group(1).split("·")[-1] if found else label
