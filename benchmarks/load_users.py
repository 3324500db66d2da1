"""The locust users of benchmarks/bench_load.py: clerks editing, reviewers reading, each a browser
tab on one of the app servers (benchmarks/streamlit_client.py speaks Streamlit's websocket).

Started by bench_load.py (``locust -f benchmarks/load_users.py --headless …``) with:
  GKASSIST_LOAD_SERVERS  the app servers' addresses, comma-separated
  GKASSIST_LOAD_REPORTS  the report ids, comma-separated (two clerks per report)
  GKASSIST_LOAD_PASSWORD the password of the accounts clerk00…clerk49, reviewer0…reviewer4
  GKASSIST_LOAD_LOG      a JSON-lines file: every save, open, read and comment, with its time and outcome

Clerk n edits report n // 2 on server n % 2, so the two clerks of a report sit on different
servers and each save of one lands on a version the other has replaced: the app keeps both
(gkassist.storage.merge). Each clerk owns a column of 表三 and two fields of 基本信息, so every
acknowledged value must still be there at the end (bench_load.py checks this in the database).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections.abc import Callable
from typing import Any

from locust import User, between, task

from benchmarks.streamlit_client import PageRun, StreamlitTab

SERVERS = [s for s in os.environ.get("GKASSIST_LOAD_SERVERS", "").split(",") if s]
REPORTS = [int(r) for r in os.environ.get("GKASSIST_LOAD_REPORTS", "").split(",") if r]
LOG = os.environ.get("GKASSIST_LOAD_LOG", "load.jsonl")
PASSWORD = os.environ.get("GKASSIST_LOAD_PASSWORD", "")  # every load account's (made for the run)
# What the two clerks of a report edit: each their own fields of 基本信息 and column of 表三
FIELDS = (("地址", "联系部门"), ("电话", "邮编"))
COLUMNS = ("natural", "biz")  # 自然人, 商业企业
ROWS = ("new", "carried_in", "r_open", "r_partial", "r_deny_1", "r_unable_1", "r_other_1", "carried_out")
SHEET = "gkassist_sheet"  # the 数据填报 grid (st.components.v2)
VERSION_LINE = re.compile(r"第(\d+)版（自动保存）")
FAILED = ("失败", "没有保存", "未保存")  # the app's words for a save that did not happen
READ_PAGES = ("check_export", "compare")  # 校验与导出 (runs every check), 对照上年
REVIEWERS = 5  # Reviewer.fixed_count: the reports are shared out among them

_clerks = itertools.count()
_reviewers = itertools.count()


def log(**record: Any) -> None:
    record["at"] = round(time.time(), 3)
    with open(LOG, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def shown_version(run: PageRun) -> int | None:
    """The version the page says is open (the last version line: it is redrawn after a save)."""
    found = [int(m.group(1)) for text in run.texts for m in VERSION_LINE.finditer(text)]
    return found[-1] if found else None


def signed_in_tab(server: str, report_id: int, username: str) -> StreamlitTab:
    """A new tab on ``server`` with ``report_id`` in its address, signed in as ``username`` through
    the app's sign-in form (the servers run with GKASSIST_AUTH=local)."""
    tab = StreamlitTab(server, {"report": str(report_id)})
    form = tab.run()
    if "账号" not in form.text_inputs:
        raise RuntimeError("the sign-in form is not shown")
    signed = tab.click(form.buttons["登录"], {form.text_inputs["账号"][0]: username, form.text_inputs["密码"][0]: PASSWORD})
    if "账号" in signed.text_inputs or not signed.pages:  # the form again: refused (its message says why)
        raise RuntimeError(f"sign-in refused: {signed.alerts[:1]}")
    tab.pages = signed.pages
    return tab


def refusal(run: PageRun) -> str:
    """The page's message that something was not saved or not done, or ""."""
    return next((a for a in run.alerts if any(word in a for word in FAILED)), "")


class _Tab(User):
    abstract = True
    who = ""  # the name the user types, recorded on every version it saves

    def timed(self, kind: str, name: str, call: Any) -> PageRun | None:
        """Run ``call`` (one script run), report it to locust and to the log; None when it failed."""
        started = time.perf_counter()
        run: PageRun | None = None
        error = ""
        try:
            run = call()
            error = refusal(run)
        except Exception as exc:  # a dropped connection or a timeout is an error of the run, counted
            error = f"{type(exc).__name__}: {exc}"
        ms = run.ms if run is not None and run.ms else (time.perf_counter() - started) * 1000
        self.environment.events.request.fire(
            request_type="WS", name=name, response_time=ms, response_length=0,
            exception=RuntimeError(error) if error else None, context={},
        )
        log(kind=kind, name=name, user=self.who, ms=round(ms, 3), error=error)
        return None if error else run


