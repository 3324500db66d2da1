"""AppTest for every page, with state seeded; the LLM is not used (template drafter only)."""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from streamlit.testing.v1 import AppTest

from gkassist import totals
from gkassist.drafting.settings import LLMSettings
from gkassist.examples import load_example
from gkassist.last_year import carry_over
from gkassist.model import Report
from gkassist.storage import ReportStore
from gkassist.ui import downloads, drafting_glue, findings_view, forms, last_year_source, llm_session, table_sheet
from tests.actors import LOCAL, as_user
from tests.app.support import APP, PAGES, edit_sheet, open_app, send_sheet_edit, sheet_data, sheet_texts, texts


def example_report() -> Report:
    return forms.report_from_example(load_example("example-2021"), "测试市生态环境局", 2024)


def sheet_key(at: AppTest, table: str) -> str:
    """The key of the grid component showing ``table`` (new after 按明细填写合计 redraws it)."""
    return f"sheet_{at.session_state['report_id']}_{at.session_state['gen']}_{table}"


# ---------------------------------------------------------------- 报告列表


def test_report_list_create_open_delete(store: ReportStore) -> None:
    at, _ = open_app(store, None, "reports")
    at.text_input(key="author_input").input("张三")
    at.text_input[1].input("某某市生态环境局")
    at.number_input[0].set_value(2020)
    at.button[0].click().run()  # form submit
    assert not at.exception
    summaries = store.list_reports(actor=LOCAL)
    assert [(s.agency, s.year, s.format, s.updated_by) for s in summaries] == [("某某市生态环境局", 2020, "gk2019", "张三")]
    assert "2019年试行格式" in texts(at)  # the format's one name (rules/layouts/gk2019.yaml)
    assert at.session_state["report"].meta.format == "gk2019"
    store.create(Report.new("另一局", 2023), actor=LOCAL)
    at.run()
    assert "另一局" in texts(at)
    rid = summaries[0].id
    at.button(key=f"delete_{rid}").click().run()
    assert "确定删除" in texts(at)
    at.button(key=f"confirm_delete_{rid}").click().run()
    assert [s.agency for s in store.list_reports(actor=LOCAL)] == ["另一局"]
    assert "report" not in at.session_state


def test_report_list_requires_agency(store: ReportStore) -> None:
    at, _ = open_app(store, None, "reports")
    at.button[0].click().run()
    assert "请填写机关名称" in texts(at)
    assert store.list_reports(actor=LOCAL) == []


def test_report_list_format_override_and_restore_version(store: ReportStore) -> None:
    at, _ = open_app(store, None, "reports")
    at.text_input[1].input("某某局")
    at.number_input[0].set_value(2024)
    at.selectbox[0].set_value("gk2019")
    at.button[0].click().run()
    rid = store.list_reports(actor=LOCAL)[0].id
    assert store.load(rid, actor=LOCAL)[0].meta.format == "gk2019"
    report = at.session_state["report"]
    report.sections["s1"] = "第二版"
    at.session_state["version"] = store.save(rid, report, 1, actor=as_user("测试员"))
    at.run()
    at.button(key="restore_1").click().run()
    assert not at.exception
    assert store.load(rid, actor=LOCAL) [0].section("s1") == "" and store.load(rid, actor=LOCAL)[1] == 3


# ---------------------------------------------------------------- 数据填报


def test_tables_page_without_report_points_to_list(store: ReportStore) -> None:
    at, _ = open_app(store, None, "tables")
    assert "请先到“报告列表”页新建或打开一份报告" in texts(at)


