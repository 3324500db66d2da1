"""Streamlit entry point. Placeholder until the browser app lands: shows the bundled example's check."""

from __future__ import annotations

import streamlit as st

from gkassist.ui_placeholder import example_findings

st.set_page_config(page_title="政府信息公开年报助手", layout="wide")
st.title("政府信息公开工作年度报告助手")
st.info("网页版正在建设中。以下是内置示例报告的校验结果；命令行已可导入、校验和导出报告。")
for line in example_findings():
    st.markdown(f"- {line}")
