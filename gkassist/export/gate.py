"""The export gate: no checked export while an error is open or a warning is unacknowledged."""

from __future__ import annotations

from dataclasses import dataclass, field

from gkassist.checks import check_report
from gkassist.export.markdown import render_markdown
from gkassist.findings import Finding
from gkassist.model import Acknowledgement, Report


@dataclass
class ExportOutcome:
    """Either ``text`` (export allowed) or the findings that block it."""

    text: str | None
    errors: list[Finding] = field(default_factory=list)
    unacknowledged: list[Finding] = field(default_factory=list)
    open_findings: list[Finding] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return self.text is not None

    def refusal_zh(self) -> str:
        lines = []
        if self.errors:
            lines.append(f"有{len(self.errors)}个错误尚未解决，不能导出正式稿：")
            lines += [f"  【{f.code}】{f.message}" for f in self.errors]
        if self.unacknowledged:
            lines.append(f"有{len(self.unacknowledged)}个警告尚未确认，请逐条核实后确认（命令行可用 --accept-warnings 代码）：")
            lines += [f"  【{f.code}】{f.message}" for f in self.unacknowledged]
        return "\n".join(lines)


def is_acknowledged(finding: Finding, acks: list[Acknowledgement]) -> bool:
    return any(a.code == finding.code and a.key in ("*", finding.key) for a in acks)


def acknowledge_codes(report: Report, codes: list[str], note: str = "命令行确认") -> Report:
    """A copy of the report with every current warning of these codes acknowledged."""
    updated = report.model_copy(deep=True)
    known = {a.key for a in updated.acknowledgements}
    for finding in check_report(report):
        if finding.severity == "warning" and finding.code in codes and finding.key not in known:
            updated.acknowledgements.append(Acknowledgement(code=finding.code, key=finding.key, message=finding.message, note=note))
            known.add(finding.key)
    return updated


def export_markdown(report: Report, *, draft: bool = False) -> ExportOutcome:
    findings = check_report(report)
    errors = [f for f in findings if f.severity == "error"]
    unacknowledged = [f for f in findings if f.severity == "warning" and not is_acknowledged(f, report.acknowledgements)]
    if draft:
        open_findings = errors + unacknowledged
        return ExportOutcome(render_markdown(report, status="draft", open_findings=open_findings), open_findings=open_findings)
    if errors or unacknowledged:
        return ExportOutcome(None, errors=errors, unacknowledged=unacknowledged)
    return ExportOutcome(render_markdown(report, status="checked"))
