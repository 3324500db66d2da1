"""报告列表: create (blank, or from last year's report), open, delete reports; versions of the open report."""

from __future__ import annotations

from datetime import date

import streamlit as st

from gkassist.access import AccessDenied
from gkassist.examples import load_example
from gkassist.layouts import FORMAT_IDS, format_name
from gkassist.model import Report
from gkassist.storage import StorageError
from gkassist.ui import acting, clerk, forms, history_view, review_view, start_page, state
from gkassist.ui.safe import md_escape

st.title("报告列表")
if acting.actor().is_single_user:  # signed in, versions record the account instead
    st.text_input(
        "您的姓名（记录在每个保存版本上）", value=clerk.name(), key="author_input", max_chars=clerk.MAX_CHARS,
        on_change=lambda: clerk.remember(st.session_state["author_input"]),
    )

blank_col, last_year_col = st.columns(2)
with blank_col.form("create_report", clear_on_submit=False):
    st.subheader("新建空白报告")
    agency = st.text_input("机关名称", placeholder="例如：某某市生态环境局")
    year = st.number_input("报告年度", min_value=2019, max_value=2100, value=date.today().year - 1, step=1)
    fmt_choice = st.selectbox(
        "报告格式",
        ["auto", *FORMAT_IDS],
        format_func=lambda f: "按报告年度自动选择" if f == "auto" else format_name(f),
        help=f"2019、2020年度报告使用{format_name('gk2019')}，2021年度起使用{format_name('gk2021')}。",
    )
    from_example = st.checkbox("用内置示例数据开始（演示、培训用）")
    submitted = st.form_submit_button("新建报告")
with last_year_col:
    start_page.render()
start_page.show_outcome()


def _create(report: Report) -> int:
    """The new report's id, or 0 after saying why it could not be stored."""
    try:
        return state.store().create(report, actor=acting.actor())[0]
    except (StorageError, AccessDenied) as exc:
        st.error(md_escape(f"报告没有新建。{exc.message_zh()}"))
        return 0


if submitted:
    try:
        fmt = None if fmt_choice == "auto" else fmt_choice
        if from_example:
            report = forms.report_from_example(load_example("example-2021"), agency, int(year), fmt)
        else:
            report = forms.new_report(agency, int(year), fmt)
    except ValueError as exc:
        st.error(md_escape(exc))
    else:
        rid = _create(report)
        if rid:
            state.open_report(rid)
            st.success(f"已新建并打开“{md_escape(report.meta.agency)} {report.meta.year}年度”报告（{format_name(report.meta.format)}）。请到“基本信息”或“数据填报”页继续。")

st.subheader("全部报告")
summaries = state.store().list_reports(actor=acting.actor())
if not summaries:
    st.info("还没有报告。请在上方新建一份。", icon="")  # "" = no icon, so Streamlit loads no emoji catalog to look for one
open_id = st.session_state.get(state.REPORT_ID)
status_of = review_view.status_labels(state.store().engine, [s.id for s in summaries])
for s in summaries:
    cols = st.columns([4, 1, 2, 1, 3, 1, 1])
    cols[0].markdown(f"**{md_escape(s.agency)}**" + ("（已打开）" if s.id == open_id else ""))
    cols[1].write(f"{s.year}年度")
    cols[2].write(format_name(s.format))
    cols[3].write(f"第{s.version}版 · {status_of[s.id]}")
    cols[4].write(f"{history_view.when(s.updated_at)[:16]} {md_escape(s.updated_by or clerk.UNNAMED)}")
    if cols[5].button("打开", key=f"open_{s.id}"):
        state.open_report(s.id)
        st.rerun()
    if cols[6].button("删除", key=f"delete_{s.id}"):
        st.session_state["confirm_delete"] = s.id
    if st.session_state.get("confirm_delete") == s.id:
        st.warning(f"确定删除“{md_escape(s.agency)} {s.year}年度”报告及其全部历史版本吗？删除后无法恢复。")
        c1, c2 = st.columns(2)
        if c1.button("确认删除", key=f"confirm_delete_{s.id}", type="primary"):
            try:
                state.store().delete(s.id, actor=acting.actor())
            except (StorageError, AccessDenied) as exc:
                st.error(md_escape(f"报告没有删除。{exc.message_zh()}"))
            else:
                if open_id == s.id:
                    state.close_report()
                st.session_state.pop("confirm_delete", None)
                st.rerun()
        if c2.button("取消", key=f"cancel_delete_{s.id}"):
            st.session_state.pop("confirm_delete", None)
            st.rerun()

opened = state.current()
if opened is not None:
    with st.expander(f"历史版本：{md_escape(opened.meta.agency)} {opened.meta.year}年度", expanded=history_view.RESTORED in st.session_state):
        history_view.show()
