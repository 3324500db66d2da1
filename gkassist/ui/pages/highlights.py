"""工作亮点: highlights per aspect of 一, per part of 五 and per matter of 六; 整改措施 and 整改结果
per problem of last year's report; declared figures (numbers that are in no table)."""

from __future__ import annotations

from typing import Any

import pandas as pd  # type: ignore[import-untyped,unused-ignore]
import streamlit as st

from gkassist.ui import forms, rectification_form, state
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


@guarded_callback("保存上年问题整改情况")
def _on_rectification(problem: str, measures_key: str, result_key: str) -> None:
    rep = state.current()
    measures, result = (str(st.session_state.get(k) or "") for k in (measures_key, result_key))
    if rep is not None and rectification_form.save_rectification(rep, problem, measures, result):
        state.autosave(f"修改上年问题整改情况：{problem[:20]}")


for group in rectification_form.highlight_groups():
    st.subheader(group.title)
    st.caption(group.caption)
    for i, name in enumerate(group.names):
        key = f"hl_{group.key}_{i}_{g}"
        st.text_area(name, value=report.highlights.get(name, ""), key=key, height=90, on_change=_on_highlight, args=(name, key))
    if group.key != "s5":
        continue
    st.markdown("**上年问题整改情况**")
    st.caption("逐项填写上年报告所列问题的整改措施和整改结果。起草时只写这里填写的内容；没有填写的问题只列为问题，校验结果会提示。")
    rows = rectification_form.rectification_rows(report)
    if not rows:
        st.info(rectification_form.rectification_hint(report))
    for i, row in enumerate(rows):
        with st.container(border=True):
            st.markdown(f"问题{i + 1}：{md_escape(row.problem)}")
            mkey, rkey = f"rect_m_{row.key}_{g}", f"rect_r_{row.key}_{g}"
            args = (row.problem, mkey, rkey)
            st.text_area("整改措施", value=row.measures, key=mkey, height=70, on_change=_on_rectification, args=args)
            st.text_area("整改结果", value=row.result, key=rkey, height=70, on_change=_on_rectification, args=args)

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
