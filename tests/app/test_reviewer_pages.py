"""AppTest for the reviewer's pages: 审核 (one report beside last year's, read-only) and the
reviewer's home on 批量审核 (the assigned agencies' reports, filtered, sorted, linked)."""

from __future__ import annotations

import re
from datetime import datetime
from html import escape

from streamlit.testing.v1 import AppTest

from gkassist.access import Actor
from gkassist.acknowledgements import acknowledge
from gkassist.checks import check_report
from gkassist.examples import load_example
from gkassist.model import Report
from gkassist.storage import ReportStore
from gkassist.ui import acting, forms
from tests.actors import LOCAL
from tests.app.support import APP, PAGES, texts

AGENCY = "测试市生态环境局"
REVIEWER = Actor(username="shen", role="reviewer", agencies=(AGENCY,), display_name="沈审核")


def with_last_year() -> Report:
    this = forms.report_from_example(load_example("example-2021"), AGENCY, 2024)
    last = forms.report_from_example(load_example("example-2021"), AGENCY, 2023)
    last.table("s3").set("new", "total", "24")
    last.table("s3").set("carried_out", "natural", "4")
    this.last_year = last
    return this


def run_page(page: str, report_id: int | None = None, actor: Actor | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if actor is not None:
        at.session_state[acting.SIGNED_IN] = actor
    at.switch_page(f"{PAGES}/{page}.py")
    if report_id is not None:
        at.query_params["report"] = str(report_id)
    at.run()
    assert not at.exception, at.exception
    return at


def tables_html(at: AppTest) -> list[str]:
    return [str(e.proto.body) for e in at.get("html") if "gk-cmp" in str(e.proto.body) and "<table>" in str(e.proto.body)]


def test_reviewer_view_side_by_side_with_verdicts_once(store: ReportStore) -> None:
    report = with_last_year()
    c2 = next(f for f in check_report(report) if f.code == "C2")
    acknowledge(report, c2, note="本年制发件数含修订，已在第六部分说明", now=datetime(2025, 1, 10, 9, 30))
    rid, _ = store.create(report, actor=LOCAL)
    at = run_page("review", rid, REVIEWER)
    shown = texts(at)
    assert f"{AGENCY} 2024年度" in shown and "审核状态：起草中 · 第1版" in shown
    assert shown.count("A6 上年结转与上年报告衔接（逐列）：1处不一致") == 1
    assert shown.count("【错误 A6】") == 1 and shown.count("【警告 X9】") == 1  # each finding once on the page
    assert len(re.findall("^雷同：", shown, re.M)) == 1 and "超过提示阈值70%（" in shown
    assert len(re.findall("^上年问题整改：", shown, re.M)) == 1 and "一个也没有提到" in shown
    assert "填报人已确认（2025-01-10 09:30，本年制发件数含修订，已在第六部分说明）" in shown
    assert "填报人尚未确认此警告" in shown
    grids = tables_html(at)
    assert len(grids) == 6  # 表二、三、四, last year beside this year
    s3_last, s3_this = grids[2], grids[3]
    for side, value in ((s3_last, "24"), (s3_this, "30")):
        assert re.search(rf'<td class="[^"]*biggest[^"]*" title="上年 24，本年 30，变化 \+6（\+25%）">{value}</td>', side)
    assert "表三**，2个单元格与上年不同" in shown
    sections = [e.label for e in at.expander if "句" in e.label]
    assert len(sections) == 3 and sections[0].startswith("一、总体情况：未变")  # the text, last year beside this
    # read-only: nothing on the page changes the report (the one button leads to where the moves are)
    assert [b.key for b in at.button] == ["review_decide"]
    assert not at.text_input and not at.text_area and not at.number_input and not at.checkbox
    assert store.load(rid, actor=LOCAL)[1] == 1


def test_reviewer_view_without_last_year_shows_this_year_alone(store: ReportStore) -> None:
    report = forms.report_from_example(load_example("example-2021"), AGENCY, 2024)
    rid, _ = store.create(report, actor=LOCAL)
    at = run_page("review", rid, Actor(username="li", role="clerk", agencies=(AGENCY,)))
    assert not at.button  # a clerk reads the view; returning and approving are the reviewer's
    shown = texts(at)
    assert "没有关联上年报告（2023年度），无法与上年对照" in shown
    assert "与上年核对" not in shown and not re.findall("^雷同：", shown, re.M)
    assert len(tables_html(at)) == 3  # this year's 表二、三、四 alone, nothing marked
    assert not any("changed" in g or "biggest" in g for g in tables_html(at))
    assert "校验结果" in shown


def test_reviewer_view_refuses_another_agencys_report_by_its_address(store: ReportStore) -> None:
    mine, _ = store.create(forms.new_report(AGENCY, 2024, None), actor=LOCAL)
    other, _ = store.create(forms.new_report("别的县教育局", 2024, None), actor=LOCAL)
    at = run_page("review", other, REVIEWER)
    shown = texts(at)
    assert "无权查看报告" in shown and "不是您负责的单位" in shown
    assert "别的县教育局 2024年度" not in shown and not tables_html(at)
    assert at.selectbox(key="review_pick").options == [f"{AGENCY} 2024年度（编号{mine}）"]  # only the assigned


def test_reviewer_view_unknown_report_and_picker(store: ReportStore) -> None:
    at = run_page("review", 999)
    assert "找不到编号为999的报告" in texts(at)
    rid, _ = store.create(forms.new_report("<b>某局</b>", 2024, None), actor=LOCAL)
    at = run_page("review")
    assert "请在上方选择一份报告" in texts(at)
    at.selectbox(key="review_pick").set_value(rid).run()
    assert not at.exception, at.exception
    assert "<b>某局</b> 2024年度" in texts(at)  # the agency shown as text
    assert at.query_params["report"] == str(rid)  # a reload shows the same report


def test_reviewer_home_lists_the_assigned_agencies_reports(store: ReportStore) -> None:
    rid, _ = store.create(with_last_year(), actor=LOCAL)
    store.create(forms.new_report("别的县教育局", 2024, None), actor=LOCAL)
    at = run_page("audit", actor=REVIEWER)
    assert [t.label for t in at.tabs] == ["负责单位的报告", "上传文件审核"]
    rows = at.dataframe[0].value
    assert list(rows["单位"]) == [AGENCY]  # the other agency is not the reviewer's
    assert list(rows["审核视图"]) == [f"review?report={rid}"]
    assert list(rows["审核状态"]) == ["起草中"] and rows["未解决错误"][0] >= 1
    assert rows["期限"][0].startswith(("已逾期", "还剩", "今天截止"))
    assert "共1份报告，当前显示1份" in texts(at)
    link = at.get("page_link")[0].proto
    assert link.page == "review" and link.query_string == f"report={rid}"
    at.multiselect(key="home_status").set_value(["submitted"]).run()
    assert not at.exception, at.exception
    assert at.dataframe[0].value.empty and "当前显示0份" in texts(at)
    at.multiselect(key="home_status").set_value([]).run()
    at.selectbox(key="home_sort").set_value("errors").run()
    at.toggle(key="home_overdue").set_value(True).run()
    assert not at.exception, at.exception
    assert len(at.dataframe[0].value) in (0, 1)


def test_reviewer_home_empty(store: ReportStore) -> None:
    at = run_page("audit", actor=REVIEWER)
    assert "还没有您负责的单位的报告" in texts(at)
    assert "请先上传报告文件" in texts(at)  # the batch audit of files is still there


def test_reviewer_view_shows_hostile_text_as_text(store: ReportStore) -> None:
    from tests.app.test_untrusted_text import assert_inert, markdown_sources
    from tests.untrusted import ATTACK, hostile_last_year, hostile_report

    report = hostile_report()
    report.last_year = hostile_last_year()
    rid, _ = store.create(report, actor=LOCAL)
    at = run_page("review", rid)
    assert_inert(markdown_sources(at))
    for grid in tables_html(at):
        assert "<img" not in grid and "<a " not in grid and "<script" not in grid.lower()
    assert any(escape(ATTACK) in g for g in tables_html(at))  # the hostile cell is there, as text


def test_reviewer_view_and_home_show_the_open_comments(store: ReportStore) -> None:
    from gkassist.storage.comments import Anchor, CommentStore

    rid, _ = store.create(with_last_year(), actor=LOCAL)
    comments = CommentStore(store.engine)
    comments.add(rid, Anchor.report(), "请补充第六部分的收费说明。\n第二行![x](http://example.invalid/a.png)", actor=REVIEWER)
    second = comments.add(rid, Anchor.report(), "表三已核对。", actor=REVIEWER)
    comments.resolve(second, actor=REVIEWER)
    at = run_page("review", rid, REVIEWER)
    shown = texts(at)
    assert "未解决1条，已解决1条" in shown
    assert "未解决 · 整份报告 · 沈审核（shen）：请补充第六部分的收费说明。" in shown
    assert not at.text_area  # read here; answered where the comment applies
    assert any("\\!\\[x\\]" in str(e.value) for e in at.warning)  # the comment's text, escaped
    at = run_page("audit", actor=REVIEWER)
    assert list(at.dataframe[0].value["未解决意见"]) == [1]


def test_a_submitted_report_waits_on_the_home_and_says_so_in_the_view(store: ReportStore) -> None:
    from gkassist.storage.review import ReviewStore

    report = forms.report_from_example(load_example("example-2021"), AGENCY, 2024)
    for f in check_report(report):
        acknowledge(report, f, note="已核实")
    rid, _ = store.create(report, actor=LOCAL)
    ReviewStore(store.engine).transition(rid, "submitted", actor=LOCAL)
    at = run_page("audit", actor=REVIEWER)
    assert "待审核1份" in texts(at) and list(at.dataframe[0].value["审核状态"]) == ["待审核"]
    at.multiselect(key="home_status").set_value(["submitted"]).run()
    assert list(at.dataframe[0].value["审核视图"]) == [f"review?report={rid}"]
    at = run_page("review", rid, REVIEWER)
    assert "审核状态：待审核 · 第1版" in texts(at)
    at.button(key="review_decide").click().run()  # to where the reviewer returns or approves it
    assert not at.exception, at.exception
    assert "校验与导出" in [t.value for t in at.title]
    assert {b.key for b in at.button} >= {"review_approved", "review_returned"}
    assert at.session_state["report_id"] == rid
