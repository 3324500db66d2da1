"""审核: the reviewer's view of one report, read-only. This year beside last year (the printed
tables side by side, changed cells marked), the cross-year verdicts (上年结转, 现行有效, 雷同,
上年问题整改) each stated once, and the findings with the clerk's acknowledgements."""

from __future__ import annotations

import streamlit as st

from gkassist.compare.reviewer import review_data
from gkassist.findings import SEVERITY_ZH
from gkassist.ui import findings_view
from gkassist.ui import reviewer as rv
from gkassist.ui.safe import md_escape

st.title("审核")
st.caption("审核视图只供查看，不能修改报告的数字和文字；需要修改的，请退回填报人。")

rid = rv.chosen_report_id()
reports = rv.readable_reports()
if reports:
    ids = [s.id for s in reports]
    picked = st.selectbox(
        "选择报告", ids, index=ids.index(rid) if rid in ids else None, key=rv.PICK, placeholder="请选择要审核的报告",
        format_func=lambda i: next(f"{s.agency} {s.year}年度（编号{s.id}）" for s in reports if s.id == i),
    )
    if picked is not None and picked != rid:
        rv.choose(int(picked))
        rid = int(picked)
if rid is None:
    st.info("请在上方选择一份报告，或从“批量审核”页的报告清单打开。" if reports else "没有您可以查看的报告。")
    st.stop()
assert rid is not None

loaded = rv.load(rid)
if loaded.report is None:
    st.error(md_escape(loaded.refusal))
    st.stop()
assert loaded.report is not None
data = review_data(loaded.report)
meta = data.report.meta
st.subheader(f"{md_escape(meta.agency) or '（未填机关名称）'} {meta.year}年度")
counts = data.counts()
st.write(
    f"审核状态：{rv.status_zh(rid)} · 第{loaded.version}版 · 错误{counts['error']}条，"
    f"待确认警告{counts['open_warning']}条，填报人已确认的警告{counts['acknowledged']}条。"
)

if rv.may_decide(data.report) and st.button("到“校验与导出”页退回或通过这份报告", key="review_decide"):
    refusal = rv.open_for_decision(rid)
    if refusal:
        st.error(md_escape(refusal))
    else:
        st.switch_page(rv.DECIDE_PAGE)

if data.comparison is None:
    st.info(f"这份报告没有关联上年报告（{meta.year - 1}年度），无法与上年对照：以下只显示本年的表格和校验结果。"
            "如需对照，请填报人在“对照上年”页选择上年报告。")
else:
    last = data.comparison.last.meta
    st.caption(f"上年报告：{md_escape(last.agency)} {last.year}年度（填报人关联的上年报告）")
    for note in data.comparison.notes():
        st.info(md_escape(note))
    st.header("与上年核对")
    for verdict in data.verdicts:
        rv.show_verdict(data, verdict)
    rv.show_rectifications(data.report)

st.header("表格对照" if data.comparison is not None else "表格")
rv.show_tables(data)
if data.comparison is not None:
    st.header("叙述对照")
    rv.show_sections(data)

st.header("审核意见")
rv.show_comments(rid)

st.header("校验结果")
others = data.other_findings
if data.comparison is not None:
    st.caption("跨年核对、雷同和上年问题整改的结果见上方“与上年核对”，不在此重复。")
if not others:
    st.success("没有其他校验问题。")
for group in findings_view.group_findings(others):
    st.subheader(f"{SEVERITY_ZH[group.severity]} · {md_escape(group.place)}（{len(group.findings)}条）")
    for f in group.findings:
        rv.show_finding(data, f)