def test_table_edit_wrong_total_then_fill_totals(store: ReportStore) -> None:
    at, rid = open_app(store, example_report(), "tables")
    assert "本表没有发现问题" in texts(at)
    assert at.radio(key="table_choice").value == "s3"
    key = sheet_key(at, "s3")
    edit_sheet(at, {"s3.new.total": "999"})
    assert not at.exception
    report: Report = at.session_state["report"]
    assert report.table("s3").get("new", "total").raw == "999"
    data = sheet_data(at)
    assert data["ack"] == 1 and data["values"]["s3.new.total"] == "999"
    assert "A3" in sheet_texts(at)
    assert data["rowMarks"]["new"] == "错误A1、A3"  # beside the row's cells
    assert store.load(rid, actor=LOCAL)[0].table("s3").get("new", "total").raw == "999"  # autosaved
    assert store.load(rid, actor=LOCAL)[1] == 2
    at.button(key="fill_totals").click().run()
    assert not at.exception
    assert "由“999”改为" in texts(at)
    assert "本表没有发现问题" in texts(at)
    assert sheet_data(at)["rowMarks"] == {} and sheet_data(at)["marks"] == {}
    assert store.load(rid, actor=LOCAL)[0].table("s3").get("new", "total").raw != "999"
    assert sheet_key(at, "s3") != key  # the grid is drawn anew from the report


@pytest.mark.parametrize(
    ("typed", "message"),
    [("-1", "为负数"), ("abc", "不是数字"), ("1.5", "带有小数")],
)
def test_invalid_input_is_kept_and_explained(store: ReportStore, typed: str, message: str) -> None:
    at, rid = open_app(store, example_report(), "tables")
    edit_sheet(at, {"s3.carried_in.natural": typed})
    cell = at.session_state["report"].table("s3").get("carried_in", "natural")
    assert cell.raw == typed
    assert message in sheet_texts(at)
    assert sheet_data(at)["marks"]["s3.carried_in.natural"]["severity"] == "error"  # the cell itself is marked
    assert store.load(rid, actor=LOCAL)[0].table("s3").get("carried_in", "natural").raw == typed


def test_edits_resent_until_acknowledged_are_applied_once(store: ReportStore) -> None:
    at, rid = open_app(store, example_report(), "tables")
    edit_sheet(at, {"s3.new.natural": "11"})
    send_sheet_edit(at, {"s3.new.natural": "11", "s3.carried_in.natural": "3"}, 2)  # the first one again, unacknowledged
    table = at.session_state["report"].table("s3")
    assert (table.get("new", "natural").raw, table.get("carried_in", "natural").raw) == ("11", "3")
    assert sheet_data(at)["ack"] == 2
    assert store.load(rid, actor=LOCAL)[1] == 3  # one saved version per edit that changed something
    send_sheet_edit(at, {"s3.new.natural": "11"}, 2)  # a delta sent twice changes nothing
    assert store.load(rid, actor=LOCAL)[1] == 3


def test_blank_stays_blank_and_unknown_cells_are_ignored(store: ReportStore) -> None:
    at, rid = open_app(store, example_report(), "tables")
    edit_sheet(at, {"s3.new.biz": "", "s3.carried_in.biz": "/", "s3.nope.biz": "5", "s4.cases.review_upheld": "9"})
    saved = store.load(rid, actor=LOCAL)[0]
    assert saved.table("s3").get("new", "biz").state == "blank"  # never 0
    assert saved.table("s3").get("carried_in", "biz").raw == "/"
    assert saved.table("s4").get("cases", "review_upheld").raw != "9"  # another table's cell is not this grid's
    assert "表三有1个空白单元格" in texts(at)


def test_blank_cells_are_one_line_and_fill_zero_records_it(store: ReportStore) -> None:
    report = Report.new("测试局", 2024)
    report.table("s3").set("new", "natural", "5")
    at, rid = open_app(store, report, "tables")
    assert "表三有174个空白单元格" in texts(at)
    assert "G1" not in sheet_texts(at) and len(at.warning) == 0  # no wall of warnings
    assert not [m for m in sheet_data(at)["rowMarks"].values() if "G1" in m]
    at.button(key="fill_zero_s3").click().run()
    assert not at.exception
    assert "空白处填0：表三的174个空白单元格已填为0" in texts(at)
    saved, version = store.load(rid, actor=LOCAL)
    assert saved.table("s3").get("new", "natural").raw == "5"  # a typed figure stays
    assert saved.table("s3").get("new", "total").raw == "0"  # a blank total is filled, not computed
    assert saved.table("s4").get("cases", "review_upheld").state == "blank"  # only this table
    (latest,) = [v for v in store.versions(rid, actor=LOCAL) if v.version == version]
    assert "空白处填0" in latest.note
    assert "空白单元格" not in texts(at).replace("174个空白单元格已填为0", "")


