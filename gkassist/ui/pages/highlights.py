"""工作亮点: highlights per aspect, and declared figures (numbers that are in no table)."""

from __future__ import annotations

from typing import Any

import pandas as pd  # type: ignore[import-untyped,unused-ignore]
import streamlit as st

from gkassist.names import aspects
from gkassist.ui import forms, state
from gkassist.ui.errors import guarded_callback
from gkassist.ui.safe import md_escape

report = state.require_report()
st.title("工作亮点")
g = f"{state.report_id()}_{state.gen()}"


@guarded_callback("保存工作亮点")
def _on_highlight(aspect: str, key: str) -> None:
    rep = state.current()
    if rep is not None and forms.set_highlight(rep, aspect, str(st.session_state.get(key) or "")):
        state.autosave(f"修改工作亮点：{aspect}")


st.caption("按方面简要写出本年度的做法和成效，起草“一、总体情况”时会用到。")
for i, aspect in enumerate(aspects()):
    key = f"hl_{i}_{g}"
    st.text_area(aspect, value=report.highlights.get(aspect, ""), key=key, height=90, on_change=_on_highlight, args=(aspect, key))

st.subheader("申报数字")
st.caption("表格以外、正文中要写的数字（如“发布各类信息76条”“政策解读3篇”）请在此逐项填写名称、数值和单位。正文中的数字只能来自表格或这里。")
dkey = f"declared_{g}"
base_key = f"base_{dkey}"
if base_key not in st.session_state:
    st.session_state[base_key] = pd.DataFrame(forms.declared_records(report), dtype="string")


@guarded_callback("保存申报数字")
def _on_declared() -> None:
    rep = state.current()
    if rep is None:
        return
    edit_state: dict[str, Any] = st.session_state.get(dkey) or {}
    base = {name: [str(v) for v in st.session_state[base_key][name]] for name in ("名称", "数值", "单位")}
    before = list(rep.declared)
    st.session_state["declared_problems"] = forms.apply_declared_edits(rep, base, edit_state)
    if rep.declared != before:
        state.autosave("修改申报数字")


st.data_editor(
    st.session_state[base_key],
    key=dkey,
    num_rows="dynamic",
    hide_index=True,
    placeholder="",  # a new row's empty cells show nothing, not Streamlit's "None"
    column_config={
        "名称": st.column_config.TextColumn("名称", width="large"),
        "数值": st.column_config.TextColumn("数值", width="small"),
        "单位": st.column_config.TextColumn("单位", width="small"),
    },
    on_change=_on_declared,
)
_on_declared()  # idempotent; also applies edit state restored into the session
for problem in st.session_state.get("declared_problems", []):
    st.error(md_escape(problem))
state.show_conflict()
