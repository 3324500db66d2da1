"""起草: a draft (template or model) arrives as a candidate beside the section's text; the section
changes only when staff adopt it. Findings shown belong to the text they sit under."""

from __future__ import annotations

import streamlit as st

from gkassist.drafting import DrafterName
from gkassist.drafting.candidate import Attempt, Candidate, adoption_blocker
from gkassist.findings import Finding, render_finding
from gkassist.model import SectionId
from gkassist.names import SECTION_TITLES
from gkassist.ui import comments_panel, comments_view, drafting_glue, findings_view, forms, llm_session, state
from gkassist.ui.errors import guarded_callback
from gkassist.ui.number_marks import number_marks
from gkassist.ui.safe import md_escape
from gkassist.ui.sentence_select import box_key

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
comments = comments_panel.load(state.report_id())
comments_panel.show_open_line(comments, comments_view.in_section(comments, section_id), "本部分")
cand_key = f"candidate_{state.report_id()}_{section_id}"
undo_key = f"undo_{state.report_id()}_{section_id}"


def show_findings(text: str, findings: list[Finding], area_key: str) -> None:
    """Each finding once, under the sentence it concerns; those about the whole text first.
    Clicking a sentence's findings selects the sentence in the text area ``area_key``."""
    by_sentence, whole = drafting_glue.text_findings(findings, text)
    for f in whole:
        (st.error if f.severity == "error" else st.warning)(render_finding(f, md_escape))
    if by_sentence:
        st.caption("点击下列问题，可在上方文本框中选中它所在的句子。")
    for i, item in enumerate(by_sentence):
        with st.container(key=box_key(i, text, item.start, item.end, area_key)):
            st.markdown(f"> {md_escape(item.sentence)}")
            for f in item.findings:
                (st.error if f.severity == "error" else st.warning)(render_finding(f, md_escape))


def _open_attempt(attempt: Attempt) -> drafting_glue.ShowText:
    box = st.container(border=True)
    box.markdown(f"**{attempt.label}**" + ("（正在生成……）" if attempt.number == 1 else "（按修改意见重写）"))
    if attempt.reasons:
        box.caption("重写的原因：" + "；".join(md_escape(r) for r in attempt.reasons))
    return box.empty().markdown


def _generate(kind: DrafterName) -> None:
    run = drafting_glue.start_draft(report, section_id, kind, settings if kind == "llm" else None)
    attempts = drafting_glue.stream_attempts(run.chunks, _open_attempt)
    result = run.result
    error_zh = run.error_zh or getattr(result, "error_message_zh", None)
    if error_zh:
        st.session_state["draft_error"] = error_zh
    candidate = drafting_glue.new_candidate(run, kind, report.section(section_id), attempts)
    if candidate is None:
        if not error_zh:
            st.session_state["draft_error"] = "没有生成内容，原有文字未被替换。"
        alternative = getattr(result, "alternative_template_text", None)
        if alternative:
            st.session_state["alternative"] = (section_id, alternative)
    else:
        st.session_state[cand_key] = candidate
        st.session_state.pop("alternative", None)
    st.rerun()


if st.button("生成草稿", key="generate", type="primary", help="草稿作为候选稿显示在下方，采用后才会写入本部分。"):
    _generate(drafter)

if "draft_error" in st.session_state:
    st.warning(md_escape(st.session_state.pop("draft_error")))
alt = st.session_state.get("alternative")
if alt and alt[0] == section_id and st.button("改用内置模板生成候选稿", key="use_alternative"):
    st.session_state.pop("alternative")
    _generate("template")


def _adopt(candidate: Candidate, then_edit: bool) -> None:
    st.session_state[undo_key] = drafting_glue.adopt_candidate(report, candidate)
    st.session_state.pop(cand_key, None)
    how = "采用后修改" if then_edit else "采用"
    state.autosave(f"{how}{SECTION_TITLES[section_id]}候选稿（{drafting_glue.DRAFTER_NAMES[candidate.drafter]}）")
    state.bump()
    if then_edit:
        st.session_state["edit_after_adopt"] = section_id
    st.rerun()


@guarded_callback("修改候选稿")
def _on_candidate_text(key: str, ckey: str) -> None:
    candidate = st.session_state.get(ckey)
    if isinstance(candidate, Candidate):
        candidate.text = str(st.session_state.get(key) or "")
        candidate.edited = True


