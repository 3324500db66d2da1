"""Helpers for the AppTest page tests: open a page with a report seeded, read its texts."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from gkassist.model import Report
from gkassist.storage import ReportStore
from tests.actors import as_user

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = "gkassist/ui/pages"


def open_app(store: ReportStore, report: Report | None, page: str, timeout: float = 30) -> tuple[AppTest, int]:
    """The app on ``page`` with ``report`` stored and open (report id 0 when there is none)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    rid = 0
    if report is not None:
        rid, version = store.create(report, actor=as_user("测试员"))
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


def sheet_element(at: AppTest) -> Any:
    """The 数据填报 grid component (st.components.v2) of the page; AppTest knows it only as an
    element it cannot drive, so tests read its data from the proto."""
    elements = [e for e in at.get("bidi_component") if e.proto.component_name == "gkassist_sheet"]
    assert len(elements) == 1, elements
    return elements[0]


def sheet_data(at: AppTest) -> dict[str, Any]:
    """What the grid component was given this run: values, marks, findings, ack."""
    return dict(json.loads(sheet_element(at).proto.json))


def send_sheet_edit(at: AppTest, cells: dict[str, str | None], seq: int) -> AppTest:
    """Run the page as the browser does after an edit in the grid: the component's trigger
    ``edit`` = {"seq", "cells"} on top of the other widgets' states (AppTest has no driver for
    st.components.v2, so the trigger's widget state is built as the frontend sends it)."""
    from streamlit.components.v2.bidi_component.main import _make_trigger_id
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    states = at._tree.get_widget_states()
    trigger = WidgetState(id=_make_trigger_id(sheet_element(at).proto.id, "events"))
    trigger.json_trigger_value = json.dumps([{"event": "edit", "value": {"seq": seq, "cells": cells}}])
    states.widgets.append(trigger)
    return at._run(states)


def edit_sheet(at: AppTest, cells: dict[str, str | None]) -> AppTest:
    """One edit in the grid, numbered after the last one the page acknowledged."""
    return send_sheet_edit(at, cells, int(sheet_data(at)["ack"]) + 1)


def sheet_texts(at: AppTest) -> str:
    """The findings the grid lists under the table (plain text, as the browser shows them)."""
    return "\n".join(f["text"] for f in sheet_data(at)["findings"])
