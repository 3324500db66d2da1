"""The year's figures as drafting facts, built by code from the report.

Both drafters read the same facts: the template drafter writes sentences from them, and the
LLM drafter hands the facts block (``facts_block``) to the model as the only numbers it may use.
Blank, "/" and unreadable cells are never turned into 0: a quantity whose cells are not all
numbers is ``None`` and is left out of the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from gkassist.cells import Number, sum_numbers
from gkassist.layouts import get_layout
from gkassist.model import DeclaredFigure, Report

ORG_COLUMNS = ("biz", "research", "public_welfare", "legal_service", "other_org")


def cell_number(report: Report, table_id: str, row: str, col: str) -> Number | None:
    """The number in a cell, or None when it is blank, "/" or unreadable (or the table is absent)."""
    table = report.tables.get(table_id)  # type: ignore[call-overload]
    if table is None:
        return None
    cell = table.get(row, col)
    return cell.value if cell.is_number else None


def _rows_total(report: Report, tag: str) -> Number | None:
    """The 总计 of table 三's rows with this tag (rules/layouts/: @deny, @unable …)."""
    table = report.tables.get("s3")
    if table is None:
        return None
    present = [r.id for r in report.layout_of("s3").tagged(tag) if r.id in table.cells]
    if not present:
        return None
    return sum_numbers([cell_number(report, "s3", r, "total") for r in present])


@dataclass(frozen=True)
class Applications:
    new: Number | None
    carried_in: Number | None
    natural: Number | None
    orgs: Number | None  # sum of the five 法人或其他组织 columns of row 一
    opened: Number | None
    partial: Number | None
    denied: Number | None
    unable: Number | None
    not_processed: Number | None
    other: Number | None
    lapsed_for_fees: Number | None  # 2021 format (六)2
    handled: Number | None  # (七)总计
    carried_out: Number | None

    @property
    def received_any(self) -> bool:
        return bool(self.new) or bool(self.carried_in)


@dataclass(frozen=True)
class Appeals:
    review_total: Number | None
    review_upheld: Number | None
    review_corrected: Number | None
    review_other: Number | None
    review_pending: Number | None
    direct_total: Number | None
    after_total: Number | None
    litigation_upheld: Number | None
    litigation_corrected: Number | None
    litigation_other: Number | None
    litigation_pending: Number | None

    @property
    def litigation_total(self) -> Number | None:
        return sum_numbers([self.direct_total, self.after_total])


@dataclass(frozen=True)
class FeeFacts:
    amount: DeclaredFigure | None  # declared 信息处理费 collected (元 or 万元)
    notices: DeclaredFigure | None  # declared 收费通知 issued
    lapsed: int  # applications dropped for non-payment (2021 format (六)2 总计)
    applies: bool  # the fee regime exists for this report year (from 2020)


@dataclass(frozen=True)
class TableTwoFigure:
    """A table-二 figure with the phrase used in the narrative."""

    key: str
    label: str  # facts-block label (printed wording)
    value: Number
    unit: str


@dataclass
class ReportFacts:
    agency: str
    year: int
    format_id: str
    format_name: str
    level: str
    table_two: list[TableTwoFigure]
    applications: Applications | None
    appeals: Appeals | None
    declared: list[DeclaredFigure]
    fee: FeeFacts
    highlights: dict[str, str] = field(default_factory=dict)

    def table_two_value(self, key: str) -> Number | None:
        for f in self.table_two:
            if f.key == key:
                return f.value
        return None


def _applications(report: Report) -> Applications | None:
    table = report.tables.get("s3")
    if table is None or table.is_empty():
        return None

    def total(row: str) -> Number | None:
        return cell_number(report, "s3", row, "total")

    lapsed = total("r_other_2") if table.layout == "gk2021" else 0
    return Applications(
        new=total("new"),
        carried_in=total("carried_in"),
        natural=cell_number(report, "s3", "new", "natural"),
        orgs=sum_numbers([cell_number(report, "s3", "new", c) for c in ORG_COLUMNS]),
        opened=total("r_open"),
        partial=total("r_partial"),
        denied=_rows_total(report, "deny"),
        unable=_rows_total(report, "unable"),
        not_processed=_rows_total(report, "noproc"),
        other=_rows_total(report, "other"),
        lapsed_for_fees=lapsed,
        handled=total("r_total"),
        carried_out=total("carried_out"),
    )