def test_a_failing_column_sum_marks_its_total_and_parts_on_the_page(store: ReportStore) -> None:
    at, _ = open_app(store, example_report(), "tables")
    edit_sheet(at, {"s3.carried_out.research": "5"})  # A1 down the 科研机构 column, A3 along row 四
    data = sheet_data(at)
    a1 = [a for a, m in data["marks"].items() if "A1" in m["tip"]]
    assert sorted(a1) == sorted(f"s3.{r}.research" for r in ("new", "carried_in", "r_total", "carried_out"))
    assert all(data["marks"][a]["severity"] == "error" for a in a1)
    listed = next(f for f in data["findings"] if "A1" in f["text"])
    assert sorted(listed["cells"]) == sorted(a1)  # the list under the table links to the same cells
    assert "s3.r_open.research" not in data["marks"]


def test_table_four_and_two_render_as_printed(store: ReportStore) -> None:
    at, _ = open_app(store, example_report(), "tables")
    at.radio(key="table_choice").set_value("s4").run()
    assert not at.exception
    header = sheet_data(at)["structure"]["blocks"][0]["header"]
    assert [(h["text"], h["colspan"]) for h in header[0][1:3]] == [("行政复议", 5), ("行政诉讼", 10)]
    assert [(h["text"], h["colspan"]) for h in header[1] if h["colspan"] > 1] == [("未经复议直接起诉", 5), ("复议后起诉", 5)]
    at.radio(key="table_choice").set_value("s2").run()
    assert [b["head"] for b in sheet_data(at)["structure"]["blocks"]][:2] == ["第二十条第（一）项", "第二十条第（五）项"]


def test_conflict_is_reported_in_chinese_not_overwritten(store: ReportStore) -> None:
    at, rid = open_app(store, example_report(), "tables")
    other = store.load(rid, actor=LOCAL)[0]
    other.table("s3").set("new", "natural", "9")
    store.save(rid, other, 1, actor=as_user("李四"))  # someone else saved the same cell meanwhile
    edit_sheet(at, {"s3.new.natural": "1"})
    assert "已被“李四”修改" in texts(at)
    assert store.load(rid, actor=LOCAL)[1] == 2
    assert store.load(rid, actor=LOCAL)[0].table("s3").get("new", "natural").raw == "9"
    at.button(key="reload_after_conflict").click().run()
    assert not at.exception and at.session_state["version"] == 2


def test_edits_of_other_fields_saved_meanwhile_are_kept_and_shown(store: ReportStore) -> None:
    at, rid = open_app(store, example_report(), "basic")
    other = store.load(rid, actor=LOCAL)[0]
    other.meta.contact.address = "李四填写的地址"
    store.save(rid, other, 1, actor=as_user("李四"))  # someone else, another field
    next(t for t in at.text_input if t.label == "电话").input("010-66666666").run()
    assert not at.exception
    saved, version = store.load(rid, actor=LOCAL)
    assert version == 3
    assert saved.meta.contact.phone == "010-66666666" and saved.meta.contact.address == "李四填写的地址"
    assert next(t for t in at.text_input if t.label == "地址").value == "李四填写的地址"
    assert any("“李四”" in t.value and "都已保留" in t.value for t in at.toast)


# ---------------------------------------------------------------- 基本信息


def test_basic_info_edits_autosave(store: ReportStore) -> None:
    at, rid = open_app(store, example_report(), "basic")
    agency = next(t for t in at.text_input if t.label == "机关名称")
    agency.input("新名称局").run()
    phone = next(t for t in at.text_input if t.label == "电话")
    phone.input("010-88888888").run()
    assert not at.exception
    saved = store.load(rid, actor=LOCAL)[0]
    assert saved.meta.agency == "新名称局" and saved.meta.contact.phone == "010-88888888"
    next(t for t in at.text_input if t.label == "机关名称").input("  ").run()
    assert "机关名称不能为空" in texts(at)
    assert store.load(rid, actor=LOCAL)[0].meta.agency == "新名称局"


