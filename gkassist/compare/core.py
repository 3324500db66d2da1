"""compare_reports(last, this): everything the 对照上年 page and ``gkassist compare`` show."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gkassist.checks import check_report
from gkassist.checks.rulebook import load_specs
from gkassist.compare.narrative import SectionComparison, compare_section
from gkassist.compare.tables import PRESENCE_ZH, TableComparison, compare_tables, most_moved
from gkassist.findings import Finding, Location, render_finding
from gkassist.last_year.attach import attach_last_year
from gkassist.last_year.problems import ProblemStatus, extract_problems, generic_rectification, problem_status
from gkassist.last_year.similarity import percent
from gkassist.layouts import format_name
from gkassist.model import NARRATIVE_SECTIONS, Report
from gkassist.names import TABLE_NUMERALS


@dataclass(frozen=True)
class IdentityStatus:
    code: str
    name: str
    applies: bool
    reason: str  # why it does not apply, or what it checks
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class ChangeClaim:
    """A sentence of this year's narrative that states a change against last year."""

    section: str
    sentence: str
    written: str
    kind: str  # matched | mismatched | ungrounded
    evidence: str
    address: str = ""  # the number's span (Location.address): the X1/X2 finding on it has the same


@dataclass
class Comparison:
    this: Report  # with last_year attached
    last: Report
    tables: list[TableComparison]
    identities: list[IdentityStatus]
    sections: list[SectionComparison]
    last_problems: list[ProblemStatus]
    change_claims: list[ChangeClaim]
    findings: list[Finding]  # A6, C2, D3, X6, X9 and the X1/X2 findings on change claims
    general_statement: str = ""  # this year's sentence saying last year's problems were rectified, unnamed

    @property
    def format_changed(self) -> bool:
        return self.this.meta.format != self.last.meta.format

    def notes(self) -> list[str]:
        """Chinese notes on how the two reports relate (format change, year, agency)."""
        out = []
        if self.format_changed:
            out.append(
                f"两年报告格式不同（上年{format_name(self.last.meta.format)}，本年{format_name(self.this.meta.format)}）："
                "表二的栏目不同，只在一年出现的行单独标出；表三、表四栏目相同，照常逐格对照。"
            )
        if self.last.meta.year != self.this.meta.year - 1:
            out.append(f"上年报告的年度是{self.last.meta.year}年，不是{self.this.meta.year - 1}年，请核对是否选错了报告。")
        if self.last.meta.agency and self.this.meta.agency and self.last.meta.agency != self.this.meta.agency:
            out.append(f"两份报告的机关名称不同（上年“{self.last.meta.agency}”，本年“{self.this.meta.agency}”）。")
        return out


def _identity_status(report: Report, last: Report, code: str, findings: list[Finding]) -> IdentityStatus:
    spec = load_specs()[code]
    ident = spec.identity
    mine = [f for f in findings if f.code == code]
    if ident is None:
        return IdentityStatus(code, spec.name, True, "", mine)
    reason = ""
    for who, r in (("本年", report), ("上年", last)):
        table = r.tables.get(ident.table)
        if table is None or table.is_empty():
            reason = f"{who}报告没有表{TABLE_NUMERALS[ident.table]}的数据"
        elif ident.layout and table.layout != ident.layout:
            reason = f"{who}报告的表格是{format_name(table.layout)}，此项只适用于两年都是{format_name(ident.layout)}的报告"
        if reason:
            break
    if not reason and ident.min_year and report.meta.year < ident.min_year:
        reason = f"此项从{ident.min_year}年度报告起适用"
    return IdentityStatus(code, spec.name, not reason, reason or spec.rationale.split("。")[0] + "。", mine)


def _change_claims(report: Report) -> list[ChangeClaim]:
    from gkassist.grounding.classify import classify_report

    return [
        ChangeClaim(c.section_title, c.sentence, c.text, c.kind, c.evidence, _span_address(c.section, c.start, c.end))
        for c in classify_report(report)
        if c.form == "change"
    ]


def _span_address(section: str, start: int, end: int) -> str:
    return Location(section=section, start=start, end=end).address


def compare_reports(last: Report, this: Report) -> Comparison:
    """Both reports are copied: the comparison never changes what it was given."""
    report, prev = this.model_copy(deep=True), last.model_copy(deep=True)
    attach_last_year(report, prev)
    claims = _change_claims(report)
    cross_year = [spec for spec in load_specs().values() if spec.needs_last_year]  # A6, C2, D3, X6, X9
    found = check_report(report, {*(spec.code for spec in cross_year), "X1", "X2"})
    claim_spans = {c.address for c in claims}
    findings = [f for f in found if f.code not in ("X1", "X2") or f.location.address in claim_spans]
    last_problems = problem_status(extract_problems(prev.section("s5")), report.section("s5"))
    return Comparison(
        this=report,
        last=prev,
        tables=compare_tables(prev, report),
        identities=[_identity_status(report, prev, s.code, findings) for s in cross_year if s.identity is not None],
        sections=[compare_section(prev, report, sid) for sid in NARRATIVE_SECTIONS],
        last_problems=last_problems,
        change_claims=claims,
        findings=findings,
        general_statement=generic_rectification(report.section("s5")),
    )


# ---------------------------------------------------------------- output


