"""基本信息: agency, year, format, contact, dates; attach or re-import last year's report."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from gkassist.last_year import carry_over
from gkassist.layouts import FORMAT_IDS, format_name
from gkassist.ui import forms, last_year_panel, state
from gkassist.ui.errors import guarded_callback
from gkassist.ui.safe import md_escape

report = state.require_report()
st.title("基本信息")
g = f"{state.report_id()}_{state.gen()}"


@guarded_callback("保存基本信息")
def _set(path: str, key: str) -> None:
    rep = state.current()
    if rep is None:
        return
    value: Any = st.session_state[key]
    if isinstance(value, str):
        value = value.strip() or None if path.startswith("contact.") else value.strip()
    try:
        forms.set_meta_field(rep, path, value)
    except ValueError as exc:
        st.session_state["meta_error"] = str(exc)
        return
    state.autosave("修改基本信息")


meta = report.meta
c1, c2, c3 = st.columns([3, 1, 2])
c1.text_input("机关名称", value=meta.agency, key=f"agency_{g}", on_change=_set, args=("agency", f"agency_{g}"))
c2.number_input("报告年度", min_value=2019, max_value=2100, value=meta.year, step=1, key=f"year_{g}", on_change=_set, args=("year", f"year_{g}"))
c3.selectbox(
    "报告格式", FORMAT_IDS, index=FORMAT_IDS.index(meta.format), format_func=format_name,
    key=f"format_{g}", on_change=_set, args=("format", f"format_{g}"),
    help=f"按报告年度应使用：{format_name(forms.suggested_format(meta.year))}。如确需改用其他格式可在此更改。",
)
st.selectbox(
    "报告主体", forms.LEVELS, index=forms.LEVELS.index(meta.level), format_func=forms.level_choice,
    key=f"level_{g}", on_change=_set, args=("level", f"level_{g}"),
    help="决定发布期限（条例第四十九条）。导入报告时按标题中的机关名称、开头段落中的编制机关识别，如有误请在此更改。",
)
if meta.format != forms.suggested_format(meta.year):
    st.warning(f"{meta.year}年度报告通常使用{format_name(forms.suggested_format(meta.year))}，当前选择的是{format_name(meta.format)}，请确认。")
d1, d2, d3 = st.columns(3)
d1.date_input("统计期限起", value=meta.period_start, key=f"ps_{g}", on_change=_set, args=("period_start", f"ps_{g}"))
d2.date_input("统计期限止", value=meta.period_end, key=f"pe_{g}", on_change=_set, args=("period_end", f"pe_{g}"))
d3.date_input("发布日期", value=meta.publication_date, min_value=date(2019, 1, 1), key=f"pub_{g}", on_change=_set, args=("publication_date", f"pub_{g}"))
st.subheader("联系方式")
e1, e2, e3, e4 = st.columns([2, 3, 1, 2])
contact = meta.contact
e1.text_input("联系部门", value=contact.office or "", key=f"office_{g}", on_change=_set, args=("contact.office", f"office_{g}"))
e2.text_input("地址", value=contact.address or "", key=f"addr_{g}", on_change=_set, args=("contact.address", f"addr_{g}"))
e3.text_input("邮编", value=contact.postcode or "", key=f"post_{g}", on_change=_set, args=("contact.postcode", f"post_{g}"))
e4.text_input("电话", value=contact.phone or "", key=f"phone_{g}", on_change=_set, args=("contact.phone", f"phone_{g}"))
if "meta_error" in st.session_state:
    st.error(md_escape(st.session_state.pop("meta_error")))

st.subheader("导入上一年度报告")
st.caption("支持门户网站保存的网页（.html）、已发布的 PDF（.pdf，需带文字，扫描件不能读取）、Word 文档（.docx）、纯文本（.txt）和本系统导出的 Markdown（.md）。导入后带入上年结转、联系方式等，并留作对照。")
last_year_panel.render(report, last_year_panel.PanelKeys(
    pick="import_pick", use_stored="import_use_stored", upload=f"upload_{g}", read="import_last_year",
    outcome="import_outcome", pending="import_pending",
))
if report.last_year is not None and carry_over.carried_in_prefilled(report):
    st.info("表三“二、上年结转政府信息公开申请数量”一行为根据上年报告“四、结转下年度继续办理”预填的数字，请核对；如需修改请到“数据填报”页。")
state.show_conflict()
