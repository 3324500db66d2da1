"""Attaching last year's report to the open one (基本信息 and 对照上年): pick a stored report or
upload a file; a report of another year is refused unless overridden on purpose; the first
attach carries over at once and says what it carried, a re-import lists what would change
(before → after) and applies it when confirmed. The what is in gkassist.last_year.start."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from gkassist.last_year.attach import YearRefusal, override_note, year_refusal
from gkassist.last_year.start import PLACE_NAMES, Change, Place, SummaryLine, apply_plan, baseline_name, plan_carry
from gkassist.limits import upload_mb
from gkassist.model import Report
from gkassist.ui import acting, last_year_source, state
from gkassist.ui.safe import md_escape

UPLOAD_TYPES = ["html", "htm", "txt", "md", "docx", "pdf", "json"]
PAGE_FILES: dict[Place, str] = {
    "basic": "gkassist/ui/pages/basic.py",
    "tables": "gkassist/ui/pages/tables.py",
    "drafting": "gkassist/ui/pages/drafting.py",
    "compare": "gkassist/ui/pages/compare.py",
}


@dataclass(frozen=True)
class PanelKeys:
    pick: str
    use_stored: str
    upload: str
    read: str
    outcome: str
    pending: str


@dataclass
class Pending:
    """A report read as last year's, waiting for staff: an override of its year, or a confirmation."""

    last: Report
    source: str  # the file's name, or 本系统中的报告
    messages: last_year_source.Messages
    refusal: YearRefusal | None
    overridden: bool = False


def show_summary(lines: list[SummaryLine]) -> None:
    """What came from last year's report, a line per place with a link to it."""
    for line in lines:
        left, right = st.columns([3, 5])
        with left:
            st.page_link(PAGE_FILES[line.place], label=line.where)
            st.caption(f"在“{PLACE_NAMES[line.place]}”页")
        right.markdown(md_escape(line.text))


EXCERPT = 24  # characters kept on each side of what changed in a long text (the opening)


def changed_part(before: str, after: str) -> tuple[str, str]:
    """Long texts cut to what differs between them, with a little context on each side."""
    if len(before) <= 2 * EXCERPT and len(after) <= 2 * EXCERPT:
        return before, after
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < min(len(before), len(after)) - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    start = max(0, head - EXCERPT)

    def cut(text: str) -> str:
        end = min(len(text), len(text) - tail + EXCERPT)
        return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")

    return cut(before), cut(after)


def show_changes(plan: list[Change]) -> None:
    """The before → after list of a re-import (plain-text cells: the values quote the document)."""
    pairs = [changed_part(c.before, c.after) for c in plan]
    st.dataframe(
        {
            "位置": [PLACE_NAMES[c.place] for c in plan],
            "项目": [c.label for c in plan],
            "现在": [b for b, _ in pairs],
            "改为": [a for _, a in pairs],
        },
        hide_index=True, width="stretch",
    )  # fmt: skip


def render(report: Report, keys: PanelKeys) -> None:
    last = report.last_year
    if last is not None:
        st.write(f"当前上年报告：{md_escape(baseline_name(last))}。重新导入时会先列出将要更新的内容，确认后才更新。")
        note = override_note(report)
        if note:
            st.warning(md_escape(note))
    _sources(report, keys)
    pending = st.session_state.get(keys.pending)
    if isinstance(pending, Pending):
        _decide(report, pending, keys)
    _show_outcome(keys)


def _sources(report: Report, keys: PanelKeys) -> None:
    candidates = last_year_source.last_year_candidates(state.store(), report, state.report_id(), actor=acting.actor())
    if candidates:
        labels = {c.id: f"{c.agency} {c.year}年度（第{c.version}版）" for c in candidates}
        chosen = st.selectbox("本系统中的上年报告", list(labels), format_func=lambda i: labels[i], key=keys.pick)
        if st.button("使用这份报告", key=keys.use_stored):
            stored, _ = state.store().load(int(chosen), actor=acting.actor())
            _read(report, stored, "本系统中的报告", [], keys)
    upload = st.file_uploader("上传上一年度报告文件", type=UPLOAD_TYPES, key=keys.upload, max_upload_size=upload_mb())
    label = "重新导入上年报告" if report.last_year is not None else "读取上年报告"
    if upload is not None and st.button(label, key=keys.read):
        read = last_year_source.read_report_file(upload.getvalue(), upload.name)
        if read.report is None:
            st.session_state[keys.outcome] = last_year_source.LastYearOutcome(False, read.messages)
            st.session_state.pop(keys.pending, None)
            st.rerun()
        assert read.report is not None
        _read(report, read.report, upload.name, read.messages, keys)


