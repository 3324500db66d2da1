"""从上年报告开始, on 报告列表 beside 新建空白报告: last year's report (an uploaded file, read in a
child process, or a stored report) becomes this year's new report (gkassist.last_year.start),
which is stored and opened; one summary says what was carried over, with a link to each place."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st
from pydantic import ValidationError

from gkassist.access import AccessDenied
from gkassist.last_year.start import SummaryLine, carried_summary, start_from_last_year
from gkassist.limits import upload_mb
from gkassist.model import Report
from gkassist.storage import StorageError
from gkassist.ui import acting, last_year_source, state
from gkassist.ui.last_year_panel import UPLOAD_TYPES, show_summary
from gkassist.ui.safe import md_escape

OUTCOME = "start_outcome"


@dataclass
class Started:
    ok: bool
    title: str  # Chinese: what happened
    messages: last_year_source.Messages = field(default_factory=list)  # the import's notes
    warnings: list[str] = field(default_factory=list)  # ours: what staff should do next
    summary: list[SummaryLine] = field(default_factory=list)
    report_id: int | None = None  # the report started; its summary is shown while it is open


def start(last: Report, source: str, messages: last_year_source.Messages) -> Started:
    """Store and open this year's report started from ``last``."""
    try:
        report, plan = start_from_last_year(last)
    except (ValueError, ValidationError):  # a year past 2100: no next year to start
        return Started(False, f"没有新建报告：“{source}”是{last.meta.year}年度的报告，无法据此新建下一年度的报告。", messages)
    notes: list[str] = []
    if not report.meta.agency:
        notes.append("上年报告中没有读到机关名称，请到“基本信息”页填写。")
    same = [s for s in state.store().list_reports(actor=acting.actor()) if s.agency.strip() == report.meta.agency and s.year == report.meta.year]
    if same:
        notes.append(f"本系统中已有{len(same)}份{report.meta.agency}{report.meta.year}年度报告；这次新建的是另一份，不需要的可在下方列表中删除。")
    try:
        rid, _ = state.store().create(report, actor=acting.actor(), note=f"从上年报告开始：{source}")
    except (StorageError, AccessDenied) as exc:
        return Started(False, f"报告没有新建。{exc.message_zh()}", messages)
    state.open_report(rid)
    title = f"已新建并打开“{report.meta.agency} {report.meta.year}年度”报告，从{last.meta.agency}{last.meta.year}年度报告（{source}）开始。"
    return Started(True, title, messages, notes, carried_summary(report, last, plan), rid)


def render() -> None:
    st.subheader("从上年报告开始")
    st.caption("上传或选择上一年度的报告，新建下一年度的报告：带入机关名称、报告主体、联系方式、开头段落、上年结转、表二的现行有效件数和上年问题，并留作对照。")
    upload_tab, stored_tab = st.tabs(["上传上年报告文件", "选择本系统中的报告"])
    with upload_tab:
        upload = st.file_uploader(
            "上年报告文件（网页、PDF、Word、纯文本）", type=UPLOAD_TYPES, key="start_upload", max_upload_size=upload_mb()
        )
        if upload is not None and st.button("从上年报告开始", key="start_from_upload", type="primary"):
            read = last_year_source.read_report_file(upload.getvalue(), upload.name)
            if read.report is None:
                st.session_state[OUTCOME] = Started(False, f"没有新建报告：“{upload.name}”没有读取成功。", read.messages)
            else:
                st.session_state[OUTCOME] = start(read.report, upload.name, read.messages)
            st.rerun()
    with stored_tab:
        summaries = state.store().list_reports(actor=acting.actor())
        if not summaries:
            st.caption("本系统中还没有报告。")
        else:
            labels = {s.id: f"{s.agency} {s.year}年度（第{s.version}版）" for s in summaries}
            chosen = st.selectbox("作为上年报告的报告", list(labels), format_func=lambda i: labels[i], key="start_pick")
            if st.button("以这份报告为上年报告开始", key="start_from_stored"):
                last, _ = state.store().load(int(chosen), actor=acting.actor())
                st.session_state[OUTCOME] = start(last, "本系统中的报告", [])
                st.rerun()


def show_outcome() -> None:
    """Below both ways to start: the new report and what it carried over (wide enough for the links)."""
    started = st.session_state.get(OUTCOME)
    if not isinstance(started, Started):
        return
    if started.ok and st.session_state.get(state.REPORT_ID) != started.report_id:
        return  # another report was opened (or this one closed) since
    (st.success if started.ok else st.error)(md_escape(started.title))
    for note in started.warnings:
        st.warning(md_escape(note))
    if started.summary:
        st.markdown("**从上年报告带入的内容**（请逐项核对）")
        show_summary(started.summary)
    if started.messages:
        with st.expander(f"读取上年报告的说明（{len(started.messages)}条）", expanded=not started.ok):
            for level, message in started.messages:
                {"error": st.error, "warning": st.warning}.get(level, st.info)(md_escape(message))  # quotes the document
