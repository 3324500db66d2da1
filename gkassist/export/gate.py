"""The export gate: no checked export while an error is open or a warning is unacknowledged."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from gkassist.acknowledgements import acknowledge, is_acknowledged
from gkassist.checks import check_report
from gkassist.export.markdown import render_markdown
from gkassist.findings import Finding, render_finding
from gkassist.model import Report

ExportFormat = Literal["md", "html", "docx"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("md", "html", "docx")
FORMAT_BY_SUFFIX: dict[str, ExportFormat] = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
}


@dataclass
class ExportOutcome:
    """Either the rendered file (export allowed) or the findings that block it.

    ``text`` holds a markdown or HTML file, ``data`` a .docx file; ``content`` is the file's
    bytes whatever the format.
    """

    text: str | None
    errors: list[Finding] = field(default_factory=list)
    unacknowledged: list[Finding] = field(default_factory=list)
    open_findings: list[Finding] = field(default_factory=list)
    data: bytes | None = None
    fmt: ExportFormat = "md"

    @property
    def allowed(self) -> bool:
        return self.text is not None or self.data is not None

    @property
    def content(self) -> bytes | None:
        if self.data is not None:
            return self.data
        return None if self.text is None else self.text.encode("utf-8")

    def refusal_zh(self) -> str:
        lines = []
        if self.errors:
            lines.append(f"有{len(self.errors)}个错误尚未解决，不能导出正式稿：")
            lines += [f"  {render_finding(f)}" for f in self.errors]
        if self.unacknowledged:
            lines.append(
                f"有{len(self.unacknowledged)}个警告尚未确认，请逐条核实后确认（命令行可用 --accept-warnings 代码）："
            )
            lines += [f"  {render_finding(f)}" for f in self.unacknowledged]
        return "\n".join(lines)


def acknowledge_codes(report: Report, codes: list[str], note: str = "命令行确认") -> Report:
    """A copy of the report with every current warning of these codes acknowledged."""
    updated = report.model_copy(deep=True)
    for finding in check_report(report):
        if finding.code in codes:
            acknowledge(updated, finding, note)
    return updated


def _render(report: Report, fmt: ExportFormat, status: str, open_findings: list[Finding], metadata: bool = True,
            draft_note: str = "") -> ExportOutcome:
    if fmt == "md":
        text = render_markdown(report, status=status, open_findings=open_findings, metadata=metadata, draft_note=draft_note)
        return ExportOutcome(text, fmt=fmt)
    if fmt == "html":
        from gkassist.export.html import render_html

        return ExportOutcome(render_html(report, status=status, open_findings=open_findings, draft_note=draft_note), fmt=fmt)
    if fmt == "docx":
        from gkassist.export.docx import render_docx  # python-docx is imported only when needed

        data = render_docx(report, status=status, open_findings=open_findings, draft_note=draft_note)
        return ExportOutcome(None, data=data, fmt=fmt)
    raise ValueError(f"unknown export format {fmt!r}")


def export_report(report: Report, fmt: ExportFormat = "md", *, draft: bool = False, metadata: bool = True,
                  draft_note: str = "") -> ExportOutcome:
    """Render the report as markdown, HTML or .docx behind the gate.

    A checked export is refused while an error is open or a warning is unacknowledged; a
    draft is always rendered, with a visible 草稿 banner listing the open findings and
    ``draft_note`` (why else it is a draft: e.g. not yet approved). ``metadata=False``: the
    markdown for publication, without the front matter that lets it be imported back.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    findings = check_report(report)
    errors = [f for f in findings if f.severity == "error"]
    unacknowledged = [
        f for f in findings if f.severity == "warning" and not is_acknowledged(f, report.acknowledgements)
    ]
    if draft:
        open_findings = errors + unacknowledged
        outcome = _render(report, fmt, "draft", open_findings, metadata, draft_note)
        outcome.open_findings = open_findings
        return outcome
    if errors or unacknowledged:
        return ExportOutcome(None, errors=errors, unacknowledged=unacknowledged, fmt=fmt)
    return _render(report, fmt, "checked", [], metadata)


def export_markdown(report: Report, *, draft: bool = False) -> ExportOutcome:
    return export_report(report, "md", draft=draft)