def _read(report: Report, last: Report, source: str, messages: last_year_source.Messages, keys: PanelKeys) -> None:
    st.session_state[keys.pending] = Pending(last, source, messages, year_refusal(report, last))
    st.session_state.pop(keys.outcome, None)
    st.rerun()


def _decide(report: Report, pending: Pending, keys: PanelKeys) -> None:
    if pending.messages:
        with st.expander(f"读取“{md_escape(pending.source)}”的说明（{len(pending.messages)}条）"):
            for level, message in pending.messages:
                {"error": st.error, "warning": st.warning}.get(level, st.info)(md_escape(message))  # quotes the document
    if pending.refusal is not None and not pending.overridden:
        st.error(md_escape(pending.refusal.message))
        sure = st.checkbox(f"仍然使用这份{pending.refusal.year}年度的报告作为上年报告（将记录在本报告中）", key=f"{keys.pending}_sure")
        c1, c2 = st.columns(2)
        if c1.button("确认使用", key=f"{keys.pending}_override", disabled=not sure):
            pending.overridden = True
            st.rerun()
        if c2.button("取消", key=f"{keys.pending}_cancel_year"):
            st.session_state.pop(keys.pending, None)
            st.rerun()
        return
    override = pending.refusal.override(state.author()) if pending.refusal is not None else None
    if report.last_year is None:  # the first attach: carry over at once, and say what
        outcome = last_year_source.attach_carrying(report, pending.last, override.by if override else None)
        _finish(report, pending, keys, outcome, f"导入上年报告：{pending.source}")
        return
    plan = plan_carry(report, pending.last)
    st.markdown(f"**重新导入“{md_escape(pending.source)}”将作出以下更改（确认后生效）：**")
    show_changes(plan)
    c1, c2 = st.columns(2)
    if c1.button("确认更新", key=f"{keys.pending}_apply", type="primary"):
        apply_plan(report, pending.last, plan, override)
        done = last_year_source.LastYearOutcome(True, [("info", f"已按重新导入的上年报告更新{len(plan)}项。")])
        _finish(report, pending, keys, done, f"重新导入上年报告：{pending.source}")
    if c2.button("取消", key=f"{keys.pending}_cancel"):
        st.session_state.pop(keys.pending, None)
        st.rerun()


def _finish(report: Report, pending: Pending, keys: PanelKeys, outcome: last_year_source.LastYearOutcome, note: str) -> None:
    outcome.messages = [*pending.messages, *outcome.messages]
    if outcome.ok:
        outcome.messages.insert(0, ("info", f"已将{baseline_name(pending.last)}作为上年报告（{pending.source}）。"))
        state.autosave(note)
        state.bump()
    st.session_state[keys.outcome] = outcome
    st.session_state.pop(keys.pending, None)
    st.rerun()


def _show_outcome(keys: PanelKeys) -> None:
    shown = st.session_state.get(keys.outcome)
    if not isinstance(shown, last_year_source.LastYearOutcome):
        return
    if shown.ok:
        st.success("已读取上年报告。")
    else:
        st.error("上年报告没有导入。")
    for level, message in shown.messages:
        {"error": st.error, "warning": st.warning}.get(level, st.info)(md_escape(message))  # quotes the document
    if shown.summary:
        st.markdown("**从上年报告带入的内容**（请逐项核对）")
        show_summary(shown.summary)
    elif shown.prefilled:
        st.info(md_escape("已预填：" + "；".join(shown.prefilled)))
