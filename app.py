"""Streamlit entry point: routing only. The pages live in gkassist/ui/pages/.

No page icons: emoji render as boxes without an emoji font, and Material icons are fetched
from fonts.gstatic.com (the app must make no outbound requests).
"""

from __future__ import annotations

import time

import streamlit as st

from gkassist.ui.localize import localize_streamlit_chrome

st.set_page_config(page_title="政府信息公开年报助手", layout="wide")
localize_streamlit_chrome()

PAGES = "gkassist/ui/pages"
navigation = st.navigation(
    [
        st.Page(f"{PAGES}/reports.py", title="报告列表", default=True),
        st.Page(f"{PAGES}/basic.py", title="基本信息"),
        st.Page(f"{PAGES}/tables.py", title="数据填报"),
        st.Page(f"{PAGES}/highlights.py", title="工作亮点"),
        st.Page(f"{PAGES}/drafting.py", title="起草"),
        st.Page(f"{PAGES}/compare.py", title="对照上年"),
        st.Page(f"{PAGES}/check_export.py", title="校验与导出"),
        st.Page(f"{PAGES}/audit.py", title="批量审核"),
        st.Page(f"{PAGES}/settings.py", title="设置"),
    ]
)
started = time.perf_counter()
navigation.run()
st.session_state["_page_run_ms"] = (time.perf_counter() - started) * 1000  # read by benchmarks/bench_app.py