def test_basic_info_level_selector_sets_the_deadline(store: ReportStore) -> None:
    from datetime import date

    from gkassist.checks import check_report

    report = example_report()
    report.meta.publication_date = date(2025, 3, 10)  # late for a department, in time for a government
    assert [f.code for f in check_report(report) if f.code == "F4"] == ["F4"]
    at, rid = open_app(store, report, "basic")
    level = next(s for s in at.selectbox if s.label == "报告主体")
    assert level.value == "department" and "1月31日" in level.format_func(level.value)
    level.set_value("government").run()
    assert not at.exception
    saved = store.load(rid, actor=LOCAL)[0]
    assert saved.meta.level == "government"
    assert not [f for f in check_report(saved) if f.code == "F4"]


def test_import_last_year_prefills_carried_in(store: ReportStore, monkeypatch: pytest.MonkeyPatch) -> None:
    last = load_example("example-2021")
    last.meta.year = 2023
    this = Report.new("测试局", 2024)
    outcome = last_year_source.read_last_year(this, last.model_dump_json().encode(), "2023.json", prefill=True)
    assert outcome.ok, outcome.messages
    assert this.last_year is not None
    expected = last.table("s3").get("carried_out", "natural").raw
    assert this.table("s3").get("carried_in", "natural").raw == expected
    assert carry_over.carried_in_prefilled(this)
    at, _ = open_app(store, this, "basic")
    assert "预填的数字" in texts(at)
    tables, _ = open_app(store, this, "tables")  # the grid says so beside the row as well
    marks = sheet_data(tables)["rowMarks"]
    assert table_sheet.PREFILLED_MARK in marks["carried_in"]
    assert all(table_sheet.PREFILLED_MARK not in m for row, m in marks.items() if row != "carried_in")


def test_import_unreadable_file_shows_chinese_error() -> None:
    this = Report.new("测试局", 2024)
    outcome = last_year_source.read_last_year(this, b"\x00\x01garbage", "x.txt", prefill=True)
    assert not outcome.ok and outcome.messages[-1][0] == "error"
    assert this.last_year is None


# ---------------------------------------------------------------- 工作亮点


def test_highlights_and_declared_figures(store: ReportStore) -> None:
    at, rid = open_app(store, Report.new("测试局", 2024), "highlights")
    at.text_area[0].input("全年主动公开各类信息。").run()
    assert store.load(rid, actor=LOCAL)[0].highlights == {"主动公开": "全年主动公开各类信息。"}
    key = f"declared_{rid}_{at.session_state['gen']}"
    at.session_state[key] = {"edited_rows": {}, "added_rows": [{"名称": "政策解读", "数值": "3", "单位": "篇"}, {"名称": "培训", "数值": "三"}], "deleted_rows": []}
    at.run()
    assert not at.exception
    declared = store.load(rid, actor=LOCAL)[0].declared
    assert [(d.label, d.value, d.unit) for d in declared] == [("政策解读", 3, "篇")]
    assert "不是数字" in texts(at)


# ---------------------------------------------------------------- 起草


def test_drafting_template_streams_a_candidate_the_clerk_adopts(store: ReportStore) -> None:
    report = example_report()
    report.sections.pop("s1")
    at, rid = open_app(store, report, "drafting")
    assert at.radio(key="drafter").options == ["内置模板"]
    at.button(key="generate").click().run()
    assert not at.exception
    assert store.load(rid, actor=LOCAL)[0].section("s1") == ""  # a candidate: nothing written yet
    at.button(key="adopt").click().run()
    text = store.load(rid, actor=LOCAL)[0].section("s1")
    assert text and text == at.session_state["report"].section("s1")
    assert "起草方式：内置模板" in texts(at)
    saved = store.load(rid, actor=LOCAL)[0].drafts["s1"]
    assert (saved.drafter, saved.text) == ("template", text)  # who wrote it is saved with the report
    area = at.text_area[-1]
    area.input(text + "\n我们手工补充的一句。").run()
    assert store.load(rid, actor=LOCAL)[0].section("s1").endswith("我们手工补充的一句。")
    assert "之后已人工修改" in texts(at)
    at.button(key="generate").click().run()  # a new candidate never replaces what staff wrote
    assert store.load(rid, actor=LOCAL)[0].section("s1").endswith("我们手工补充的一句。")
    at.button(key="discard").click().run()
    assert store.load(rid, actor=LOCAL)[0].section("s1").endswith("我们手工补充的一句。")
    # a new browser session (refresh, restart) still says which drafter wrote the text
    again, _ = open_app(store, store.load(rid, actor=LOCAL)[0], "drafting")
    assert "起草方式：内置模板" in texts(again) and "之后已人工修改" in texts(again)


