"""What the 审核 page (the reviewer's view) and the reviewer's home on 批量审核 do with the
session and the store: which report is under review, loading it as the acting user, the
worklist. Read-only: nothing here saves.

The report under review is named by the address (``?report=<id>``, as the worklist links
it), else it is the report open in this session. It is loaded into its own session key, never
into the editing session (``state.REPORT``): reviewing a report does not open it for editing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import streamlit as st

from gkassist.access import AccessDenied, allowed
from gkassist.compare.reviewer import ReviewData
from gkassist.compare.side_by_side import TableDiff
from gkassist.compare.verdicts import Verdict
from gkassist.findings import Finding, render_finding
from gkassist.last_year.rectifications import entered_nothing, rectification_items
from gkassist.model import TABLE_IDS, Report
from gkassist.names import TABLE_NUMERALS
from gkassist.review.policy import status_label
from gkassist.storage import ReportNotFoundError, ReportSummary, StorageError
from gkassist.storage import worklist as wl
from gkassist.ui import acting, comments_panel, comments_view, state
from gkassist.ui.safe import md_escape
from gkassist.ui.side_by_side import STYLE, sheet_html

PAGE = "gkassist/ui/pages/review.py"
PAGE_URL = "review"  # the page's address, from its file name (st.navigation)
QUERY_KEY = state.QUERY_KEY  # ?report=<id>
PICK = "review_pick"
BEIJING = ZoneInfo("Asia/Shanghai")


def today() -> date:
    """The reviewer's date (deadlines are dates in China)."""
    return datetime.now(UTC).astimezone(BEIJING).date()


def chosen_report_id() -> int | None:
    """The report named by the address, else the one open in this session, else None."""
    raw = st.query_params.get(QUERY_KEY)
    if raw is not None:
        try:
            return int(raw)
        except (ValueError, OverflowError):
            return None
    open_id = st.session_state.get(state.REPORT_ID)
    return int(open_id) if isinstance(open_id, int) else None


def choose(report_id: int) -> None:
    st.query_params[QUERY_KEY] = str(report_id)


@dataclass(frozen=True)
class Loaded:
    report: Report | None
    version: int
    refusal: str  # Chinese, when the report could not be loaded


def load(report_id: int) -> Loaded:
    """The current version of the report, as the acting user may read it."""
    try:
        report, version = wl.load_report(state.store(), report_id, acting.actor())
    except (AccessDenied, ReportNotFoundError) as exc:
        return Loaded(None, 0, str(exc))
    except StorageError as exc:
        return Loaded(None, 0, exc.message_zh())
    return Loaded(report, version, "")


def readable_reports() -> list[ReportSummary]:
    """The reports the acting user may read, for the picker."""
    return wl.readable_reports(state.store(), acting.actor())


def status_zh(report_id: int) -> str:
    return status_label(wl.report_statuses(state.store(), [report_id], acting.actor())[report_id])


def worklist() -> list[wl.WorkItem]:
    return wl.worklist(state.store(), acting.actor(), today())


def review_link(report_id: int) -> str:
    """The address of the reviewer's view of a report, relative to the app's pages."""
    return f"{PAGE_URL}?{QUERY_KEY}={report_id}"


def worklist_table(items: list[wl.WorkItem]) -> list[dict[str, object]]:
    """The rows as the reviewer's home shows them (the link column opens the reviewer's view)."""
    return [
        {
            "审核视图": review_link(i.report_id),
            "单位": i.agency,
            "年度": i.year,
            "审核状态": i.status_zh,
            "未解决错误": i.open_errors,
            "待确认警告": i.open_warnings,
            "未解决意见": i.open_comments,
            "截止日期": f"{i.deadline:%Y-%m-%d}",
            "期限": i.days_zh,
            "版本": i.version,
            "说明": i.problem,
        }
        for i in items
    ]


# ---------------------------------------------------------------- drawing (read-only)

_BOX: dict[str, Callable[[str], object]] = {"error": st.error, "warning": st.warning, "pass": st.success, "info": st.info, "not_applicable": st.caption}


def show_finding(data: ReviewData, finding: Finding) -> None:
    """One finding, with where it is and, for a warning, the clerk's acknowledgement and reason."""
    body = f"{render_finding(finding, md_escape)}\n\n位置：{md_escape(finding.location.describe())}"
    ack = data.acknowledgement(finding)
    if ack:
        st.success(f"{body}\n\n{md_escape(ack)}")
    elif finding.severity == "warning":
        st.warning(f"{body}\n\n填报人尚未确认此警告。")
    else:
        (st.error if finding.severity == "error" else st.info)(body)


def show_verdict(data: ReviewData, verdict: Verdict) -> None:
    """The verdict once, then the findings it stands on (each with its acknowledgement)."""
    _BOX[verdict.kind](md_escape(verdict.text))
    for f in verdict.findings:
        show_finding(data, f)


