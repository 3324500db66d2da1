"""数据填报: the three tables in editable grids; findings for the table shown live under it."""

from __future__ import annotations

from typing import Any

import streamlit as st

from gkassist import totals
from gkassist.findings import Finding, render_finding
from gkassist.layouts import TableId
from gkassist.ui import findings_view, grid, state
from gkassist.ui.errors import guarded, guarded_callback
from gkassist.ui.safe import md_escape

TABLE_CHOICES: tuple[TableId, ...] = ("s2", "s3", "s4")

report = state.require_report()
layout_titles = {t: report.layout_of(t).title for t in TABLE_CHOICES}
st.title("数据填报")
st.caption("每个单元格填写整数；确无数据填0，不适用填“/”。合计由您填写并由系统核对，不会被自动改写。")
table_id: TableId = st.radio(
    "选择表格", TABLE_CHOICES, format_func=lambda t: layout_titles[t], horizontal=True, key="table_choice", index=1
) or "s3"


@guarded_callback("保存表格")
def _on_edit(key: str, spec: grid.GridSpec) -> None:
    report = state.current()
    edit_state = st.session_state.get(key) or {}
    if report is not None and grid.apply_grid_edits(report, spec, edit_state.get("edited_rows") or {}):
        state.autosave(f"填报{layout_titles[spec.table_id]}")


def _column_config(spec: grid.GridSpec) -> dict[str, Any]:
    config: dict[str, Any] = {
        grid.ROW_LABEL_COLUMN: st.column_config.TextColumn(
            spec.block.first_col or grid.ROW_LABEL_COLUMN, disabled=True, width=grid.GRID_ROW_LABEL_WIDTH
        )
    }
    for name, col in zip(spec.col_names, spec.block.columns, strict=True):
        config[name] = st.column_config.TextColumn(name, width=grid.GRID_CELL_WIDTH, help=col.path)
    config[grid.MARKER_COLUMN] = st.column_config.TextColumn(
        grid.MARKER_COLUMN, disabled=True, width=grid.GRID_MARKER_WIDTH,
        help="本行有问题时列出规则编号，说明见表格下方",
    )
    return config


def _show(findings: list[Finding]) -> None:
    """One alert box per severity, a line per finding (fewer elements to send on every edit)."""
    for severity, alert in (("error", st.error), ("warning", st.warning), ("info", st.info)):
        lines = [f"- {render_finding(f, md_escape)}" for f in findings if f.severity == severity]
        if lines:
            alert("\n".join(lines))


@st.fragment
@guarded("显示表格")
def table_editor(table_id: TableId) -> None:
    """The grids and the findings of one table: each row's findings are named in the grid's
    last column (校验), the full messages follow below.

    A fragment: a cell edit reruns only this part of the page (the callback has already
    applied and saved the edit), not the whole page.
    """
    report = state.current()
    if report is None:  # the report was closed in another page of this session
        st.rerun()
        return
    specs = grid.grid_specs(report, table_id)
    keys = {spec.block.id: f"grid_{state.report_id()}_{state.gen()}_{table_id}_{spec.block.id}" for spec in specs}
    for spec in specs:
        # idempotent: the edit callback has normally applied and saved it already; this covers
        # edit state restored into the session (tests, reconnects) before the checks run
        _on_edit(keys[spec.block.id], spec)
    state.show_conflict(at_top=False)  # a save conflict from this edit, right above the grid
    findings = findings_view.table_findings(report, table_id)
    beside, rest = findings_view.split_by_block(findings, specs)
    prefilled = grid.prefilled_rows(report, table_id)
    for spec in specs:
        if spec.block.head:
            st.markdown(f"**{spec.block.head}**")
        key = keys[spec.block.id]
        base_key = f"base_{key}"
        if base_key not in st.session_state:
            # the cell values the editor started from stay fixed for this key (its edit state is
            # relative to them; changed values would make the browser send the edits again)
            st.session_state[base_key] = grid.grid_frame(report, spec)
        st.data_editor(
            grid.set_markers(st.session_state[base_key], grid.row_markers(findings, spec, prefilled)),
            key=key,
            hide_index=True,
            num_rows="fixed",
            column_config=_column_config(spec),
            on_change=_on_edit,
            args=(key, spec),
            width="content",
            height=(len(spec.row_ids) + 1) * 35 + 3,  # every row visible, no inner scrolling
        )
        if len(specs) > 1:
            _show(beside[spec.block.id])  # a block's own findings right under its grid
    st.subheader(f"本表校验结果（{len(findings)}条）")
    if not findings:
        st.success("本表没有发现问题。")
    _show(rest)


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