def _appeals(report: Report) -> Appeals | None:
    table = report.tables.get("s4")
    if table is None or table.is_empty():
        return None

    def c(col: str) -> Number | None:
        return cell_number(report, "s4", "cases", col)

    return Appeals(
        review_total=c("review_total"),
        review_upheld=c("review_upheld"),
        review_corrected=c("review_corrected"),
        review_other=c("review_other"),
        review_pending=c("review_pending"),
        direct_total=c("direct_total"),
        after_total=c("after_total"),
        litigation_upheld=sum_numbers([c("direct_upheld"), c("after_upheld")]),
        litigation_corrected=sum_numbers([c("direct_corrected"), c("after_corrected")]),
        litigation_other=sum_numbers([c("direct_other"), c("after_other")]),
        litigation_pending=sum_numbers([c("direct_pending"), c("after_pending")]),
    )


# Table-二 cells a narrative may state (the number checker's vocabulary knows them). Stock
# columns of the 2019 format (上一年项目数量, 本年增/减) and 其他对外管理服务事项 are left out.
NARRATIVE_CELLS: dict[str, frozenset[str]] = {
    "gk2019": frozenset(
        {
            "rules.new_made",
            "rules.new_published",
            "normative.new_made",
            "normative.new_published",
            "normative.total_published",
            "licensing.decisions",
            "penalty.decisions",
            "coercion.decisions",
            "central_procurement.proc_count",
            "central_procurement.proc_amount",
        }
    ),
    "gk2021": frozenset(
        {
            "rules.made",
            "rules.repealed",
            "rules.in_force",
            "normative.made",
            "normative.repealed",
            "normative.in_force",
            "licensing.decisions",
            "penalty.decisions",
            "coercion.decisions",
            "fees.fee_amount_wan",
        }
    ),
}


def _table_two(report: Report) -> list[TableTwoFigure]:
    table = report.tables.get("s2")
    if table is None:
        return []
    layout = report.layout_of("s2")
    allowed = NARRATIVE_CELLS.get(table.layout, frozenset())
    out: list[TableTwoFigure] = []
    for row_id, col_id in layout.cell_ids():
        if f"{row_id}.{col_id}" not in allowed:
            continue
        value = cell_number(report, "s2", row_id, col_id)
        if value is None:
            continue
        row, col = layout.row(row_id), layout.column(row_id, col_id)
        unit = table.column_units.get(col_id) or col.unit or ("" if col.kind == "money" else "件")
        if col.kind == "money" and not unit:
            continue  # an amount without a unit cannot be stated
        out.append(TableTwoFigure(key=f"{row_id}.{col_id}", label=f"{row.label}·{col.label}", value=value, unit=unit))
    return out


def _declared_like(report: Report, *words: str) -> DeclaredFigure | None:
    for fig in report.declared:
        if any(w in fig.label for w in words):
            return fig
    return None


def _fee(report: Report, apps: Applications | None) -> FeeFacts:
    amount = None
    for fig in report.declared:
        if "信息处理费" in fig.label and "通知" not in fig.label:
            amount = fig
            break
    notices = _declared_like(report, "收费通知")
    lapsed = apps.lapsed_for_fees if apps is not None and apps.lapsed_for_fees else 0
    return FeeFacts(amount=amount, notices=notices, lapsed=int(lapsed), applies=report.meta.year >= 2020)


def build_facts(report: Report) -> ReportFacts:
    apps = _applications(report)
    fee = _fee(report, apps)
    fee_figs = {id(f) for f in (fee.amount, fee.notices) if f is not None}
    return ReportFacts(
        agency=report.meta.agency.strip(),
        year=report.meta.year,
        format_id=report.meta.format,
        format_name=get_layout(report.meta.format).name,
        level=report.meta.level,
        table_two=_table_two(report),
        applications=apps,
        appeals=_appeals(report),
        declared=[f for f in report.declared if id(f) not in fee_figs],
        fee=fee,
        highlights={k: v.strip() for k, v in report.highlights.items() if v and v.strip()},
    )


