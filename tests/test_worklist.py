"""The reviewer's worklist (批量审核): the reports of the assigned agencies with status, open
errors and warnings, open comments and days to the deadline; filtered, sorted, exported as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from gkassist import agency_level
from gkassist.access import AccessDenied, Actor
from gkassist.acknowledgements import acknowledge
from gkassist.agency_level import deadline
from gkassist.checks import check_report
from gkassist.examples import load_example
from gkassist.model import Report
from gkassist.storage import ReportStore
from gkassist.storage import worklist as wl
from gkassist.storage.audit_log import read_entries
from gkassist.ui import forms
from tests.actors import LOCAL

MINE, OTHER = "甲市生态环境局", "乙市交通运输局"
REVIEWER = Actor(username="shen", role="reviewer", agencies=(MINE, "丙县人民政府"))


@pytest.fixture
def store(tmp_path: Path) -> ReportStore:
    return ReportStore(f"sqlite:///{tmp_path / 'w.db'}")


def example(agency: str, year: int) -> Report:
    return forms.report_from_example(load_example("example-2021"), agency, year)


def test_deadline_by_level_from_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    assert deadline("department", 2024) == date(2025, 1, 31)
    assert deadline("government", 2024) == date(2025, 3, 31)
    rules = agency_level.level_rules().model_copy(deep=True)
    rules.levels["department"] = rules.levels["department"].model_copy(update={"deadline_month": 2, "deadline_day": 30})
    monkeypatch.setattr(agency_level, "level_rules", lambda: rules)
    assert deadline("department", 2023) == date(2024, 2, 29)  # a day past the month's end: its last day
    assert deadline("department", 2024) == date(2025, 2, 28)


def test_rows_of_the_assigned_agencies_only_with_counts_and_days(store: ReportStore) -> None:
    mine_id, _ = store.create(example(MINE, 2024), actor=LOCAL)
    store.create(example(OTHER, 2024), actor=LOCAL)
    gov = example("丙县人民政府", 2024)
    gov.meta.level = "government"
    gov_id, _ = store.create(gov, actor=LOCAL)
    items = wl.worklist(store, REVIEWER, date(2025, 2, 3))
    assert [i.agency for i in items] == [MINE, "丙县人民政府"]  # deadline soonest first, the other agency absent
    mine = next(i for i in items if i.report_id == mine_id)
    expected = check_report(store.load(mine_id, actor=LOCAL)[0])
    assert mine.open_errors == sum(1 for f in expected if f.severity == "error")
    assert mine.open_warnings == sum(1 for f in expected if f.severity == "warning")
    assert (mine.deadline, mine.days_left, mine.days_zh, mine.overdue) == (date(2025, 1, 31), -3, "已逾期3天", True)
    gov_item = next(i for i in items if i.report_id == gov_id)
    assert (gov_item.deadline, gov_item.days_left, gov_item.days_zh, gov_item.overdue) == (date(2025, 3, 31), 56, "还剩56天", False)
    assert mine.status == "drafting" and mine.status_zh == "起草中"  # no status recorded: being drafted
    assert wl.worklist(store, Actor.single_user("本机"), date(2025, 1, 31))[0].days_zh == "今天截止"
    assert len(wl.worklist(store, Actor.single_user("本机"), date(2025, 1, 1))) == 3  # the local user sees all


def test_acknowledged_warnings_are_not_open(store: ReportStore) -> None:
    report = example(MINE, 2024)
    warnings = [f for f in check_report(report) if f.severity == "warning"]
    assert warnings
    acknowledge(report, warnings[0], note="已核实")
    rid, _ = store.create(report, actor=LOCAL)
    (item,) = wl.worklist(store, REVIEWER, date(2025, 1, 1))
    assert item.report_id == rid and item.open_warnings == len(warnings) - 1


def test_status_and_comments_come_from_their_one_function(store: ReportStore, monkeypatch: pytest.MonkeyPatch) -> None:
    a, _ = store.create(example(MINE, 2024), actor=LOCAL)
    b, _ = store.create(example(MINE, 2023), actor=LOCAL)
    monkeypatch.setattr(wl, "report_statuses", lambda _s, ids, _a: {i: "published" if i == b else "submitted" for i in ids})
    monkeypatch.setattr(wl, "open_comment_counts", lambda _s, ids, _a: {i: 2 if i == a else 0 for i in ids})
    items = wl.worklist(store, REVIEWER, date(2025, 6, 1))
    by_id = {i.report_id: i for i in items}
    assert by_id[a].status_zh == "待审核" and by_id[a].open_comments == 2 and by_id[a].overdue
    assert by_id[b].days_zh == "已发布" and not by_id[b].overdue  # a published report is not overdue
    assert [i.report_id for i in items] == [a, b]  # published ones after the ones still due
    assert [i.report_id for i in wl.filter_items(items, statuses=["submitted"])] == [a]
    assert [i.report_id for i in wl.filter_items(items, overdue_only=True)] == [a]
    assert wl.filter_items(items, agencies=[OTHER]) == []
    assert [i.report_id for i in wl.sort_items(items, "status")] == [a, b]  # 待审核 before 已发布
    assert [i.report_id for i in wl.sort_items(items, "comments")] == [a, b]


def test_sorts(store: ReportStore) -> None:
    clean = example(MINE, 2024)
    broken = example("丙县人民政府", 2024)
    broken.table("s3").set("new", "total", "999999")  # 总计 ≠ the sum of its columns: an error
    store.create(clean, actor=LOCAL)
    store.create(broken, actor=LOCAL)
    items = wl.worklist(store, REVIEWER, date(2025, 1, 1))
    by_errors = wl.sort_items(items, "errors")
    assert by_errors[0].agency == "丙县人民政府" and (by_errors[0].open_errors or 0) > (by_errors[1].open_errors or 0)
    assert [i.agency for i in wl.sort_items(items, "agency")] == sorted(i.agency for i in items)
    assert set(wl.SORTS) == {"deadline", "status", "agency", "errors", "comments"}


def test_a_report_that_cannot_be_read_is_listed_with_the_reason(store: ReportStore) -> None:
    rid, _ = store.create(example(MINE, 2024), actor=LOCAL)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE report_versions SET data = '{\"meta\": 1}' WHERE report_id = :r"), {"r": rid})
    (item,) = wl.worklist(store, REVIEWER, date(2025, 1, 1))
    assert item.open_errors is None and "不符合当前的报告格式" in item.problem
    row = wl.item_row(item)
    assert row[4] == "" and row[5] == ""  # unknown counts stay blank, never 0


def test_loading_another_agencys_report_is_refused(store: ReportStore) -> None:
    other, _ = store.create(example(OTHER, 2024), actor=LOCAL)
    with pytest.raises(AccessDenied, match="不是您负责的单位"):
        wl.load_report(store, other, REVIEWER)
    refusals = [e for e in read_entries(store.engine) if e.action == "access_denied"]
    assert refusals and refusals[-1].actor == "shen"  # recorded by the store


def test_csv_is_excel_ready_chinese_and_safe(store: ReportStore) -> None:
    store.create(example("=HYPERLINK(\"http://x\")局", 2024), actor=LOCAL)
    store.create(example(MINE, 2024), actor=LOCAL)
    items = wl.worklist(store, Actor.single_user(), date(2025, 2, 10))
    data = wl.worklist_csv(items)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark: Excel and WPS show Chinese
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(wl.HEADER) and rows[0][:4] == ["报告编号", "单位", "年度", "审核状态"]
    assert len(rows) == 3
    agencies = [r[1] for r in rows[1:]]
    assert "'=HYPERLINK(\"http://x\")局" in agencies  # a formula is neutralised
    days = {r[1]: r for r in rows[1:]}[MINE]
    assert days[8] == "-10" and days[9] == "已逾期10天"  # the day count stays a number


def test_a_new_version_is_checked_again(store: ReportStore) -> None:
    report = example(MINE, 2024)
    rid, version = store.create(report, actor=LOCAL)
    (before,) = wl.worklist(store, REVIEWER, date(2025, 1, 1))
    report.table("s3").set("new", "total", "999999")  # 总计 ≠ its columns: one more error
    store.save(rid, report, version, actor=LOCAL)
    (after,) = wl.worklist(store, REVIEWER, date(2025, 1, 1))
    assert after.version == version + 1
    assert (after.open_errors or 0) > (before.open_errors or 0)
    assert wl.worklist(store, REVIEWER, date(2025, 1, 1)) == [after]  # the same rows from the checked versions


def test_open_comments_are_counted_from_the_comment_store(store: ReportStore) -> None:
    from gkassist.storage.comments import Anchor, CommentStore

    a, _ = store.create(example(MINE, 2024), actor=LOCAL)
    b, _ = store.create(example(MINE, 2023), actor=LOCAL)
    comments = CommentStore(store.engine)
    for body in ("请核对表三。", "请补充说明。"):
        comments.add(a, Anchor.report(), body, actor=REVIEWER)
    comments.resolve(comments.add(b, Anchor.report(), "已改。", actor=REVIEWER), actor=REVIEWER)
    by_id = {i.report_id: i.open_comments for i in wl.worklist(store, REVIEWER, date(2025, 1, 1))}
    assert by_id == {a: 2, b: 0}  # a resolved comment is not open


def test_statuses_come_from_the_review_store(store: ReportStore) -> None:
    from gkassist.storage.review import ReviewStore

    ready = example(MINE, 2024)
    for f in check_report(ready):
        acknowledge(ready, f, note="已核实")
    submitted, _ = store.create(ready, actor=LOCAL)
    drafting, _ = store.create(example(MINE, 2023), actor=LOCAL)
    ReviewStore(store.engine).transition(submitted, "submitted", actor=LOCAL)
    items = wl.worklist(store, REVIEWER, date(2025, 1, 1))
    assert {i.report_id: i.status_zh for i in items} == {submitted: "待审核", drafting: "起草中"}
    assert [i.report_id for i in wl.filter_items(items, statuses=["submitted"])] == [submitted]
    assert next(i for i in items if i.report_id == submitted).open_warnings == 0