class Clerk(_Tab):
    """Clerk n: report n // 2, on server n % 2. Most edits are cells of 表三 in the 数据填报 grid
    (a fragment rerun), some are fields of 基本信息; moving between the two pages is a page run
    of its own, not counted as a save."""

    fixed_count = 50
    wait_time = between(2, 6)  # typing the next figure

    def on_start(self) -> None:
        n = next(_clerks)
        self.who = f"科员{n:02d}"
        self.username = f"clerk{n:02d}"
        self.number = n
        self.report_id = REPORTS[(n // 2) % len(REPORTS)]
        self.fields = FIELDS[n % 2]
        self.column = COLUMNS[n % 2]
        self.edits = 0
        self.server = SERVERS[n % len(SERVERS)]
        self.tab: StreamlitTab | None = None
        self.open()

    def open(self) -> None:
        """A new tab on the report's 数据填报 page (also after a failure: as a clerk would reload)."""
        self.on_stop()

        def connect_and_open() -> PageRun:
            self.tab = signed_in_tab(self.server, self.report_id, self.username)
            return self.tab.open("tables")

        self.page = self.timed("open", "登录并打开报告（数据填报）", connect_and_open)
        self.on_page = "tables" if self.page else ""
        self.version = shown_version(self.page) if self.page else None

    def on_stop(self) -> None:
        if self.tab is not None:
            self.tab.close()
            self.tab = None

    def go_to(self, page: str) -> bool:
        """On ``page`` (moving there first, as a click in the sidebar)."""
        if self.on_page == page:
            return True
        tab = self.tab
        assert tab is not None
        run = self.timed("switch", "切换页面", lambda: tab.open(page))
        if run is None:
            self.open()
            return False
        self.page, self.on_page = run, page
        return True

    @task(3)
    def edit_a_cell(self) -> None:
        if self.ready() and self.go_to("tables") and self.page is not None:
            sheet = self.page.components[SHEET]
            cell = f"s3.{random.choice(ROWS)}.{self.column}"
            value = str((self.number + 1) * 100000 + self.edits + 1)  # a number no other save (or the example) has
            seq = int(sheet.data.get("ack", 0)) + 1
            self.save(cell, value, lambda tab: tab.component_event(sheet, "edit", {"seq": seq, "cells": {cell: value}}))

    @task(1)
    def edit_a_field(self) -> None:
        if self.ready() and self.go_to("basic") and self.page is not None:
            field = random.choice(self.fields)
            widget_id, _old = self.page.text_inputs[field]
            value = f"{self.who}第{self.edits + 1}次填写"
            self.save(field, value, lambda tab: tab.type_text(widget_id, value))

    def ready(self) -> bool:
        if self.tab is None or self.page is None or self.version is None:  # the report did not open: try again
            self.open()
            return False
        return True

    def save(self, place: str, value: str, edit: Callable[[StreamlitTab], PageRun]) -> None:
        """One edit and its autosave; acknowledged when the page shows a newer version."""
        tab, base = self.tab, self.version
        assert tab is not None and base is not None
        self.edits += 1
        log(kind="attempt", user=self.who, report=self.report_id, field=place, value=value)

        def saved() -> PageRun:
            run = edit(tab)
            shown = shown_version(run)
            if not refusal(run) and (shown is None or shown <= base):  # a refusal is reported as itself
                raise RuntimeError(f"no new version after the save (the page shows version {shown})")
            return run

        kind = "保存（数据填报一格）" if place.startswith("s3.") else "保存（基本信息一栏）"
        run = self.timed("save", kind, saved)
        version = shown_version(run) if run is not None else None
        if run is None or version is None:
            self.open()  # as a clerk would reload the page after an error
            return
        log(kind="ack", user=self.who, report=self.report_id, field=place, value=value, version=version)
        if place.startswith("s3.") and self.page is not None:  # a fragment run redraws only the grid
            self.page.components.update(run.components)
        else:
            self.page = run  # widget ids change when another clerk's edit was merged in
        self.version = version


class Reviewer(_Tab):
    """Reviewer n reviews every fifth report; one signed-in tab per report, opened on first reading
    and kept, moving between 校验与导出 and 对照上年 as a click in the sidebar does. After one
    reading of 校验与导出 in two, a comment on the whole report through the page's form."""

    fixed_count = REVIEWERS
    wait_time = between(3, 8)  # reading a page

    def on_start(self) -> None:
        n = next(_reviewers)
        self.who = f"审核人{n}"
        self.username = f"reviewer{n}"
        self.reports = REPORTS[n::REVIEWERS] or REPORTS
        self.tabs: dict[int, StreamlitTab] = {}
        self.comments = 0

    def on_stop(self) -> None:
        for tab in self.tabs.values():
            tab.close()
        self.tabs.clear()

    @task
    def read_a_report(self) -> None:
        report_id = random.choice(self.reports)
        page = random.choice(READ_PAGES)

        def read() -> PageRun:
            tab = self.tabs.get(report_id)
            if tab is None:
                tab = signed_in_tab(SERVERS[report_id % len(SERVERS)], report_id, self.username)
                self.tabs[report_id] = tab
            return tab.open(page)

        run = self.timed("read", f"审阅（{page}）", read)
        if run is None:
            self.tabs.pop(report_id).close()  # a failed tab is closed; the next reading opens a new one
        elif page == "check_export" and random.random() < 0.5:
            self.comment(report_id, run)

    def comment(self, report_id: int, page: PageRun) -> None:
        """A comment on the whole report: typed into the form atop 校验与导出 and sent."""
        tab = self.tabs[report_id]
        self.comments += 1
        body = f"{self.who}的第{self.comments}条审核意见：请核对表三的合计。"
        box, send = page.text_areas.get("审核意见"), page.buttons.get("发表审核意见")

        def comment() -> PageRun:
            if box is None or send is None:
                raise RuntimeError("the comment form is not shown to the reviewer")
            run = tab.click(send, {box[0]: body})
            if not refusal(run) and not any(body in text for text in run.texts):
                raise RuntimeError("the comment is not shown after sending it")
            return run

        if self.timed("comment", "发表审核意见", comment) is not None:
            log(kind="comment_ack", user=self.who, report=report_id, body=body)
