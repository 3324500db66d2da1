"""The open report's review status on every page: read once per page run (the version line shows
it), and a frozen report's notice at the top. Not the buttons (``review_panel``)."""

from __future__ import annotations

import contextlib
from functools import lru_cache

import streamlit as st
from sqlalchemy.engine import Engine

from gkassist.access import AccessDenied
from gkassist.review.policy import StatusCode, review_policy
from gkassist.storage.review import ReviewStore
from gkassist.ui import acting
from gkassist.ui.safe import md_escape

STATUS = "_review_status"  # the open report's status as read by this page run


@lru_cache(maxsize=4)  # one per engine: creating it checks the tables once
def review_store(engine: Engine) -> ReviewStore:
    return ReviewStore(engine)


def refresh(engine: Engine, report_id: int) -> StatusCode:
    """Read the report's status for this page run (another user may have changed it). A user who
    may no longer read the report keeps the status last read: the page's own storage calls
    refuse what they may not do, each with its message (the refusal is in the audit trail)."""
    with contextlib.suppress(AccessDenied):
        st.session_state[STATUS] = review_store(engine).status(report_id, actor=acting.actor())
    return current()


def current() -> StatusCode:
    status = st.session_state.get(STATUS)
    return status if status in review_policy().statuses else review_policy().initial


def frozen() -> bool:
    return review_policy().frozen(current())


def status_text() -> str:
    """For the version line: 状态：待审核."""
    return f"状态：{review_policy().label(current())}"


def show_notice() -> None:
    """At the top of every page of a frozen report: that it is frozen, why, and what to do."""
    status = current()
    policy = review_policy()
    if policy.frozen(status):
        st.warning(md_escape(f"{policy.statuses[status].frozen_why}。（当前状态：{policy.label(status)}）"
                             "在各页所做的修改都不会被保存。"))


def status_labels(engine: Engine, report_ids: list[int]) -> dict[int, str]:
    """报告列表: each report's status by name."""
    found = review_store(engine).statuses(report_ids, actor=acting.actor())
    return {rid: review_policy().label(status) for rid, status in found.items()}
