"""What keeps a report from being submitted for review: the same findings the 校验与导出 page
shows (an open error, a warning nobody acknowledged), each said in Chinese with where to fix it."""

from __future__ import annotations

from dataclasses import dataclass

from gkassist.acknowledgements import is_acknowledged
from gkassist.findings import Finding, render_finding, sort_findings, where_to_fix
from gkassist.model import Report


@dataclass(frozen=True)
class Blocker:
    """One reason a move cannot be made now: what is wrong, where, what to do."""

    text: str
    code: str = ""  # the finding's rule code, when the blocker is a finding


def finding_blockers(findings: list[Finding], report: Report) -> list[Blocker]:
    out = []
    for f in sort_findings(findings):
        if f.severity == "error":
            out.append(Blocker(f"{render_finding(f)} 位置：{where_to_fix(f)}。请先改正这个错误。", f.code))
        elif f.severity == "warning" and not is_acknowledged(f, report.acknowledgements):
            out.append(Blocker(
                f"{render_finding(f)} 位置：{where_to_fix(f)}。这个警告尚未确认：请核实后在“校验与导出”页"
                "点击“已核实，确认此警告”，或改正。", f.code,
            ))
    return out


def submission_blockers(report: Report) -> list[Blocker]:
    """Empty when the report may be submitted: no open error and every warning acknowledged."""
    # Deferred: the report list's first run reaches this module (state → review_view) but checks nothing.
    from gkassist.checks import check_report

    return finding_blockers(check_report(report), report)


def open_comment_blockers(open_comments: int) -> list[Blocker]:
    """Approval waits for every review comment to be resolved."""
    if not open_comments:
        return []
    return [Blocker(f"还有{open_comments}条审核意见未解决，通过审核前须全部标为已解决。请到意见所在的页面查看"
                    "（各页顶部显示未解决意见的条数），处理后点击“标为已解决”；如需填报人修改报告，请先退回。")]


def blockers_zh(blockers: list[Blocker], what: str) -> str:
    """A message naming every blocker, e.g. for a refused submission (``what`` = 提交审核)."""
    lines = [f"暂不能{what}：还有{len(blockers)}个问题需要先处理。"]
    lines += [f"{i}. {b.text}" for i, b in enumerate(blockers, 1)]
    return "\n".join(lines)
