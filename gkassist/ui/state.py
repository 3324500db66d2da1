"""Session glue: the open report (canonical pydantic model), its version, autosave."""

from __future__ import annotations

from functools import lru_cache

import streamlit as st

from gkassist.model import Report
from gkassist.storage import ConflictError, ReportNotFoundError, ReportStore, default_database_url
from gkassist.ui.safe import md_escape

REPORT = "report"
REPORT_ID = "report_id"
VERSION = "version"
GEN = "gen"  # bumped whenever the report changes outside a widget: widgets re-read it
AUTHOR = "author"
CONFLICT = "conflict"


@lru_cache(maxsize=4)  # one store (engine and connection pool) per database for the whole server
def _store_for(url: str) -> ReportStore:
    return ReportStore(url)


def store() -> ReportStore:
    return _store_for(default_database_url())


def author() -> str:
    return str(st.session_state.get(AUTHOR) or "未署名用户")


QUERY_KEY = "report"  # ?report=<id> in the address: a browser refresh reopens the same report


def current() -> Report | None:
    report = st.session_state.get(REPORT)
    if report is None and QUERY_KEY in st.query_params:
        _reopen_from_address()
        report = st.session_state.get(REPORT)
    return report if isinstance(report, Report) else None


def _reopen_from_address() -> None:
    try:
        open_report(int(st.query_params[QUERY_KEY]))
    except (ValueError, ReportNotFoundError):
        del st.query_params[QUERY_KEY]


def report_id() -> int:
    return int(st.session_state[REPORT_ID])


def gen() -> int:
    return int(st.session_state.setdefault(GEN, 0))


def bump() -> None:
    st.session_state[GEN] = gen() + 1


def open_report(rid: int) -> None:
    report, version = store().load(rid)
    st.session_state[REPORT] = report
    st.session_state[REPORT_ID] = rid
    st.session_state[VERSION] = version
    st.session_state.pop(CONFLICT, None)
    st.query_params[QUERY_KEY] = str(rid)
    bump()


def close_report() -> None:
    for key in (REPORT, REPORT_ID, VERSION, CONFLICT):
        st.session_state.pop(key, None)
    st.query_params.pop(QUERY_KEY, None)
    bump()


def autosave(note: str = "") -> bool:
    """Save the open report as a new version; on a conflict keep the edits in memory and say so."""
    report = current()
    if report is None:
        return False
    try:
        st.session_state[VERSION] = store().save(report_id(), report, int(st.session_state[VERSION]), author(), note)
    except (ConflictError, ReportNotFoundError) as exc:
        st.session_state[CONFLICT] = str(exc)
        return False
    st.session_state.pop(CONFLICT, None)
    return True


def require_report() -> Report:
    """The open report, or a Chinese hint and stop."""
    report = current()
    if report is None:
        st.info("还没有打开报告。请先到“报告列表”页新建或打开一份报告。")
        st.page_link("gkassist/ui/pages/reports.py", label="前往报告列表")
        st.stop()
    assert report is not None
    st.query_params[QUERY_KEY] = str(report_id())  # page navigation drops query parameters
    st.session_state["_conflict_slot"] = st.container()
    st.caption(f"当前报告：{md_escape(report.meta.agency)} {report.meta.year}年度 · 第{st.session_state[VERSION]}版（自动保存）")
    return report


def show_conflict(at_top: bool = True) -> None:
    """Called at the end of a page: a save conflict (from callbacks or the page body) shown at the
    top. ``at_top=False`` shows it where the call is (inside a fragment, which cannot put a
    button outside itself)."""
    conflict = st.session_state.get(CONFLICT)
    if not conflict or current() is None:
        return
    slot = st.session_state.get("_conflict_slot") if at_top else None
    with slot if slot is not None else st.container():
        st.error(md_escape(conflict))
        if st.button("重新打开最新版本（放弃本页未保存的修改）", key="reload_after_conflict"):
            open_report(report_id())
            st.rerun()
