"""对照上年: tables cell by cell, cross-year identities, sentence diff with 雷同 score, last year's problems."""

from __future__ import annotations

import streamlit as st

from gkassist.compare.tables import most_moved
from gkassist.compare.verdicts import identity_verdicts
from gkassist.findings import render_finding
from gkassist.last_year.attach import override_note
from gkassist.last_year.similarity import percent
from gkassist.names import SECTION_TITLES, TABLE_NUMERALS
from gkassist.ui import acting, last_year_panel, last_year_source, state
from gkassist.ui import review_actions as ra
from gkassist.ui.safe import md_escape

report = state.require_report()
st.title("对照上年")

with st.expander("选择上年报告", expanded=report.last_year is None or "cmp_pending" in st.session_state):
    if not last_year_source.last_year_candidates(state.store(), report, state.report_id(), actor=acting.actor()):
        st.caption(f"本系统中没有“{md_escape(report.meta.agency)}”{report.meta.year - 1}年度的报告，可上传上年报告文件。")
    last_year_panel.render(report, last_year_panel.PanelKeys(
        pick="cmp_pick", use_stored="cmp_use_stored", upload="cmp_upload", read="cmp_use_upload",
        outcome="cmp_outcome", pending="cmp_pending",
    ))

cmp = ra.comparison(report)
if cmp is None:
    st.info("还没有上年报告。请在上方选择或上传上一年度的报告。")
    state.show_conflict()
    st.stop()
assert cmp is not None

st.caption(f"本年：{md_escape(cmp.this.meta.agency)} {cmp.this.meta.year}年度 · 上年：{md_escape(cmp.last.meta.agency)} {cmp.last.meta.year}年度")
if (override := override_note(report)) is not None:
    st.warning(md_escape(override))
for note in cmp.notes():
    st.info(md_escape(note))
errors = [f for f in cmp.findings if f.severity == "error"]
warnings = [f for f in cmp.findings if f.severity == "warning"]
st.write(f"对照发现错误{len(errors)}条、警告{len(warnings)}条（已同时列入“校验与导出”）。")

tab_tables, tab_text, tab_problems = st.tabs(["表格对照", "叙述对照", "上年问题整改"])

with tab_tables:
    st.subheader("跨年勾稽关系")
    for verdict in identity_verdicts(cmp, cmp.findings):  # worded as the reviewer's view words them
        if verdict.kind == "pass":
            st.success(md_escape(verdict.text))
        elif verdict.kind == "not_applicable":
            st.caption(md_escape(verdict.text))
        else:
            st.info(md_escape(verdict.text))
        for f in verdict.findings:
            (st.error if f.severity == "error" else st.warning)(render_finding(f, md_escape))
    st.subheader("变化最大的单元格")
    moved = most_moved(cmp.tables)
    if moved:
        for c in moved:
            st.markdown(
                f"- 表{TABLE_NUMERALS[c.table]}“{md_escape(c.row)}”行“{md_escape(c.column)}”列："
                f"上年 {md_escape(c.last.raw)}，本年 {md_escape(c.this.raw)}，变化 **{md_escape(c.change_zh())}**"
            )
    else:
        st.caption("两年表格数字没有变化。")
    changed_only = st.toggle("只显示有变化的单元格", value=False, key="cmp_changed_only")
    for table in cmp.tables:
        st.markdown(f"**表{table.numeral}　{table.title}**")
        rows = ra.table_rows(table, changed_only=changed_only)
        if rows:
            st.dataframe(rows, hide_index=True, width="stretch", key=f"cmp_grid_{table.table}")
        else:
            st.caption("没有变化。")

with tab_text:
    for claim in cmp.change_claims:
        kind = {"matched": st.success, "mismatched": st.error}.get(claim.kind, st.warning)
        kind(f"同比表述“{md_escape(claim.sentence)}”：{md_escape(claim.evidence)}")
    for sec in cmp.sections:
        st.subheader(sec.title)
        label = ra.section_label(sec.score, sec.checked, sec.over_threshold)
        (st.warning if sec.over_threshold else st.caption)(label)
        counts = sec.counts()
        st.caption(f"未变{counts['unchanged']}句 · 改动{counts['changed']}句 · 新增{counts['new']}句 · 删去{counts['dropped']}句"
                   "（＝未变　～改动　＋新增　－删去）")
        lines = []
        for d in sec.sentences:
            mark = ra.STATUS_MARK[d.status]
            if d.status == "changed":
                lines.append(f"{mark} {md_escape(d.text)}　〔上年：{md_escape(d.previous)}〕")
            elif d.status == "dropped":
                lines.append(f"{mark} ~~{md_escape(d.text)}~~")
            elif d.status == "new":
                lines.append(f"{mark} **{md_escape(d.text)}**")
            else:
                lines.append(f"{mark} {md_escape(d.text)}")
        st.markdown("\n\n".join(lines) if lines else "（两年均无内容）")

with tab_problems:
    left, right = st.columns(2)
    with left:
        st.markdown("**上年报告所列问题**")
        if not cmp.last_problems:
            st.caption("上年报告第五部分没有识别出问题清单。")
        for p in cmp.last_problems:
            if p.addressed:
                st.success(f"已提到：{md_escape(p.problem)}\n\n本年表述：{md_escape(p.evidence)}")
            else:
                st.warning(f"未提到：{md_escape(p.problem)}")
        if cmp.general_statement:
            st.info(f"本年只有笼统的整改表述，没有点到具体问题：{md_escape(cmp.general_statement)}")
    with right:
        st.markdown(f"**本年“{SECTION_TITLES['s5']}”**")
        st.text(report.section("s5") or "（尚未填写）")
    st.caption(f"判定方法：本年第五部分（不含本年“存在的主要问题”小节）中有一句话覆盖了问题的大部分字词即算提到；"
               f"雷同提示阈值见 rules/compare.yaml。当前{SECTION_TITLES['s1']}雷同比例："
               f"{percent(cmp.sections[0].score)}。")
state.show_conflict()
