"""The review section of 校验与导出: the status, the moves this user may make now (提交审核 with
what blocks it, 退回 with its reason, 通过, 标记为已发布, 撤回提交), and the status history.
Every move is checked again below the UI (gkassist.storage.review)."""

from __future__ import annotations

import pandas as pd  # type: ignore[import-untyped,unused-ignore]
import streamlit as st

from gkassist.access import AccessDenied
from gkassist.review.policy import Transition, review_policy
from gkassist.review.readiness import blockers_zh
from gkassist.storage import ReportNotFoundError, StorageError
from gkassist.storage.review import ReviewError, ReviewStore
from gkassist.ui import acting, history_view, review_view, state
from gkassist.ui.safe import md_escape

DONE = "_review_done"  # the message of the last move, shown after the rerun
FORWARD = ("submitted", "approved", "published")  # the moves that take the report on (primary buttons)


def show(report_id: int) -> None:
    review = review_view.review_store(state.store().engine)
    policy = review_policy()
    st.subheader("审核")
    st.markdown(f"当前状态：**{policy.label(review_view.current())}**")
    if done := st.session_state.pop(DONE, None):
        st.success(md_escape(done))
    try:
        moves = review.moves(report_id, actor=acting.actor())
    except AccessDenied as exc:  # e.g. the assignment ended while the page was open
        st.error(md_escape(exc))
        return
    if not moves:
        st.caption(_nothing_to_do())
    for move in moves:
        _move(review, report_id, move)
    _history(review, report_id)


def _move(review: ReviewStore, report_id: int, move: Transition) -> None:
    if move.checks:
        blockers = review.blockers(report_id, move.to, actor=acting.actor())
        if blockers:
            st.error(md_escape(blockers_zh(blockers, move.label)))
            st.button(move.label, key=f"review_{move.to}", disabled=True)
            return
    if move.to == "submitted":
        st.caption(f"将提交已保存的第{st.session_state[state.VERSION]}版。提交后内容冻结，审核人退回后才能修改。")
    reason = ""
    if move.reason == "required":
        reason = st.text_area(f"{move.label}的理由（必填：写明哪里需要修改、为什么，填报人会据此修改）",
                              key=f"review_reason_{move.to}", max_chars=1000)
    if st.button(move.label, key=f"review_{move.to}", type="primary" if move.to in FORWARD else "secondary"):
        try:
            change = review.transition(report_id, move.to, actor=acting.actor(), reason=reason)
        except (ReviewError, AccessDenied, ReportNotFoundError, StorageError) as exc:
            st.error(md_escape(exc))
            return
        st.session_state[DONE] = f"已{move.label}：报告状态由“{change.from_zh}”改为“{change.to_zh}”。"
        st.rerun()


def _nothing_to_do() -> str:
    status = review_view.current()
    if status == "submitted":
        return "报告正在等待审核人审核。"
    if status == "published":
        return "报告已发布，审核流程已结束。"
    return "您的账号在当前状态下没有可进行的审核操作。"


def _history(review: ReviewStore, report_id: int) -> None:
    changes = review.history(report_id, actor=acting.actor())
    with st.expander(f"状态记录（{len(changes)}条）"):
        if not changes:
            st.caption("报告自新建以来一直处于“起草中”，还没有状态变更。")
            return
        frame = pd.DataFrame(
            {
                "时间（北京时间）": [history_view.when(c.at) for c in changes],
                "操作人": [c.actor_name or c.actor for c in changes],
                "原状态": [c.from_zh for c in changes],
                "新状态": [c.to_zh for c in changes],
                "理由": [c.reason for c in changes],
            },
            dtype="string",
        )
        st.dataframe(frame, hide_index=True, width="stretch")