def show_rectifications(report: Report) -> None:
    """What the clerk entered about each of last year's problems (工作亮点 page)."""
    items = rectification_items(report)
    if not items:
        return
    with st.expander(f"填报人填写的上年问题整改情况（{len(items)}项）"):
        for item in items:
            st.markdown(f"**{md_escape(item.problem)}**")
            if entered_nothing(item):
                st.caption("填报人没有填写整改措施和结果。")
            else:
                st.text(f"整改措施：{item.measures or '（未填）'}\n整改结果：{item.result or '（未填）'}")


def show_tables(data: ReviewData) -> None:
    """Each table as printed: last year beside this year with the changed cells marked, or this
    year alone when there is no last year's report."""
    cmp = data.comparison
    st.html(STYLE)
    for table_id in TABLE_IDS:
        title = f"表{TABLE_NUMERALS[table_id]}"
        if cmp is None:
            st.markdown(f"**{title}**")
            st.html(sheet_html(data.report, table_id, None, "this"))
            continue
        diff = data.diffs[table_id]
        moved = f"，{diff.count}个单元格与上年不同" if diff.count else "，与上年相同"
        st.markdown(f"**{title}**{moved}")
        left, right = st.columns(2)
        with left:
            st.caption(f"上年（{cmp.last.meta.year}年度）")
            st.html(sheet_html(cmp.last, table_id, diff, "last"))
        with right:
            st.caption(f"本年（{cmp.this.meta.year}年度）")
            st.html(sheet_html(cmp.this, table_id, diff, "this"))
        if diff.count:
            with st.expander(f"{title}有变化的单元格（{diff.count}个）"):
                st.dataframe(changed_rows(diff), hide_index=True, width="stretch", key=f"review_changed_{table_id}")


def changed_rows(diff: TableDiff) -> list[dict[str, str]]:
    return [
        {"项目": c.row, "栏目": c.column, "上年": c.last.raw or "（空白）", "本年": c.this.raw or "（空白）",
         "变化": c.change_zh(), "标记": "变化最大" if c.highlight else ""}
        for c in diff.changed.values()
    ]


def worklist_summary(items: list[wl.WorkItem], shown: list[wl.WorkItem]) -> str:
    overdue = sum(1 for i in items if i.overdue)
    waiting = sum(1 for i in items if i.status == "submitted")
    return f"共{len(items)}份报告，当前显示{len(shown)}份；待审核{waiting}份，已逾期{overdue}份。"


def item_label(items: list[wl.WorkItem], report_id: int) -> str:
    i = next(i for i in items if i.report_id == report_id)
    return f"{i.agency} {i.year}年度（{i.status_zh}，{i.days_zh}）"


def show_sections(data: ReviewData) -> None:
    """Each part of the text, last year's beside this year's, with how many sentences changed
    (the 雷同 verdict above says how much was copied; the 对照上年 page marks each sentence)."""
    cmp = data.comparison
    if cmp is None:
        return
    for sec in cmp.sections:
        counts = sec.counts()
        with st.expander(
            f"{sec.title}：未变{counts['unchanged']}句，改动{counts['changed']}句，新增{counts['new']}句，删去{counts['dropped']}句"
        ):
            left, right = st.columns(2)
            left.caption(f"上年（{cmp.last.meta.year}年度）")
            left.text(cmp.last.section(sec.section) or "（上年没有这一部分）")
            right.caption(f"本年（{cmp.this.meta.year}年度）")
            right.text(cmp.this.section(sec.section) or "（尚未填写）")


def show_comments(report_id: int) -> None:
    """The review comments, read-only here: where each applies, who wrote it, its replies and
    whether it is resolved. They are made and answered where they apply (数据填报, 起草, 校验与导出)."""
    comments = comments_panel.load(report_id)
    open_count = sum(c.is_open for c in comments)
    st.write(f"未解决{open_count}条，已解决{len(comments) - open_count}条。有未解决的审核意见时，报告不能通过审核。")
    st.caption("审核意见在它所针对的位置发表和回复：单元格在“数据填报”页，句子在“起草”页，整份报告在“校验与导出”页。")
    for c in sorted(comments, key=lambda c: (not c.is_open, c.created_at)):
        lines = [f"{'未解决' if c.is_open else '已解决'} · {comments_view.place_name(c)} · {c.by}：{c.body}"]
        lines += [f"回复 · {r.by}：{r.body}" for r in c.replies]
        (st.warning if c.is_open else st.success)("  \n".join(md_escape(line) for text in lines for line in text.splitlines()))


DECIDE_PAGE = "gkassist/ui/pages/check_export.py"  # where the review moves are (review_panel)


def may_decide(report: Report) -> bool:
    """Whether the acting user may return or approve this report (the moves are on 校验与导出)."""
    who = acting.actor()
    return any(allowed(who, action, report.meta.agency) for action in ("report.return", "report.approve"))


def open_for_decision(report_id: int) -> str:
    """Open the report in this session for 校验与导出; "" when opened, else why not (Chinese)."""
    try:
        state.open_report(report_id)
    except (AccessDenied, ReportNotFoundError) as exc:
        return str(exc)
    except StorageError as exc:
        return exc.message_zh()
    return ""
