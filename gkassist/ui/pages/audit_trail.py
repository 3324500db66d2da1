"""审计记录: the audit trail for administrators (and the single user of a local installation)."""

from __future__ import annotations

import streamlit as st

from gkassist.access import AccessDenied
from gkassist.ui import trail
from gkassist.ui.safe import md_escape

st.title("审计记录")
st.caption("登录、登录失败、退出登录、越权操作、修改设置等事件，按时间从新到旧排列。记录只能追加，不能修改或删除。")
c1, c2 = st.columns(2)
since = c1.date_input("起始日期", value=None, key="trail_since", format="YYYY-MM-DD")
until = c2.date_input("截止日期（含当天）", value=None, key="trail_until", format="YYYY-MM-DD")
actions = st.multiselect("操作类型（不选即全部）", trail.action_labels(), key="trail_actions",
                         placeholder="全部操作")
c3, c4 = st.columns(2)
account = c3.text_input("账号（完整账号名，留空即全部）", max_chars=100, key="trail_account")
text = c4.text_input("对象、来源或详情包含", max_chars=100, key="trail_text")
try:
    entries = trail.read(since, until, actions, account, text)
except AccessDenied as exc:
    st.error(md_escape(str(exc)))
    st.stop()
if not entries:
    st.info("没有符合条件的记录。请放宽筛选条件（如清空日期或操作类型）后再看。")
    st.stop()
more = "（只显示最新的部分，请缩小日期范围查看更早的记录）" if len(entries) >= trail.MAX_ROWS else ""
st.write(f"共{len(entries)}条{more}。")
st.dataframe(trail.rows(entries), hide_index=True, width="stretch", key="trail_grid")
st.download_button("下载审计记录（CSV）", data=trail.csv_bytes(entries), file_name="审计记录.csv", mime="text/csv",
                   key="trail_download")
