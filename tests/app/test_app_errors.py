"""The app never shows a traceback: a failed save says so and keeps the typed text, a read-only
database still opens, refused input is explained, and any exception becomes a Chinese message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from gkassist.model import Report
from gkassist.storage import ReportStore
from gkassist.ui import findings_view, forms, sheet_glue, state
from tests.actors import LOCAL, as_user
from tests.app.support import APP, PAGES, edit_sheet, open_app, sheet_texts, texts
from tests.app.test_pages import example_report
from tests.test_storage_failures import limit_growth


@pytest.fixture(autouse=True)
def crash_logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    logs = tmp_path / "logs"
    monkeypatch.setenv("GKASSIST_LOG_DIR", str(logs))
    return logs


def errors(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in at.error)


# ---------------------------------------------------------------- failed saves


def test_disk_full_says_the_edit_was_not_saved_and_keeps_the_text(store: ReportStore) -> None:
    at, rid = open_app(store, Report.new("测试局", 2024), "drafting")
    lift = limit_growth(state.store())  # the app's own store (same process): the disk is now full
    typed = "公开" * 20_000
    at.text_area[0].input(typed).run()
    assert not at.exception
    assert "您的修改没有保存：服务器磁盘已满" in errors(at) and "没有丢失" in errors(at)
    assert at.text_area[0].value == typed  # the widget keeps what was typed
    assert at.session_state["report"].section("s1") == typed  # and so does the open report
    assert store.load(rid, actor=LOCAL)[0].section("s1") == "" and store.load(rid, actor=LOCAL)[1] == 1
    lift()
    at.button(key="retry_save_True").click().run()  # space freed: the same text is saved now
    assert not at.exception and "没有保存" not in errors(at)
    assert store.load(rid, actor=LOCAL)[0].section("s1") == typed


def test_read_only_database_lists_and_opens_reports_but_refuses_edits(
    store: ReportStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rid, version = store.create(example_report(), actor=as_user("张三"))
    store.engine.dispose()
    monkeypatch.setenv("GKASSIST_DATABASE_URL", f"sqlite:///file:{tmp_path / 'app.db'}?mode=ro&uri=true")
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page(f"{PAGES}/reports.py")
    at.run()
    assert not at.exception and "测试市生态环境局" in texts(at)
    at.button(key=f"open_{rid}").click().run()
    assert not at.exception and at.session_state["report_id"] == rid
    at.switch_page(f"{PAGES}/tables.py").run()
    edit_sheet(at, {"s3.new.natural": "7"})
    assert not at.exception
    assert "您的修改没有保存：数据库是只读的" in errors(at)
    assert at.session_state["report"].table("s3").get("new", "natural").raw == "7"
    assert store.load(rid, actor=LOCAL)[1] == version


def test_creating_a_report_on_a_read_only_database_says_why(
    store: ReportStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.create(Report.new("已有局", 2023), actor=LOCAL)
    monkeypatch.setenv("GKASSIST_DATABASE_URL", f"sqlite:///file:{tmp_path / 'app.db'}?mode=ro&uri=true")
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page(f"{PAGES}/reports.py")
    at.run()
    at.text_input[1].input("新建局")
    at.button[0].click().run()
    assert not at.exception
    assert "报告没有新建。保存失败：数据库是只读的" in errors(at)
    assert [s.agency for s in store.list_reports(actor=LOCAL)] == ["已有局"]


# ---------------------------------------------------------------- refused input


def test_control_character_in_agency_is_refused_and_every_page_still_works(store: ReportStore) -> None:
    at, rid = open_app(store, example_report(), "basic")
    agency = next(t for t in at.text_input if t.label == "机关名称")
    agency.input("某某\x07局").run()
    assert not at.exception
    assert "机关名称中含有不可见的控制字符" in errors(at)
    assert next(t for t in at.text_input if t.label == "机关名称").value == "某某\x07局"  # kept for correcting
    assert at.session_state["report"].meta.agency == "测试市生态环境局"
    assert store.load(rid, actor=LOCAL)[0].meta.agency == "测试市生态环境局"
    at.switch_page(f"{PAGES}/check_export.py").run()
    assert not at.exception and "校验与导出" in texts(at)


def test_control_characters_in_section_and_highlight_text_are_refused(store: ReportStore) -> None:
    at, rid = open_app(store, Report.new("测试局", 2024), "drafting")
    at.text_area[0].input("第一段\x00第二段").run()
    assert not at.exception and "含有不可见的控制字符" in errors(at)
    assert at.session_state["report"].section("s1") == "" and store.load(rid, actor=LOCAL)[0].section("s1") == ""
    at.switch_page(f"{PAGES}/highlights.py").run()
    at.text_area[0].input("亮点\x1b[31m").run()
    assert not at.exception and "工作亮点“主动公开”中含有不可见的控制字符" in errors(at)
    assert at.session_state["report"].highlights == {}


def test_five_thousand_digits_in_the_grid(store: ReportStore) -> None:
    at, rid = open_app(store, example_report(), "tables")
    edit_sheet(at, {"s3.new.natural": "9" * 5000})
    assert not at.exception
    cell = at.session_state["report"].table("s3").get("new", "natural")
    assert cell.state == "invalid" and cell.raw == "9" * 5000
    assert "数字有5000位，超过15位" in sheet_texts(at)
    assert store.load(rid, actor=LOCAL)[0].table("s3").get("new", "natural").raw == "9" * 5000  # kept as typed


def test_declared_figures_that_are_not_finite_are_explained() -> None:
    report = Report.new("测试局", 2024)
    problems = forms.apply_declared_edits(
        report, {"名称": [], "数值": [], "单位": []},
        {"added_rows": [{"名称": "发布信息", "数值": "NaN"}, {"名称": "解读\x01", "数值": "3"}, {"名称": "培训", "数值": "9" * 40}]},
    )
    assert report.declared == [] and len(problems) == 3
    assert "具体的数字" in problems[0] and "控制字符" in problems[1] and "位数过多" in problems[2]


# ---------------------------------------------------------------- unexpected exceptions


def test_exception_in_a_page_becomes_a_chinese_message(
    store: ReportStore, monkeypatch: pytest.MonkeyPatch, crash_logs: Path
) -> None:
    def broken(_report: Report) -> list[Any]:
        raise RuntimeError("a bug in a rule")

    monkeypatch.setattr(findings_view, "current_findings", broken)
    at, _ = open_app_allowing_errors(store, example_report(), "check_export")
    assert not at.exception
    message = errors(at)
    assert "显示“校验与导出”页时程序内部出错" in message and "错误编号：crash" in message
    assert "RuntimeError" not in message and "Traceback" not in texts(at)
    (log,) = crash_logs.iterdir()
    assert "RuntimeError: a bug in a rule" in log.read_text(encoding="utf-8")


def test_exception_in_a_widget_callback_becomes_a_chinese_message(
    store: ReportStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    at, _ = open_app(store, example_report(), "tables")

    def broken(*_args: Any) -> Any:
        raise RuntimeError("a bug in the grid")

    monkeypatch.setattr(sheet_glue, "apply_edit", broken)
    edit_sheet(at, {"s3.new.natural": "7"})
    assert not at.exception
    assert "保存表格时程序内部出错" in errors(at) or "显示表格时程序内部出错" in errors(at)


def open_app_allowing_errors(store: ReportStore, report: Report, page: str) -> tuple[AppTest, int]:
    at = AppTest.from_file(APP, default_timeout=30)
    rid, version = store.create(report, actor=as_user("测试员"))
    at.session_state["report"] = report
    at.session_state["report_id"] = rid
    at.session_state["version"] = version
    at.switch_page(f"{PAGES}/{page}.py")
    at.run()
    return at, rid


@pytest.mark.parametrize("value", ["9" * 30, "abc", "-1"])
def test_report_address_that_is_no_report_id(store: ReportStore, value: str) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["report"] = value
    at.switch_page(f"{PAGES}/tables.py")
    at.run()
    assert not at.exception and not at.error
    assert "还没有打开报告" in texts(at)
