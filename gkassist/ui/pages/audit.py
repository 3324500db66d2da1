"""批量审核, the reviewer's home: every report of the acting user's agencies with its status, open
errors, open comments and days to the deadline (sorted, filtered, exported as CSV, each opening the
reviewer's view); and the batch audit of uploaded published reports, one summary row each."""

from __future__ import annotations

import streamlit as st

from gkassist.limits import upload_mb
from gkassist.review.policy import STATUS_CODES, status_label
from gkassist.storage import worklist as wl
from gkassist.ui import review_actions as ra
from gkassist.ui import reviewer as rv
from gkassist.ui.safe import md_escape

st.title("批量审核")
tab_home, tab_files = st.tabs(["负责单位的报告", "上传文件审核"])

with tab_home:
    items = rv.worklist()
    if not items:
        st.info("还没有您负责的单位的报告。填报人新建报告后会出现在这里；如缺少单位，请联系管理员分配。")
    else:
        c_status, c_agency, c_sort, c_overdue = st.columns([2, 3, 2, 1])
        statuses = c_status.multiselect("审核状态", STATUS_CODES, format_func=status_label, key="home_status",
                                        placeholder="全部状态")
        agencies = c_agency.multiselect("单位", sorted({i.agency for i in items}), key="home_agency", placeholder="全部单位")
        sort_by = c_sort.selectbox("排序", list(wl.SORTS), format_func=lambda k: wl.SORTS[k], key="home_sort")
        overdue = c_overdue.toggle("只看已逾期", key="home_overdue")
        shown = wl.sort_items(wl.filter_items(items, statuses, agencies, overdue), sort_by)
        st.write(rv.worklist_summary(items, shown))
        st.dataframe(
            rv.worklist_table(shown), hide_index=True, width="stretch", key="home_grid",
            column_config={"审核视图": st.column_config.LinkColumn("审核视图", display_text="打开")},
        )
        st.download_button("下载报告清单（CSV）", data=wl.worklist_csv(shown), file_name="负责单位报告清单.csv",
                           mime="text/csv", key="home_csv")
        if shown:
            pick = st.selectbox("在本页打开审核视图", [i.report_id for i in shown], key="home_pick",
                                format_func=lambda rid: rv.item_label(shown, rid))
            st.page_link(rv.PAGE, label="打开审核视图", query_params={rv.QUERY_KEY: str(pick)})

with tab_files:
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
