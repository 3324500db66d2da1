"""批量审核: upload many published reports, see one summary row each, drill down into one."""

from __future__ import annotations

import streamlit as st

from gkassist.limits import upload_mb
from gkassist.ui import review_actions as ra
from gkassist.ui.safe import md_escape

st.title("批量审核")
st.caption("供上级主管部门使用：一次上传多份已发布的年度报告（PDF、网页、Word 文档、文本、Markdown），逐份校验并汇总。")
files = st.file_uploader(
    "选择报告文件（可多选）", type=["html", "htm", "shtml", "txt", "md", "docx", "pdf", "json"], accept_multiple_files=True,
    key="audit_upload", max_upload_size=upload_mb(),
)
if files and st.button("开始审核", key="audit_run", type="primary"):
    with st.spinner(f"正在审核{len(files)}份报告……"):
        st.session_state["audit_results"] = ra.audit_uploads([(f.name, f.getvalue()) for f in files])

results = st.session_state.get("audit_results") or []
if not results:
    st.info("请先上传报告文件，再点击“开始审核”。")
    st.stop()

unreadable = sum(1 for r in results if not r.readable)
with_errors = sum(1 for r in results if r.readable and r.errors)
st.write(f"共审核{len(results)}份：有错误的{with_errors}份，无法读取的{unreadable}份。")
st.dataframe(ra.audit_table(results), hide_index=True, width="stretch", key="audit_grid")
st.download_button("下载汇总表（CSV）", data=ra.audit_csv(results), file_name="批量审核汇总.csv", mime="text/csv",
                   key="audit_download")

st.subheader("逐份查看")
names = [r.file for r in results]
picked = st.selectbox("选择报告", range(len(names)), format_func=lambda i: names[i], key="audit_pick")
chosen = results[int(picked)]
if not chosen.readable:
    st.error(f"无法读取：{md_escape(chosen.reason)}")
else:
    st.write(f"{md_escape(chosen.agency) or '（未识别机关）'} {chosen.year}年度：错误{chosen.errors}条，警告{chosen.warnings}条，提示{chosen.infos}条。")
    for note in chosen.diagnostics:
        st.caption(f"导入提示：{md_escape(note)}")
    for f in chosen.findings:
        body = f"【{md_escape(f['code'])} {ra.severity_zh(f['severity'])}】{md_escape(f['message'])}"
        {"error": st.error, "warning": st.warning}.get(f["severity"], st.info)(body)
    if not chosen.findings:
        st.success("没有发现问题。")
