"""起草: draft a section with the template or the LLM, streamed into an editable text area."""

from __future__ import annotations

import streamlit as st

from gkassist.drafting import DrafterName
from gkassist.findings import render_finding
from gkassist.model import SectionId
from gkassist.names import SECTION_TITLES
from gkassist.ui import drafting_glue, findings_view, forms, llm_session, state
from gkassist.ui.errors import guarded_callback
from gkassist.ui.number_marks import number_marks
from gkassist.ui.safe import md_escape, show_stream

report = state.require_report()
st.title("起草")
llm = llm_session.resolved()  # this browser session's settings over the server's; None: template only
settings = llm.settings
section_id: SectionId = st.radio(
    "选择部分", drafting_glue.DRAFT_SECTIONS, format_func=lambda s: SECTION_TITLES[s], horizontal=True, key="draft_section"
) or "s1"
drafters: list[DrafterName] = ["template", "llm"] if settings is not None else ["template"]
drafter: DrafterName = st.radio(
    "起草方式", drafters, format_func=lambda d: drafting_glue.DRAFTER_NAMES[d], horizontal=True, key="drafter",
    help=None if settings is not None else "尚未配置大模型，只能使用内置模板。可在“设置”页为本会话填写大模型。",
)
if llm.problem and settings is None:
    st.warning(llm.problem)
text_key = f"section_{state.report_id()}_{state.gen()}_{section_id}"


@guarded_callback("保存正文")
def _on_text(sid: SectionId, key: str) -> None:
    rep = state.current()
    if rep is not None:
        forms.set_section(rep, sid, str(st.session_state.get(key) or ""))
        state.autosave(f"修改{SECTION_TITLES[sid]}")


def _generate() -> None:
    run = drafting_glue.start_draft(report, section_id, drafter, settings if drafter == "llm" else None)
    with st.container(border=True):
        st.caption("正在生成……")
        show_stream(run.chunks, st.empty().markdown)  # shown escaped: an LLM reply is untrusted
    result = run.result
    # only a finished draft is ever recorded: streamed text of a run that broke off is not one
    final = str(getattr(result, "text", "") or "")
    error_zh = run.error_zh or getattr(result, "error_message_zh", None)
    alternative = getattr(result, "alternative_template_text", None)
    if alternative:
        st.session_state["alternative"] = (section_id, alternative)
    if error_zh:
        st.session_state["draft_error"] = error_zh
    if not final.strip():  # nothing usable came back: what staff wrote stays untouched
        if not error_zh:
            st.session_state["draft_error"] = "没有生成内容，原有文字未被替换。"
        st.rerun()
    drafting_glue.record_draft(report, section_id, drafter, drafting_glue.describe_provenance(result), final)
    state.autosave(f"起草{SECTION_TITLES[section_id]}（{drafting_glue.DRAFTER_NAMES[drafter]}）")
    state.bump()
    st.session_state["draft_findings"] = [
        render_finding(f) for f in getattr(result, "findings", None) or []
    ]
    st.rerun()  # redraw: the editable text area now holds the draft, the confirmation is gone


confirm_key = f"confirm_replace_{section_id}"
if st.button("生成草稿", key="generate", type="primary"):
    last_draft = report.drafts.get(section_id)
    if drafting_glue.needs_replace_confirmation(report.section(section_id), last_draft.text if last_draft else None):
        st.session_state[confirm_key] = True
    else:
        _generate()
if st.session_state.get(confirm_key):
    st.warning(f"“{SECTION_TITLES[section_id]}”已有您撰写或修改过的文字，重新生成会替换这些文字。确定替换吗？")
    c1, c2 = st.columns(2)
    if c1.button("确认替换", key="confirm_replace"):
        st.session_state.pop(confirm_key)
        _generate()
    if c2.button("保留现有文字", key="cancel_replace"):
        st.session_state.pop(confirm_key)
        st.rerun()

if "draft_error" in st.session_state:
    st.warning(md_escape(st.session_state.pop("draft_error")))
alt = st.session_state.get("alternative")
if alt and alt[0] == section_id and st.button("改用内置模板生成的稿子（替换上方文字）", key="use_alternative"):
    drafting_glue.record_draft(report, section_id, "template", "起草方式：内置模板（大模型稿未通过校验后改用）", alt[1])
    st.session_state.pop("alternative")
    state.autosave(f"改用模板稿：{SECTION_TITLES[section_id]}")
    state.bump()
    st.rerun()
st.info(md_escape(drafting_glue.draft_status(report, section_id)))
for line in st.session_state.get("draft_findings", []):
    st.warning(md_escape(line))
text_key = f"section_{state.report_id()}_{state.gen()}_{section_id}"
st.text_area(
    SECTION_TITLES[section_id], value=report.section(section_id), key=text_key, height=360,
    on_change=_on_text, args=(section_id, text_key),
    help="可直接修改，离开文本框后自动保存。",
)
marks = number_marks(report, section_id)
if marks.rows:
    with st.expander(f"数字核对：本部分{len(marks.rows)}个数字，{marks.problems}个需要核实", expanded=marks.problems > 0):
        st.markdown(marks.legend)
        st.markdown(marks.markdown)
        st.dataframe(marks.rows, hide_index=True, width="stretch")
findings = findings_view.findings_for_section(findings_view.current_findings(report), section_id)
for f in findings:
    (st.error if f.severity == "error" else st.warning)(render_finding(f, md_escape))
state.show_conflict()
