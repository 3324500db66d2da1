"""Helpers for the AppTest page tests: open a page with a report seeded, read its texts."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from gkassist.model import Report
from gkassist.storage import ReportStore

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = "gkassist/ui/pages"


def open_app(store: ReportStore, report: Report | None, page: str, timeout: float = 30) -> tuple[AppTest, int]:
    """The app on ``page`` with ``report`` stored and open (report id 0 when there is none)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    rid = 0
    if report is not None:
        rid, version = store.create(report, "测试员")
        at.session_state["report"] = report
        at.session_state["report_id"] = rid
        at.session_state["version"] = version
    at.switch_page(f"{PAGES}/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at, rid


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def texts(at: AppTest) -> str:
    """The page's markdown texts as the browser shows them (untrusted text is backslash-escaped)."""
    parts: list[str] = []
    for kind in ("markdown", "error", "warning", "info", "success", "caption", "title", "subheader"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return _ESCAPED.sub(r"\1", "\n".join(parts)).replace("\u2060", "")  # and its invisible word joiners