def test_drafting_page_manual_edit_autosaves(store: ReportStore) -> None:
    at, rid = open_app(store, Report.new("测试局", 2024), "drafting")
    assert "本部分尚无文字" in texts(at)
    at.radio(key="draft_section").set_value("s5").run()
    at.text_area[0].input("存在的问题：公开内容不够全面。").run()
    assert store.load(rid, actor=LOCAL)[0].section("s5") == "存在的问题：公开内容不够全面。"
    assert "人工撰写或从文件导入" in texts(at)


# ---------------------------------------------------------------- 校验与导出


def test_check_export_gate_and_acknowledgement(store: ReportStore) -> None:
    report = example_report()  # publication date empty -> F4 warning
    at, rid = open_app(store, report, "check_export")
    assert not at.exception
    assert "download_checked" not in at.session_state or not at.session_state["download_checked"]
    body = texts(at)
    assert "F4" in body and "尚未确认" in body
    ack_keys = [b.key for b in at.button if str(b.key).startswith("ack_")]
    assert ack_keys
    for key in ack_keys:
        at.button(key=key).click().run()
        assert not at.exception
    saved = store.load(rid, actor=LOCAL)[0]
    assert {a.code for a in saved.acknowledgements} == {"F4"} and all(a.at for a in saved.acknowledgements)
    assert "已确认" in texts(at)
    assert downloads.export_checked(saved).allowed


def test_check_export_errors_block_checked_download(store: ReportStore) -> None:
    at, _ = open_app(store, Report.new("测试局", 2024), "check_export")
    body = texts(at)
    assert "暂不能提交审核" in body and "请到“数据填报”页修改" in body  # the review loop: submission blocked
    assert "尚未审核通过" in body  # only drafts before approval
    assert downloads.export_draft(at.session_state["report"])


# ---------------------------------------------------------------- 设置


def test_settings_stay_in_the_session_and_report_failure(store: ReportStore) -> None:
    at, _ = open_app(store, None, "settings")
    at.text_input(key="llm_base_url").input("http://127.0.0.1:9/v1")
    at.text_input(key="llm_model").input("fake-model")
    at.text_input(key="llm_api_key").input("sk-test")
    at.button(key="test_llm").click().run()
    assert not at.exception
    body = texts(at)
    assert "连接失败" in body and "无法连接大模型服务（http://127.0.0.1:9/v1）" in body
    assert "“设置”页" in body and "Error" not in body  # the page's own field named, no exception class
    own = at.session_state[llm_session.SESSION_KEY]  # kept in this browser session only (issue 11)
    assert own.api_key.get_secret_value() == "sk-test" and own.key_for == "http://127.0.0.1:9/v1"
    assert at.text_input(key="llm_api_key").value == ""  # the key does not stay in the field


def test_settings_connection_success_against_fake_server(store: ReportStore) -> None:
    from tests.fakes.llm_server import FakeLLMServer, Reply

    with FakeLLMServer() as srv:
        srv.queue(Reply("好"), Reply("好"))
        ok, message = drafting_glue.test_llm_connection(LLMSettings(base_url=srv.base_url, model="m", api_key=SecretStr("x")))
        assert ok and "连接成功" in message, message
        keyless = LLMSettings(base_url=srv.base_url, model="m")  # a local Ollama or vLLM needs no key
        ok, message = drafting_glue.test_llm_connection(keyless)
        assert ok and "连接成功" in message, message


