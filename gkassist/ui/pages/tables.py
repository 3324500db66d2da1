"""数据填报: the three tables laid out as printed, in the grid component; each table's findings
mark their cells and are listed under it."""

from __future__ import annotations

import functools

import streamlit as st

from gkassist import totals
from gkassist.layouts import TableId
from gkassist.ui import comments_panel, comments_view, findings_view, sheet_component, sheet_glue, state, table_sheet
from gkassist.ui.errors import guarded, guarded_callback
from gkassist.ui.safe import md_escape

TABLE_CHOICES: tuple[TableId, ...] = ("s2", "s3", "s4")

report = state.require_report()
layout_titles = {t: report.layout_of(t).title for t in TABLE_CHOICES}
st.title("数据填报")
st.caption(
    "每个单元格填写整数；确无数据填0，不适用填“/”。合计由您填写并由系统核对，不会被自动改写。"
    "可用Tab、回车和方向键移动，可从Excel或WPS复制一块单元格粘贴到当前单元格起的位置。"
)
table_id: TableId = st.radio(
    "选择表格", TABLE_CHOICES, format_func=lambda t: layout_titles[t], horizontal=True, key="table_choice", index=1
) or "s3"
comments = comments_panel.load(state.report_id())
comments_panel.show_open_line(comments, comments_view.for_table(comments, table_id), "本表")


@guarded_callback("保存表格")
def _on_edit(key: str, table_id: TableId) -> None:
    report = state.current()
    edit = sheet_component.edit_of(st.session_state.get(key))
    if report is None or edit is None:
        return
    ack = sheet_glue.ack_key(key)
    changed, st.session_state[ack] = sheet_glue.apply_edit(report, table_id, edit, int(st.session_state.get(ack, 0)))
    if changed:
        state.autosave(f"填报{layout_titles[table_id]}")


@guarded_callback("空白处填0")
def _fill_zero(table_id: TableId) -> None:
    report = state.current()
    if report is None:
        return
    count, note = sheet_glue.fill_zero(report, table_id)
    if count:
        state.autosave(note)  # the version records that the zeros were filled on request
        st.session_state["zero_note"] = f"{note}（已记入版本说明）。"


@st.fragment
@guarded("显示表格")
def table_editor(table_id: TableId) -> None:
    """The blank-cell line, the sheet, and the findings (inside the sheet, linked to the cells).

    A fragment: a cell edit reruns only this part of the page (the callback has already
    applied and saved the edit), not the whole page.
    """
    report = state.current()
    if report is None:  # the report was closed in another page of this session
        st.rerun()
        return
    key = f"sheet_{state.report_id()}_{state.gen()}_{table_id}"
    state.show_conflict(at_top=False)  # a save conflict from this edit, right above the grid
    line, blanks = table_sheet.blank_line(report, table_id)
    if blanks:
        text, button = st.columns([5, 1], vertical_alignment="center")
        text.markdown(f"{line}（空白与0含义不同：确无数据请填0，不适用请填“/”；核对时空白按0计算，表中仍保持空白）")
        button.button("空白处填0", key=f"fill_zero_{table_id}", on_click=_fill_zero, args=(table_id,),
                      help="只把本表的空白单元格填为0，已填的数字、“/”和文字不变；此操作记入版本说明。")
    zero_note = st.session_state.pop("zero_note", None)
    if zero_note:
        st.info(md_escape(zero_note))
    findings = findings_view.table_findings(report, table_id)
    marks = table_sheet.mark_findings(table_id, findings, table_sheet.prefilled_rows(report, table_id))
    data = table_sheet.sheet_data(report, table_id, marks, int(st.session_state.get(sheet_glue.ack_key(key), 0)))
    data["comments"] = comments_view.sheet_notes(comments_panel.load(state.report_id()), table_id)  # marked cells
    sheet_component.sheet(data, key, functools.partial(_on_edit, key, table_id))
    if not marks.listed:
        st.success("本表没有发现问题。" if not blanks else "除空白单元格外，本表没有发现问题。")


@guarded_callback("按明细填写合计")
def _fill_totals(table_id: TableId) -> None:
    report = state.current()
    if report is None:
        return
    notes = totals.fill_totals(report, table_id)
    if notes:
        state.autosave("按明细填写合计")
        state.bump()  # new grid keys: the grids show the filled totals
    st.session_state["fill_notes"] = notes or ["所有合计都已与明细一致，没有改动。"]


# outside the fragment: filling totals redraws the whole page
st.button(
    "按明细填写合计", key="fill_totals", help="用各明细之和填写本表的“总计”单元格；改动会逐项列出。",
    on_click=_fill_totals, args=(table_id,),
)
for note in st.session_state.pop("fill_notes", []):
    st.info(md_escape(note))
table_editor(table_id)  # shows a save conflict itself
comments_panel.show_table_comments(report, table_id, comments)
