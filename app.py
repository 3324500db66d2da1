"""Streamlit entry point: routing only. The pages live in gkassist/ui/pages/.

An exception in a page shows a Chinese message in its place (gkassist.ui.errors logs the
traceback on the server), never a traceback in the browser.

No page icons: emoji render as boxes without an emoji font, and Material icons are fetched
from fonts.gstatic.com (the app must make no outbound requests).
"""

from __future__ import annotations

import time

import streamlit as st

from gkassist.ui import clerk, signin
from gkassist.ui.errors import show_exception, show_pending
from gkassist.ui.leave_guard import guard_typed_text
from gkassist.ui.localize import localize_streamlit_chrome

st.set_page_config(page_title="政府信息公开年报助手", layout="wide")
localize_streamlit_chrome()
signin.gate()  # with sign-in on, only a signed-in user gets past; a server others reach needs it on

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
        st.Page(f"{PAGES}/review.py", title="审核"),
        st.Page(f"{PAGES}/settings.py", title="设置"),
        *([st.Page(f"{PAGES}/audit_trail.py", title="审计记录")] if signin.may_read_audit() else []),
    ]
)
started = time.perf_counter()
clerk.keep_in_address()  # the clerk's name survives a reload (page navigation drops the address's parameters)
show_pending()  # an error left by a widget callback of this run
try:
    navigation.run()
except Exception as exc:  # st.stop and st.rerun are not Exceptions: they pass through
    show_exception(exc, f"显示“{navigation.title}”页")
finally:
    guard_typed_text()  # after the page, where they take no room (also when the page stops early)
    clerk.keep_in_cookie()
st.session_state["_page_run_ms"] = (time.perf_counter() - started) * 1000  # read by benchmarks/bench_app.py