def comparison_json(cmp: Comparison) -> dict[str, Any]:
    def cell(c: Any) -> dict[str, Any]:
        return {
            "row": c.row, "column": c.column, "row_id": c.row_id, "col_id": c.col_id,
            "last": c.last.raw, "this": c.this.raw,
            "delta": None if c.delta is None else str(c.delta), "highlight": c.highlight,
        }

    return {
        "this": {"agency": cmp.this.meta.agency, "year": cmp.this.meta.year, "format": cmp.this.meta.format},
        "last": {"agency": cmp.last.meta.agency, "year": cmp.last.meta.year, "format": cmp.last.meta.format},
        "notes": cmp.notes(),
        "tables": [
            {
                "table": t.numeral, "title": t.title, "this_layout": t.this_layout, "last_layout": t.last_layout,
                "rows": [
                    {"row_id": r.row_id, "row": r.label, "presence": r.presence, "cells": [cell(c) for c in r.cells]}
                    for r in t.rows
                ],
            }
            for t in cmp.tables
        ],
        "most_moved": [cell(c) | {"table": c.table} for c in most_moved(cmp.tables)],
        "identities": [
            {"code": i.code, "name": i.name, "applies": i.applies, "reason": i.reason,
             "findings": [f.message for f in i.findings]}
            for i in cmp.identities
        ],
        "sections": [
            {
                "section": s.title, "similarity": round(s.score, 4), "checked": s.checked,
                "over_threshold": s.over_threshold, "counts": s.counts(),
                "sentences": [{"status": d.status, "text": d.text, "previous": d.previous} for d in s.sentences],
            }
            for s in cmp.sections
        ],
        "last_year_problems": [
            {"problem": p.problem, "addressed": p.addressed, "evidence": p.evidence} for p in cmp.last_problems
        ],
        "general_rectification_statement": cmp.general_statement,
        "change_claims": [
            {"section": c.section, "sentence": c.sentence, "written": c.written, "kind": c.kind, "evidence": c.evidence}
            for c in cmp.change_claims
        ],
        "findings": [
            {"code": f.code, "severity": f.severity, "address": f.location.address, "message": f.message}
            for f in cmp.findings
        ],
    }


def comparison_text(cmp: Comparison, all_cells: bool = False) -> str:
    """Plain Chinese text for the terminal."""
    t, p = cmp.this.meta, cmp.last.meta
    lines = [f"对照上年：{t.agency or '（未识别机关）'}{t.year}年度 ↔ {p.agency or '（未识别机关）'}{p.year}年度", ""]
    lines += [f"说明：{n}" for n in cmp.notes()]
    lines.append("一、表格变化最大的单元格")
    moved = most_moved(cmp.tables)
    lines += [f"  表{TABLE_NUMERALS[c.table]}“{c.row}”行“{c.column}”列：上年{c.last.raw or '空'}，本年{c.this.raw or '空'}，"
              f"变化{c.change_zh()}" for c in moved] or ["  两年表格数字没有变化。"]
    if all_cells:
        for table in cmp.tables:
            lines.append(f"  表{table.numeral}（{table.title}）")
            for row in table.rows:
                mark = f"［{PRESENCE_ZH[row.presence]}］" if row.presence != "both" else ""
                cells = "；".join(f"{c.column} {c.last.raw or '空'}→{c.this.raw or '空'}" for c in row.cells)
                lines.append(f"    {mark}{row.label}：{cells}")
    lines.append("二、跨年勾稽关系")
    for i in cmp.identities:
        if not i.applies:
            lines.append(f"  {i.code} {i.name}：不适用（{i.reason}）")
        elif not i.findings:
            lines.append(f"  {i.code} {i.name}：通过")
        else:
            lines.append(f"  {i.code} {i.name}：{len(i.findings)}处不一致")
            lines += [f"    {render_finding(f)}" for f in i.findings]
    lines.append("三、叙述对照")
    for s in cmp.sections:
        c = s.counts()
        flag = "（超过雷同提示阈值）" if s.over_threshold else ("" if s.checked else "（不判定雷同）")
        lines.append(
            f"  {s.title}：雷同比例{percent(s.score)}{flag}；未变{c['unchanged']}句，改动{c['changed']}句，"
            f"新增{c['new']}句，删去{c['dropped']}句"
        )
    lines.append("四、上年报告所列问题")
    lines += [f"  {'已提到' if x.addressed else '未提到'}：{x.problem}" for x in cmp.last_problems] or [
        "  上年报告第五部分没有识别出问题清单。"
    ]
    if cmp.general_statement:
        lines.append(f"  本年有笼统的整改表述（未点到具体问题）：{cmp.general_statement}")
    if cmp.change_claims:
        lines.append("五、叙述中的同比变化")
        kinds = {"matched": "一致", "mismatched": "不符", "ungrounded": "无法核对"}
        lines += [f"  【{kinds.get(c.kind, c.kind)}】{c.sentence}：{c.evidence}" for c in cmp.change_claims]
    errors = sum(1 for f in cmp.findings if f.severity == "error")
    warnings = sum(1 for f in cmp.findings if f.severity == "warning")
    lines.append(f"对照结果：错误{errors}个，警告{warnings}个。")
    lines += [render_finding(f) for f in cmp.findings]
    return "\n".join(lines)

