"""历史版本 (AppTest): who saved each version and when, the difference between two chosen versions,
restoring one as a new version; the version line names the version just saved; the clerk's name
comes back from the address."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from gkassist.examples import load_example
from gkassist.model import Report
from gkassist.places import cell_name
from gkassist.storage import ReportStore
from gkassist.ui import forms
from tests.actors import LOCAL, as_user
from tests.app.support import APP, PAGES, edit_sheet, open_app, texts


def _three_versions(store: ReportStore) -> tuple[AppTest, int]:
    """A report saved by three people: 测试员 creates it, 李四 fills a cell, 王五 writes a sentence."""
    report = Report.new("某某市生态环境局", 2024)
    at, rid = open_app(store, report, "reports")
    report.table("s3").set("new", "natural", "5")
    v2 = store.save(rid, report, 1, actor=as_user("李四"), note="填报表三")
    report.sections["s1"] = "本机关主动公开信息120条。"
    v3 = store.save(rid, report, v2, actor=as_user("王五"), note="修改一、总体情况")
    at.session_state["report"] = report
    at.session_state["version"] = v3
    at.run()
    assert not at.exception, at.exception
    return at, rid


def test_history_lists_who_saved_each_version_and_when(store: ReportStore) -> None:
    at, _ = _three_versions(store)
    listing = at.dataframe[0].value
    assert list(listing.columns) == ["版本", "保存时间（北京时间）", "保存人", "说明"]
    assert list(listing["版本"]) == ["第3版", "第2版", "第1版"]
    assert list(listing["保存人"]) == ["王五", "李四", "测试员"]
    assert list(listing["说明"]) == ["修改一、总体情况", "填报表三", "新建报告"]
    assert all(len(t) == 19 and t[4] == "-" for t in listing["保存时间（北京时间）"])


def test_history_shows_cells_and_sentences_changed_between_two_chosen_versions(store: ReportStore) -> None:
    at, rid = _three_versions(store)
    # by default: the version before the current one against the current one
    assert "从第2版到第3版，改动了文字1处（1句）。" in texts(at)
    assert "本机关主动公开信息120条。" in texts(at)
    at.selectbox(key=f"history_older_{rid}").set_value(1).run()
    assert not at.exception
    assert "从第1版到第3版，改动了表格单元格1个、文字1处（1句）。" in texts(at)
    cells = at.dataframe[1].value
    assert list(cells.columns) == ["单元格", "原值", "新值"]
    assert list(cells.itertuples(index=False, name=None)) == [(cell_name("gk2021", "s3", "new", "natural"), "空白", "5")]
    assert "一、总体情况" in texts(at) and "【新增】" in texts(at)


def test_restore_makes_a_new_version_and_the_version_line_follows(store: ReportStore) -> None:
    at, rid = _three_versions(store)
    at.selectbox(key=f"history_older_{rid}").set_value(1).run()
    at.button(key="restore_1").click().run()
    assert not at.exception
    loaded, version = store.load(rid, actor=LOCAL)
    assert version == 4 and loaded.section("s1") == "" and loaded.table("s3").get("new", "natural").state == "blank"
    latest = store.versions(rid, actor=LOCAL)[0]
    assert (latest.version, latest.note) == (4, "由第1版恢复")
    assert at.session_state["version"] == 4
    assert "已将第1版的内容恢复为第4版（由第1版恢复）。" in texts(at)
    assert at.button(key="restore_3")  # the version it replaced can be restored in turn
    at.switch_page(f"{PAGES}/basic.py").run()
    assert "第4版（自动保存）" in texts(at)


def test_version_line_names_the_version_a_table_edit_just_saved(store: ReportStore) -> None:
    """The table page saves edit state after the version line is drawn: the line follows."""
    report = forms.report_from_example(load_example("example-2021"), "测试市生态环境局", 2024)
    at, rid = open_app(store, report, "tables")
    assert "第1版（自动保存）" in texts(at)
    for version, value in ((2, "11"), (3, "12")):
        edit_sheet(at, {"s3.new.natural": value})
        assert not at.exception
        assert store.load(rid, actor=LOCAL)[1] == version
        captions = [c.value for c in at.caption if "自动保存" in c.value]
        assert captions == [f"当前报告：测试市生态环境局 2024年度 · 第{version}版（自动保存） · 状态：起草中"]


def test_the_name_in_the_address_is_recorded_on_every_save(store: ReportStore) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["by"] = "赵科员"
    at.run()
    assert at.text_input(key="author_input").value == "赵科员"
    at.text_input[1].input("署名局")
    at.button[0].click().run()  # 新建报告
    assert not at.exception
    [summary] = store.list_reports(actor=LOCAL)
    assert summary.updated_by == "赵科员"
    at.switch_page(f"{PAGES}/highlights.py").run()
    area = at.text_area[0]
    area.input("一句亮点。").run()
    assert [v.author for v in store.versions(summary.id, actor=LOCAL)] == ["赵科员", "赵科员"]
    assert at.query_params["by"] == "赵科员"  # in the address for the next reload


def test_a_clerk_without_a_name_is_recorded_blank_and_shown_unnamed(store: ReportStore) -> None:
    at, rid = open_app(store, Report.new("无名局", 2024), "highlights")
    at.session_state["author"] = ""
    at.text_area[0].input("一句亮点。").run()
    assert store.versions(rid, actor=LOCAL)[0].author == ""  # nothing is recorded as 未署名用户
    at.switch_page(f"{PAGES}/reports.py").run()
    assert list(at.dataframe[0].value["保存人"]) == ["未署名用户", "测试员"]


def test_a_hostile_name_in_the_address_is_cleaned_and_bounded(store: ReportStore) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["by"] = "王\x00科\x1b员" + "长" * 5000
    at.run()
    assert not at.exception
    shown = at.text_input(key="author_input").value
    assert shown.startswith("王科员") and len(shown) == 50
    at.text_input[1].input("署名局")
    at.button[0].click().run()
    assert not at.exception
    assert store.list_reports(actor=LOCAL)[0].updated_by == shown
