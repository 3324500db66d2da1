"""Findings as the pages show them: per table or section, grouped by severity and
place, where to fix each one, and the acknowledgement of warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from gkassist.acknowledgements import acknowledge as acknowledge_warning
from gkassist.acknowledgements import is_acknowledged
from gkassist.checks import check_report
from gkassist.checks.engine import table_rule_codes
from gkassist.findings import SEVERITY_ORDER, Finding
from gkassist.findings import where_to_fix as where_to_fix  # the pages ask this module; its home is findings
from gkassist.layouts import TableId
from gkassist.model import Report
from gkassist.names import section_name
from gkassist.places import field_page, table_name


def current_findings(report: Report) -> list[Finding]:
    return check_report(report)


def findings_for_table(findings: list[Finding], table_id: TableId) -> list[Finding]:
    return [f for f in findings if f.location.table == table_id]


def table_findings(report: Report, table_id: TableId) -> list[Finding]:
    """The findings located in one table. Only the table and meta rules run: narrative rules
    never point at a table cell, and this runs on every cell edit."""
    return findings_for_table(check_report(report, codes=table_rule_codes(table_id)), table_id)


def findings_for_section(findings: list[Finding], section_id: str) -> list[Finding]:
    return [f for f in findings if f.location.section == section_id]


@dataclass
class FindingGroup:
    severity: str
    place: str
    findings: list[Finding] = field(default_factory=list)


def group_findings(findings: list[Finding]) -> list[FindingGroup]:
    """Grouped by severity, then by place (表二/表三/一、总体情况/基本信息…)."""
    groups: dict[tuple[str, str], FindingGroup] = {}
    for f in sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.code)):
        loc = f.location
        place = table_name(loc.table) if loc.table else section_name(loc.section) if loc.section else field_page(loc.field) if loc.field else "全文"
        groups.setdefault((f.severity, place), FindingGroup(f.severity, place)).findings.append(f)
    return sorted(groups.values(), key=lambda g: (SEVERITY_ORDER[g.severity], g.place))


def acknowledge(report: Report, finding: Finding, note: str = "", now: datetime | None = None) -> bool:
    """Record that staff checked one warning. Returns False for errors (they cannot be acknowledged)."""
    return acknowledge_warning(report, finding, note, now or datetime.now())


def open_warnings(report: Report, findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "warning" and not is_acknowledged(f, report.acknowledgements)]