def test_settings_come_from_streamlit_secrets(store: ReportStore) -> None:
    from tests.fakes.llm_server import FakeLLMServer, Reply

    reply = (  # a whole 一、总体情况: a draft without its five sub-headings is rejected (rule P4)
        "（一）主动公开\n本机关认真贯彻落实《条例》，扎实推进主动公开工作。\n（二）依申请公开\n依法规范办理政府信息公开申请。\n"
        "（三）政府信息管理\n严格执行保密审查制度。\n（四）政府信息公开平台建设\n持续优化政府信息公开专栏。\n"
        "（五）监督保障\n落实专人负责，定期研究部署。"
    )
    report = example_report()
    report.sections.pop("s1")
    with FakeLLMServer(default=Reply(reply)) as srv:
        at = AppTest.from_file(str(APP), default_timeout=30)
        at.secrets["GKASSIST_LLM_BASE_URL"] = srv.base_url
        at.secrets["GKASSIST_LLM_MODEL"] = "qwen2.5"
        at.switch_page(f"{PAGES}/settings.py")
        at.run()
        assert not at.exception
        body = texts(at)
        # the server's settings are used but never shown on the page (issue 11)
        assert "管理员已配置服务器默认大模型" in body and "本会话正在使用服务器默认大模型" in body
        assert str(srv.port) not in body and "qwen2.5" not in body
        assert at.text_input(key="llm_base_url").value == "" and at.text_input(key="llm_model").value == ""
        rid, version = store.create(report, actor=as_user("测试员"))
        at.session_state["report"], at.session_state["report_id"], at.session_state["version"] = report, rid, version
        at.switch_page(f"{PAGES}/drafting.py").run()
        at.radio(key="drafter").set_value("llm").run()
        at.button(key="generate").click().run()
        assert not at.exception
        assert srv.requests and srv.requests[0].body["model"] == "qwen2.5"
        at.button(key="adopt").click().run()
        assert "扎实推进主动公开工作" in store.load(rid, actor=LOCAL)[0].section("s1")


# ---------------------------------------------------------------- actions (the logic behind the pages)


def test_fill_totals_writes_only_from_complete_parts() -> None:
    report = example_report()
    table = report.table("s3")
    table.set("new", "total", "999")
    table.set("r_total", "natural", "0")
    table.set("carried_in", "biz", "")  # blank part: that row's total is not computed
    notes = totals.fill_totals(report, "s3")
    assert any("由“999”改为" in n for n in notes)
    assert any("二、上年结转政府信息公开申请数量" in n and "未计算合计" in n for n in notes)
    assert table.get("new", "total").value == sum(table.get("new", c).value or 0 for c in ("natural", "biz", "research", "public_welfare", "legal_service", "other_org"))
    assert table.get("r_total", "natural").value != 0
    assert totals.fill_totals(report, "s3") == [n for n in totals.fill_totals(report, "s3") if "未计算合计" in n]


def test_group_findings_and_where_to_fix() -> None:
    report = Report.new("测试局", 2024)
    groups = findings_view.group_findings(findings_view.current_findings(report))
    assert groups[0].severity == "error"
    assert [g.severity for g in groups] == sorted((g.severity for g in groups), key=["error", "warning", "info"].index)
    table_finding = next(f for g in groups for f in g.findings if f.location.table)
    assert "请到“数据填报”页修改" in findings_view.where_to_fix(table_finding)


def test_acknowledge_only_warnings_once_with_time() -> None:
    report = example_report()
    findings = findings_view.current_findings(report)
    warning = next(f for f in findings if f.severity == "warning")
    assert findings_view.acknowledge(report, warning, "核实")
    assert not findings_view.acknowledge(report, warning, "再次")
    assert report.acknowledgements[0].at is not None
    assert findings_view.open_warnings(report, findings_view.current_findings(report)) == []
    error = findings_view.current_findings(Report.new("测试局", 2024))[0]
    assert not findings_view.acknowledge(report, error)