candidate = st.session_state.get(cand_key)
if isinstance(candidate, Candidate):
    with st.container(border=True):
        st.subheader(f"候选稿（{drafting_glue.DRAFTER_NAMES[candidate.drafter]}）")
        st.caption(md_escape(candidate.summary) + "。候选稿尚未写入本部分，采用后才会替换下方正文。")
        if len(candidate.attempts) > 1:
            with st.expander(f"起草过程：共{len(candidate.attempts)}稿，只有最后一稿是候选稿"):
                for attempt in candidate.attempts:
                    st.markdown(f"**{attempt.label}**")
                    if attempt.reasons:
                        st.caption("重写的原因：" + "；".join(md_escape(r) for r in attempt.reasons))
                    st.text(attempt.text)
        diff = drafting_glue.candidate_diff(candidate)
        changed = [d for d in diff if d.status != "unchanged"]
        with st.expander(f"与现有正文相比：{len(changed)}处改动（按句比较）", expanded=bool(candidate.base.strip())):
            for d in diff:
                mark = drafting_glue.DIFF_MARKS[d.status]
                st.markdown((f"**{mark}** " if mark else "") + (f"~~{md_escape(d.text)}~~" if d.status == "dropped" else md_escape(d.text)))
        edit_key = f"cand_text_{state.report_id()}_{section_id}_{id(candidate)}"
        st.text_area(
            "候选稿（可在此修改，修改后重新校验）", value=candidate.text, key=edit_key, height=300,
            on_change=_on_candidate_text, args=(edit_key, cand_key),
        )
        cand_findings = drafting_glue.candidate_findings(report, candidate)
        show_findings(candidate.text, cand_findings, edit_key)
        if not cand_findings:
            st.success("候选稿未发现问题。")
        omissions = drafting_glue.candidate_omissions(report, candidate)
        if omissions:
            st.markdown("**起草时未写入的内容**")
            for i, omission in enumerate(omissions):
                st.warning(md_escape(omission.reason_zh))
                fix = omission.fix
                if fix is not None and st.button(
                    f"登记申报数字“{fix.label}”（{fix.value}{fix.unit}）并重新起草", key=f"fix_{section_id}_{i}"
                ):
                    problem = drafting_glue.add_declared(report, fix)
                    if problem:
                        st.session_state["draft_error"] = problem
                        st.rerun()
                    state.autosave(f"登记申报数字：{fix.label}")
                    _generate("template")
        for note in candidate.notes:
            st.caption(md_escape(note))
        blocker = adoption_blocker(candidate, cand_findings)
        if blocker:
            st.error(md_escape(blocker))
        c1, c2, c3, c4 = st.columns(4)
        if c1.button("采用", key="adopt", type="primary", disabled=blocker is not None, help=blocker):
            _adopt(candidate, then_edit=False)
        if c2.button("采用后修改", key="adopt_edit", disabled=blocker is not None, help=blocker):
            _adopt(candidate, then_edit=True)
        if c3.button("放弃", key="discard"):
            st.session_state.pop(cand_key, None)
            st.rerun()
        if candidate.drafter == "llm" and c4.button("改用内置模板稿", key="take_template"):
            _generate("template")

undo = st.session_state.get(undo_key)
if undo is not None and st.button("撤销采用（恢复采用前的文字）", key="undo_adopt"):
    drafting_glue.undo_candidate(report, undo)
    st.session_state.pop(undo_key, None)
    state.autosave(f"撤销采用{SECTION_TITLES[section_id]}候选稿")
    state.bump()
    st.rerun()


@guarded_callback("保存正文")
def _on_text(sid: SectionId, key: str) -> None:
    rep = state.current()
    if rep is not None:
        forms.set_section(rep, sid, str(st.session_state.get(key) or ""))
        state.autosave(f"修改{SECTION_TITLES[sid]}")


st.info(md_escape(drafting_glue.draft_status(report, section_id)))
if st.session_state.pop("edit_after_adopt", None) == section_id:
    st.success("已采用候选稿，请在下方正文中修改。")
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
section_text = report.section(section_id)
show_findings(section_text, findings_view.findings_for_section(findings_view.current_findings(report), section_id), text_key)
comments_panel.show_section_comments(report, section_id, text_key, comments)
state.show_conflict()
