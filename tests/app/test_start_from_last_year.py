"""从上年报告开始 on 报告列表, and re-importing last year's report on 基本信息 (issue 14)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from gkassist.examples import SEED_TEXT, load_example
from gkassist.last_year.start import start_from_last_year
from gkassist.model import Contact, Report
from gkassist.storage import ReportStore
from tests.actors import LOCAL, as_user
from tests.app.support import PAGES, open_app, texts


def last_2023() -> Report:
    last = load_example("example-2021")
    last.meta.year = 2023
    last.meta.agency = "测试市生态环境局"
    last.meta.contact = Contact(office="测试市生态环境局办公室", phone="0571-12345678")
    return last


def page_links(at: AppTest) -> list[str]:
    return [str(e.proto.label) for e in at.get("page_link")]


def test_the_start_page_offers_both_ways_to_begin(store: ReportStore) -> None:
    at, _ = open_app(store, None, "reports")
    shown = texts(at)
    assert "新建空白报告" in shown and "从上年报告开始" in shown
    assert "本系统中还没有报告" in shown


def test_starting_from_an_uploaded_last_year_file(store: ReportStore) -> None:
    at, _ = open_app(store, None, "reports", timeout=120)
    at.file_uploader(key="start_upload").set_value(("昌江区工信局2024年报.txt", SEED_TEXT.read_bytes(), "text/plain")).run()
    at.button(key="start_from_upload").click().run()
    assert not at.exception, at.exception
    report = at.session_state["report"]
    assert report.meta.year == 2025 and report.meta.contact.phone == "0798-8335879"
    assert report.last_year is not None and report.last_year.meta.year == 2024
    saved, _ = store.load(at.session_state["report_id"], actor=LOCAL)
    assert saved.table("s3").cells["carried_in"] and saved.last_year is not None
    shown = texts(at)
    assert "已新建并打开" in shown and "2025年度" in shown and "共7列" in shown
    assert "已预填" not in shown  # one summary, not a box per column
    links = page_links(at)
    assert {"联系方式", "上年报告（对照基准）", "五、存在的主要问题及改进情况"} <= set(links)
    assert any(label.startswith("表三") for label in links)


def test_starting_from_a_stored_report(store: ReportStore) -> None:
    store.create(last_2023(), actor=as_user("测试员"))
    at, _ = open_app(store, None, "reports")
    at.button(key="start_from_stored").click().run()
    assert not at.exception, at.exception
    report = at.session_state["report"]
    assert (report.meta.agency, report.meta.year) == ("测试市生态环境局", 2024)
    assert report.meta.contact.office == "测试市生态环境局办公室"
    assert [(s.agency, s.year) for s in store.list_reports(actor=LOCAL)].count(("测试市生态环境局", 2024)) == 1


def started(store: ReportStore) -> tuple[AppTest, int, Report]:
    last = last_2023()
    report, _ = start_from_last_year(last)
    at, rid = open_app(store, report, "basic", timeout=120)
    return at, rid, last


def test_re_importing_shows_before_and_after_and_applies_on_confirmation(store: ReportStore) -> None:
    at, rid, last = started(store)
    corrected = last.model_copy(deep=True)
    corrected.table("s3").set("carried_out", "natural", "9")
    at.file_uploader[0].set_value(("2023更正.json", corrected.model_dump_json().encode(), "application/json")).run()
    at.button(key="import_last_year").click().run()
    assert not at.exception, at.exception
    changes = at.dataframe[0].value
    row = changes[changes["项目"].str.contains("自然人")].iloc[0]
    assert (row["现在"], row["改为"]) == (last.table("s3").get("carried_out", "natural").display(), "9")
    assert store.load(rid, actor=LOCAL)[0].table("s3").get("carried_in", "natural").raw != "9"  # nothing applied yet
    at.button(key="import_pending_apply").click().run()
    assert not at.exception, at.exception
    saved = store.load(rid, actor=LOCAL)[0]
    assert saved.table("s3").get("carried_in", "natural").raw == "9"
    assert saved.last_year is not None and saved.last_year.table("s3").get("carried_out", "natural").raw == "9"
    assert "已按重新导入的上年报告更新" in texts(at)


def test_re_import_cancelled_changes_nothing(store: ReportStore) -> None:
    at, rid, last = started(store)
    corrected = last.model_copy(deep=True)
    corrected.table("s3").set("carried_out", "natural", "9")
    before = store.load(rid, actor=LOCAL)
    at.file_uploader[0].set_value(("2023更正.json", corrected.model_dump_json().encode(), "application/json")).run()
    at.button(key="import_last_year").click().run()
    at.button(key="import_pending_cancel").click().run()
    assert not at.exception, at.exception
    assert store.load(rid, actor=LOCAL)[1] == before[1] and not at.dataframe


def test_this_years_own_file_is_refused_until_overridden_and_the_override_shows_on_compare(store: ReportStore) -> None:
    at, rid, _ = started(store)
    own = at.session_state["report"].model_copy(deep=True)  # this year's own report, 2024
    own.last_year = None
    at.file_uploader[0].set_value(("2024.json", own.model_dump_json().encode(), "application/json")).run()
    at.button(key="import_last_year").click().run()
    assert not at.exception, at.exception
    assert "同一年度" in texts(at) and at.button(key="import_pending_override").disabled
    assert store.load(rid, actor=LOCAL)[0].last_year.meta.year == 2023  # type: ignore[union-attr]
    at.checkbox(key="import_pending_sure").check().run()
    at.button(key="import_pending_override").click().run()
    at.button(key="import_pending_apply").click().run()  # a re-import: the before/after list first
    assert not at.exception, at.exception
    saved = store.load(rid, actor=LOCAL)[0]
    assert saved.last_year is not None and saved.last_year.meta.year == 2024
    assert saved.last_year_override is not None and saved.last_year_override.year == 2024
    at.switch_page(f"{PAGES}/compare.py").run()
    assert not at.exception, at.exception
    assert "对照的是2024年度的报告，不是2023年度的报告" in texts(at)


def test_the_summary_and_the_override_show_hostile_text_as_text(store: ReportStore) -> None:
    from tests.app.test_untrusted_text import assert_inert, attack_shown, markdown_sources
    from tests.untrusted import hostile_last_year

    last = hostile_last_year()  # the attack in the agency, the narrative and the problems
    store.create(last, actor=as_user("测试员"))
    at, _ = open_app(store, None, "reports", timeout=60)
    at.button(key="start_from_stored").click().run()
    assert not at.exception, at.exception
    assert "已新建并打开" in texts(at) and attack_shown(at)
    assert_inert(markdown_sources(at))
    at.switch_page(f"{PAGES}/basic.py").run()
    own = at.session_state["report"].model_copy(deep=True)  # the refusal names the agency too
    own.last_year = None
    at.file_uploader[0].set_value(("本年.json", own.model_dump_json().encode(), "application/json")).run()
    at.button(key="import_last_year").click().run()
    assert not at.exception, at.exception
    assert "同一年度" in texts(at)
    assert_inert(markdown_sources(at))