def test_drafting_with_llm_against_fake_server(store: ReportStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fakes.llm_server import FakeLLMServer, Reply, Status

    reply = (  # a whole 一、总体情况: a draft without its five sub-headings is rejected (rule P4)
        "（一）主动公开\n本机关认真贯彻落实《条例》，扎实推进主动公开工作。\n（二）依申请公开\n依法规范办理政府信息公开申请。\n"
        "（三）政府信息管理\n严格执行保密审查制度。\n（四）政府信息公开平台建设\n持续优化政府信息公开专栏。\n"
        "（五）监督保障\n落实专人负责，定期研究部署。"
    )
    report = example_report()
    report.sections.pop("s1")
    with FakeLLMServer(default=Reply(reply)) as srv:
        monkeypatch.setenv("GKASSIST_LLM_BASE_URL", srv.base_url)  # the server's settings
        monkeypatch.setenv("GKASSIST_LLM_MODEL", "fake-model")
        monkeypatch.setenv("GKASSIST_LLM_API_KEY", "sk-fake")
        at, rid = open_app(store, report, "drafting")
        at.radio(key="drafter").set_value("llm").run()
        at.button(key="generate").click().run()
        assert not at.exception
        assert srv.requests, "the LLM was not called"
        body = texts(at)
        assert "起草方式：大模型" in body and "fake-model" in body
        at.button(key="adopt").click().run()
        assert "扎实推进主动公开工作" in store.load(rid, actor=LOCAL)[0].section("s1")
        # a failing LLM never replaces what is there
        srv.default = Status(401, "invalid key")
        at.button(key="generate").click().run()  # text unchanged since the last draft: no question
        assert not at.exception
        body = texts(at)
        assert "HTTP 401" in body and "联系管理员" in body and "GKASSIST_LLM_API_KEY" in body
        assert str(srv.port) not in body  # the administrator's address is not shown
        assert "扎实推进主动公开工作" in store.load(rid, actor=LOCAL)[0].section("s1")
        at.button(key="use_alternative").click().run()  # the template draft offered instead, as a candidate
        assert not at.exception
        assert "候选稿（内置模板）" in texts(at)
        at.button(key="adopt").click().run()
        assert "扎实推进主动公开工作" not in store.load(rid, actor=LOCAL)[0].section("s1")
        assert store.load(rid, actor=LOCAL)[0].drafts["s1"].drafter == "template"


def test_check_export_offers_drafts_in_three_formats_until_approved(store: ReportStore) -> None:
    report = example_report()
    report.acknowledgements = []
    from datetime import date

    report.meta.publication_date = date(2025, 1, 20)
    at, _ = open_app(store, report, "check_export")
    labels = [str(getattr(e.proto, "label", "")) for e in at.get("download_button")]
    # clean but not yet approved: 草稿 in three formats (the 正式稿 after approval: tests/app/test_review_loop_app.py)
    assert labels == ["下载 Markdown 草稿（含元数据，可再导入）", "下载网页草稿", "下载 Word 草稿"]
    disabled = [bool(getattr(e.proto, "disabled", False)) for e in at.get("download_button")]
    assert disabled == [False, False, False]


def test_check_export_disables_checked_downloads_on_errors(store: ReportStore) -> None:
    at, _ = open_app(store, Report.new("测试局", 2024), "check_export")
    buttons = {str(e.proto.label): bool(e.proto.disabled) for e in at.get("download_button")}
    assert buttons == {"下载 Markdown 草稿（含元数据，可再导入）": False, "下载网页草稿": False, "下载 Word 草稿": False}
    assert at.button(key="review_submitted").disabled  # errors block the submission, hence the 正式稿


def test_drafting_page_marks_every_number_with_its_class(store: ReportStore) -> None:
    report = example_report()
    report.sections["s1"] = "本年度共收到政府信息公开申请31件，上年结转3件。2024年发布信息*356条*。"
    at, _ = open_app(store, report, "drafting")
    body = texts(at)
    assert at.expander[0].label == "数字核对：本部分4个数字，2个需要核实"  # 31件 mismatched, 356条 ungrounded
    assert ":red[**31件**]" in body and ":green[**3件**]" in body  # 31 differs from 表三's 30
    assert "不一致" in body and "一致" in body


def test_number_marks_escape_markdown_and_count_classes() -> None:
    from gkassist.ui.number_marks import number_marks

    report = example_report()
    report.sections["s5"] = "收费$0元，*强调*：收到申请30件。\n最后一行"
    marks = number_marks(report, "s5")
    assert marks.markdown == "收费\\$:orange[**0元**]，\\*强调\\*：收到申请:green[**30件**]。  \n最后一行"
    assert [(r["数字"], r["核对结果"]) for r in marks.rows] == [("0元", "无依据"), ("30件", "一致")]
    assert marks.counts == {"ungrounded": 1, "matched": 1} and marks.problems == 1
