"""校验与导出: all findings grouped, warnings acknowledged one by one, the review (submit, return,
approve, publish), and the downloads: 正式稿 once approved, 草稿 before."""

from __future__ import annotations

import hashlib

import streamlit as st

from gkassist.acknowledgements import acknowledgement_of
from gkassist.findings import SEVERITY_ZH, render_finding
from gkassist.ui import acting, comments_panel, downloads, findings_view, review_panel, review_view, state
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
            if st.button("已核实，确认此警告", key=key, disabled=review_view.frozen()):
                findings_view.acknowledge(report, f, note=f"由{state.author()}确认")
                state.autosave(f"确认警告{f.code}")
                st.rerun()

review_panel.show(state.report_id())

st.subheader("导出")
offer = downloads.export_offer(
    review_view.review_store(state.store().engine), state.report_id(), report, review_view.current(), actor=acting.actor()
)
if offer.notice:
    st.info(md_escape(offer.notice))
for d in offer.downloads:
    st.download_button(d.label, data=d.make, file_name=d.file_name, mime=d.mime, key=d.key,
                       type="primary" if d.key == "download_final_md" else "secondary", on_click="ignore")
state.show_conflict()
