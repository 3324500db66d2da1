"""工作亮点: a pair of fields (整改措施, 整改结果) per problem of last year's report, the matters of
六; what is typed is saved with the report, the check list says which problem has nothing
entered, and the drafted 五 writes only what was entered."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from gkassist.model import Report
from gkassist.storage import ReportStore
from tests.actors import LOCAL
from tests.app.support import APP, PAGES, open_app, texts

LAST_S5 = (
    "（一）存在的主要问题\n"
    "一是本局政府信息公开工作取得了新的进展，但主动公开的及时性还不够；"
    "二是政策解读形式单一，2023年仅发布解读3篇。\n"
    "（二）改进措施\n下一步，本局将加强培训。"
)


def a_report() -> Report:
    last = Report.new("某市某局", 2023)
    last.sections["s5"] = LAST_S5
    report = Report.new("某市某局", 2024)
    report.last_year = last
    return report


def area(at: AppTest, label: str, index: int = 0):  # type: ignore[no-untyped-def]
    found = [t for t in at.text_area if t.label == label]
    assert len(found) > index, [t.label for t in at.text_area]
    return found[index]


def test_each_problem_has_its_fields_saved_with_the_report(store: ReportStore) -> None:
    at, rid = open_app(store, a_report(), "highlights")
    body = texts(at)
    assert "上年问题整改情况" in body
    assert "问题1：主动公开的及时性还不够" in body and "问题2：政策解读形式单一" in body
    assert "取得了新的进展" not in body  # the problem, not last year's whole sentence
    assert len([t for t in at.text_area if t.label == "整改措施"]) == 2
    area(at, "整改措施", 0).input("建立信息发布提醒机制").run()
    assert not at.exception
    saved = store.load(rid, actor=LOCAL)[0].rectifications
    assert [(r.problem, r.measures, r.result) for r in saved] == [("主动公开的及时性还不够", "建立信息发布提醒机制", "")]
    area(at, "整改结果", 0).input("重点信息当日发布").run()
    saved = store.load(rid, actor=LOCAL)[0].rectifications
    assert [(r.measures, r.result) for r in saved] == [("建立信息发布提醒机制", "重点信息当日发布")]
    # a matter of 六 is a highlight of its own
    area(at, "人大代表建议和政协提案办理").input("建议提案办理复文按规定公开。").run()
    assert store.load(rid, actor=LOCAL)[0].highlights == {"人大代表建议和政协提案办理": "建议提案办理复文按规定公开。"}

    # nothing typed is lost: another session opening the saved report sees every field
    again = AppTest.from_file(APP, default_timeout=30)
    again.session_state["report"] = store.load(rid, actor=LOCAL)[0]
    again.session_state["report_id"] = rid
    again.session_state["version"] = store.load(rid, actor=LOCAL)[1]
    again.switch_page(f"{PAGES}/highlights.py").run()
    assert not again.exception
    assert area(again, "整改措施", 0).value == "建立信息发布提醒机制"
    assert area(again, "整改结果", 0).value == "重点信息当日发布"
    assert area(again, "整改措施", 1).value == "" and area(again, "人大代表建议和政协提案办理").value.startswith("建议")

    # the check list names the problem with nothing entered, and only that one
    at.switch_page(f"{PAGES}/check_export.py").run()
    assert not at.exception
    body = texts(at)
    assert "上年问题「政策解读形式单一」未填写整改情况" in body
    assert "上年问题「主动公开的及时性还不够」未填写整改情况" not in body

    # the template's 五 writes what was entered, and claims nothing about the other problem
    at.switch_page(f"{PAGES}/drafting.py").run()
    at.radio(key="draft_section").set_value("s5").run()
    at.button(key="generate").click().run()
    assert not at.exception
    cand = at.session_state[f"candidate_{rid}_s5"]
    assert "建立信息发布提醒机制；重点信息当日发布" in cand.text
    assert "针对“政策解读形式单一”" not in cand.text and "总体良好" not in cand.text


def test_clearing_both_fields_removes_the_entry(store: ReportStore) -> None:
    at, rid = open_app(store, a_report(), "highlights")
    area(at, "整改结果", 1).input("推出图解解读").run()
    assert [r.problem for r in store.load(rid, actor=LOCAL)[0].rectifications] == ["政策解读形式单一"]
    area(at, "整改结果", 1).input("").run()
    assert not at.exception and store.load(rid, actor=LOCAL)[0].rectifications == []


def test_control_characters_are_refused_in_chinese(store: ReportStore) -> None:
    at, rid = open_app(store, a_report(), "highlights")
    area(at, "整改措施", 0).input("措施\x07").run()
    assert not at.exception
    assert "上年问题「主动公开的及时性还不够」的整改措施中含有不可见的控制字符" in texts(at)
    assert store.load(rid, actor=LOCAL)[0].rectifications == []
    assert area(at, "整改措施", 0).value == "措施\x07"  # kept on screen for correcting


def test_without_last_years_report_the_page_says_where_to_attach_it(store: ReportStore) -> None:
    at, _rid = open_app(store, Report.new("某市某局", 2024), "highlights")
    assert "尚未导入上年度报告" in texts(at)
    assert not [t for t in at.text_area if t.label in ("整改措施", "整改结果")]