def fmt(value: Number | Decimal) -> str:
    """A number as written in the narrative: integers plain, decimals without trailing zeros."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    return str(value)


# -- the facts block for the LLM ---------------------------------------------------------


def _line(label: str, value: Number | None, unit: str = "件") -> str | None:
    if value is None:
        return None
    return f"- {label}：{fmt(value)}{unit}"


def _apps_lines(a: Applications) -> list[str | None]:
    return [
        _line("本年新收政府信息公开申请", a.new),
        _line("其中自然人申请", a.natural),
        _line("其中法人或其他组织申请", a.orgs),
        _line("上年结转政府信息公开申请", a.carried_in),
        _line("本年度办理结果总计（办结）", a.handled),
        _line("予以公开", a.opened),
        _line("部分公开", a.partial),
        _line("不予公开", a.denied),
        _line("无法提供", a.unable),
        _line("不予处理", a.not_processed),
        _line("其他处理", a.other),
        _line("其中申请人逾期未按收费通知要求缴纳费用、不再处理", a.lapsed_for_fees) if a.lapsed_for_fees else None,
        _line("结转下年度继续办理", a.carried_out),
    ]


def _appeal_lines(p: Appeals) -> list[str | None]:
    return [
        _line("行政复议总计", p.review_total),
        _line("行政复议结果维持", p.review_upheld),
        _line("行政复议结果纠正", p.review_corrected),
        _line("行政复议其他结果", p.review_other),
        _line("行政复议尚未审结", p.review_pending),
        _line("行政诉讼总计（未经复议直接起诉与复议后起诉之和）", p.litigation_total),
        _line("行政诉讼未经复议直接起诉", p.direct_total),
        _line("行政诉讼复议后起诉", p.after_total),
        _line("行政诉讼结果维持", p.litigation_upheld),
        _line("行政诉讼结果纠正", p.litigation_corrected),
        _line("行政诉讼其他结果", p.litigation_other),
        _line("行政诉讼尚未审结", p.litigation_pending),
    ]


def _fee_lines(facts: ReportFacts) -> list[str | None]:
    fee = facts.fee
    if not fee.applies:
        return ["- 本年度尚未实行信息处理费制度（国办函〔2020〕109号自2020年起施行），第六部分无需说明收费"]
    lines: list[str | None] = []
    if fee.amount is not None:
        lines.append(f"- {fee.amount.label}：{fmt(fee.amount.value)}{fee.amount.unit or '元'}")
    else:
        lines.append("- 收取信息处理费：未申报金额（按未收取信息处理费写）")
    if fee.notices is not None:
        lines.append(f"- {fee.notices.label}：{fmt(fee.notices.value)}{fee.notices.unit or '份'}")
    return lines


def facts_block(facts: ReportFacts) -> str:
    """The closed list of numbers a drafted text may state, one per line (Chinese)."""
    lines: list[str | None] = [
        f"报告机关：{facts.agency or '本机关'}",
        f"报告年度：{facts.year}年（{facts.format_name}）",
        "【表二 主动公开政府信息情况】",
    ]
    two = [f"- {f.label}：{fmt(f.value)}{f.unit}" for f in facts.table_two]
    lines.extend(two or ["- （表二未填写数字）"])
    lines.append("【表三 收到和处理政府信息公开申请情况】")
    lines.extend(_apps_lines(facts.applications) if facts.applications else ["- （表三未填写数字）"])
    lines.append("【表四 政府信息公开行政复议、行政诉讼情况】")
    lines.extend(_appeal_lines(facts.appeals) if facts.appeals else ["- （表四未填写数字）"])
    lines.append("【工作人员申报的其他数字】")
    declared = [f"- {d.label}：{fmt(d.value)}{d.unit}" for d in facts.declared]
    lines.extend(declared or ["- （无）"])
    lines.append("【信息处理费】")
    lines.extend(_fee_lines(facts))
    return "\n".join(line for line in lines if line is not None)
