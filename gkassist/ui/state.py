"""Session glue: the open report (canonical pydantic model), its version, autosave.

A save that fails (conflict, full disk, read-only database) keeps the edits in memory and in
the widgets, and says so at the top of the page; nothing typed is lost.
"""

from __future__ import annotations

from functools import lru_cache

import streamlit as st

from gkassist.access import AccessDenied
from gkassist.model import Report
from gkassist.storage import ConflictError, ReportNotFoundError, ReportStore, StorageError, default_database_url
from gkassist.storage.merge import save_merging
from gkassist.storage.review_status import FrozenError
from gkassist.ui import acting, clerk, review_view
from gkassist.ui.safe import md_escape

REPORT = "report"
REPORT_ID = "report_id"
VERSION = "version"
GEN = "gen"  # bumped whenever the report changes outside a widget: widgets re-read it
AUTHOR = clerk.SESSION_KEY
CONFLICT = "conflict"
SAVE_ERROR = "save_error"  # the last autosave failed for a reason other than a conflict
SAVE_DENIED = "save_denied"  # the last autosave was refused: the acting user may not edit this report
MERGED = "_merged_note"  # the last save kept someone else's edits too: said once, at the end of the run
VERSION_SLOT = "_version_slot"  # the version line at the top of the page, rewritten after every save


@lru_cache(maxsize=4)  # one store (engine and connection pool) per database for the whole server
def _store_for(url: str) -> ReportStore:
    return ReportStore(url)


def store() -> ReportStore:
    return _store_for(default_database_url())


def author() -> str:
    """The acting user as shown (未署名用户 when no name was given; what is recorded is the username)."""
    return acting.actor().shown


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
    except (ValueError, OverflowError, ReportNotFoundError):  # not a number, or no such report
        del st.query_params[QUERY_KEY]
    except AccessDenied as denied:  # another agency's report typed into the address: refused, and said so
        del st.query_params[QUERY_KEY]
        st.error(f"没有打开报告{denied.target.removeprefix('报告')}：{md_escape(denied.message_zh())}")


def report_id() -> int:
    return int(st.session_state[REPORT_ID])


def gen() -> int:
    return int(st.session_state.setdefault(GEN, 0))


def bump() -> None:
    st.session_state[GEN] = gen() + 1


def open_report(rid: int) -> None:
    report, version = store().load(rid, actor=acting.actor())
    st.session_state[REPORT] = report
    st.session_state[REPORT_ID] = rid
    st.session_state[VERSION] = version
    for key in (CONFLICT, SAVE_ERROR, SAVE_DENIED):
        st.session_state.pop(key, None)
    st.query_params[QUERY_KEY] = str(rid)
    bump()


def close_report() -> None:
    for key in (REPORT, REPORT_ID, VERSION, CONFLICT, SAVE_ERROR, SAVE_DENIED):
        st.session_state.pop(key, None)
    st.query_params.pop(QUERY_KEY, None)
    bump()


def autosave(note: str = "") -> bool:
    """Save the open report as a new version; when that fails keep the edits in memory and say so."""
    report = current()
    if report is None:
        return False
    try:
        outcome = save_merging(store(), report_id(), report, int(st.session_state[VERSION]), actor=acting.actor(), note=note)
    except (ConflictError, ReportNotFoundError, FrozenError) as exc:
        st.session_state[CONFLICT] = str(exc)
        return False
    except StorageError as exc:
        st.session_state[SAVE_ERROR] = save_error_message(exc)
        return False
    except AccessDenied as denied:
        st.session_state[SAVE_DENIED] = f"您的修改没有保存。{denied.message_zh()}"
        return False
    st.session_state[VERSION] = outcome.version
    if outcome.merged_from:  # someone saved other fields meanwhile: show theirs too, or our next save would undo them
        adopt_merged(report, outcome.report)
        who = "、".join(f"“{name}”" if name else "其他用户" for name in outcome.merged_from)
        st.session_state[MERGED] = f"已保存。在此期间{who}修改了这份报告的其他内容，双方的修改都已保留（第{outcome.version}版），页面已显示最新内容。"
    for key in (CONFLICT, SAVE_ERROR, SAVE_DENIED):
        st.session_state.pop(key, None)
    return True


def adopt_merged(report: Report, merged: Report) -> None:
    """The open report becomes the merged one in place (pages and fragments hold references to
    it), and the widgets re-read it."""
    for name in Report.model_fields:
        setattr(report, name, getattr(merged, name))
    bump()


def save_error_message(exc: StorageError) -> str:
    return (
        f"您的修改没有保存：{exc.reason}。刚才输入的内容仍在页面上，没有丢失，但关闭或刷新页面后会丢失；"
        f"{exc.advice}，然后点击下方“重新保存”。"
    )


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
    if store().read_only:
        st.warning("数据库目前只能读取、不能写入：可以查看报告，但所做的修改无法保存。请联系管理员开放数据库的写入权限。")
    review_view.refresh(store().engine, report_id())
    st.session_state[VERSION_SLOT] = st.empty()
    show_version_line()
    review_view.show_notice()
    return report


def version_line(report: Report) -> str:
    return (f"当前报告：{md_escape(report.meta.agency)} {report.meta.year}年度 · 第{st.session_state[VERSION]}版（自动保存）"
            f" · {review_view.status_text()}")


def show_version_line() -> None:
    """The version line, in its place at the top of the page. Drawn there first, then again at
    the end of every page run and every fragment run (``show_conflict``), so it names the version
    just saved by anything in between: a table edit reruns only its fragment, and a page saves
    edit state restored into the session after the line was drawn."""
    report = current()
    slot = st.session_state.get(VERSION_SLOT)
    if report is not None and slot is not None and VERSION in st.session_state:
        slot.caption(version_line(report))


def show_conflict(at_top: bool = True) -> None:
    """Called at the end of a page and of a fragment: the version line brought up to date, and a
    save conflict (from callbacks or the page body) shown at the top. ``at_top=False`` shows the
    conflict where the call is (inside a fragment, which cannot put a button outside itself)."""
    from gkassist.ui.errors import show_pending

    show_pending()  # a callback's error, when this is a fragment rerun (app.py shows it otherwise)
    show_version_line()  # the version just saved by this run
    merged = st.session_state.pop(MERGED, None)
    if merged:  # shown here, not in the save's callback: a callback of a fragment run must draw nothing
        st.toast(md_escape(merged))
    conflict = st.session_state.get(CONFLICT)
    save_error = st.session_state.get(SAVE_ERROR)
    denied = st.session_state.get(SAVE_DENIED)
    if not (conflict or save_error or denied) or current() is None:
        return
    slot = st.session_state.get("_conflict_slot") if at_top else None
    with slot if slot is not None else st.container():
        if denied:
            st.error(md_escape(denied))
        if save_error:
            st.error(md_escape(save_error))
            if st.button("重新保存", key=f"retry_save_{at_top}"):
                autosave("重新保存未保存的修改")
                st.rerun()
        if conflict:
            st.error(md_escape(conflict))
            if st.button("重新打开最新版本（放弃本页未保存的修改）", key="reload_after_conflict"):
                open_report(report_id())
                st.rerun()
