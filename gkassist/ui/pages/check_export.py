"""校验与导出: all findings grouped, warnings acknowledged one by one, gated markdown download."""

from __future__ import annotations

import hashlib

import streamlit as st

from gkassist.acknowledgements import acknowledgement_of
from gkassist.findings import SEVERITY_ZH, render_finding
from gkassist.ui import comments_panel, downloads, findings_view, state
from gkassist.ui.safe import md_escape

report = state.require_report()
st.title("校验与导出")
comments = comments_panel.load(state.report_id())
comments_panel.show_open_line(comments)
comments_panel.show_report_comments(report, comments)
findings = findings_view.current_findings(report)
errors = [f for f in findings if f.severity == "error"]
pending = findings_view.open_warnings(report, findings)
st.write(f"错误{len(errors)}条，待确认警告{len(pending)}条，共{len(findings)}条校验结果。")

for group in findings_view.group_findings(findings):
    st.subheader(f"{SEVERITY_ZH[group.severity]} · {md_escape(group.place)}（{len(group.findings)}条）")
    for f in group.findings:
        body = f"{render_finding(f, md_escape)}\n\n位置：{md_escape(findings_view.where_to_fix(f))}"
        if f.severity == "error":
            st.error(body)
        elif f.severity == "info":
            st.info(body)
        elif (ack := acknowledgement_of(f, report.acknowledgements)) is not None:
            when = f"{ack.at:%Y-%m-%d %H:%M}" if ack.at else ""
            st.success(f"{body}\n\n已确认（{when} {md_escape(ack.note)}）")
        else:
            st.warning(body)
            key = "ack_" + hashlib.sha1(f.key.encode()).hexdigest()[:12]
            if st.button("已核实，确认此警告", key=key):
                findings_view.acknowledge(report, f, note=f"由{state.author()}确认")
                state.autosave(f"确认警告{f.code}")
                st.rerun()

st.subheader("导出")
outcome = downloads.export_checked(report)
if outcome.allowed:
    st.download_button(
        "下载 Markdown（正式稿）", data=outcome.text or "", file_name=downloads.markdown_filename(report, draft=False),
        mime="text/markdown", key="download_checked", type="primary",
    )
    for fmt, label, mime in downloads.PUBLISH_DOWNLOADS:
        published = downloads.export_published(report, fmt)
        st.download_button(
            label, data=published.content or b"", file_name=downloads.markdown_filename(report, False, fmt),
            mime=mime, key=f"download_{fmt}",
        )
else:
    st.download_button("下载 Markdown（正式稿）", data="", disabled=True, key="download_checked")
    st.error(md_escape(outcome.refusal_zh().replace("（命令行可用 --accept-warnings 代码）", "（在上方逐条点击“确认”）")))
st.download_button(
    "下载草稿（含未解决问题标注）", data=downloads.export_draft(report), file_name=downloads.markdown_filename(report, draft=True),
    mime="text/markdown", key="download_draft",
)
state.show_conflict()
