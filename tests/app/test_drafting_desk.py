"""The drafting desk (issue 13): a draft is a candidate beside the text, adopted only by staff and
undone in one click; findings belong to the text on screen; what the drafter left out is said."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from gkassist.drafting.candidate import Candidate
from gkassist.drafting.omissions import unused_declared
from gkassist.examples import load_example
from gkassist.model import Report
from gkassist.storage import ReportStore
from gkassist.ui import forms
from tests.actors import LOCAL
from tests.app.support import open_app, texts
from tests.fakes.llm_server import FakeLLMServer, Reply

CLEAN = (
    "（一）主动公开\n本机关认真贯彻落实《条例》，扎实推进主动公开工作。\n（二）依申请公开\n依法规范办理政府信息公开申请。\n"
    "（三）政府信息管理\n严格执行保密审查制度。\n（四）政府信息公开平台建设\n持续优化政府信息公开专栏。\n"
    "（五）监督保障\n落实专人负责，定期研究部署。"
)
WRONG = "2023年共受理政府信息公开申请999件。"  # a wrong year (N2) and a number the tables contradict (X1)
WITH_ERRORS = CLEAN.replace("扎实推进主动公开工作。", "扎实推进主动公开工作。" + WRONG)


def a_report() -> Report:
    report = forms.report_from_example(load_example("example-2021"), "测试市生态环境局", 2024)
    report.sections.pop("s1")
    return report


def candidate(at: AppTest, rid: int, section: str = "s1") -> Candidate | None:
    key = f"candidate_{rid}_{section}"
    value = at.session_state[key] if key in at.session_state else None  # noqa: SIM401 (no .get on AppTest state)
    assert value is None or isinstance(value, Candidate)
    return value


def error_boxes(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error] + [str(w.value) for w in at.warning]


@pytest.fixture
def bad_llm(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLLMServer]:
    """A model that keeps writing the same wrong sentence, whatever it is told."""
    with FakeLLMServer(default=Reply(WITH_ERRORS)) as srv:
        monkeypatch.setenv("GKASSIST_LLM_BASE_URL", srv.base_url)
        monkeypatch.setenv("GKASSIST_LLM_MODEL", "fake-model")
        monkeypatch.setenv("GKASSIST_LLM_API_KEY", "sk-fake")
        yield srv


def test_template_draft_is_a_candidate_adopted_and_undone(store: ReportStore) -> None:
    report = a_report()
    report.sections["s1"] = "（一）主动公开\n我们手写的一句。"
    at, rid = open_app(store, report, "drafting")
    at.button(key="generate").click().run()
    assert not at.exception
    cand = candidate(at, rid)
    assert cand is not None and cand.drafter == "template" and cand.text.strip()
    # nothing is written until staff adopt: neither the session's report nor the saved one
    assert store.load(rid, actor=LOCAL)[0].section("s1") == "（一）主动公开\n我们手写的一句。"
    assert at.session_state["report"].section("s1") == "（一）主动公开\n我们手写的一句。"
    body = texts(at)
    assert "候选稿（内置模板）" in body and any("按句比较" in e.label for e in at.expander)
    assert "【删去】" in body and "【新增】" in body  # the sentence diff against the current text
    assert not at.button(key="adopt").disabled
    at.button(key="adopt").click().run()
    assert not at.exception
    saved = store.load(rid, actor=LOCAL)[0]
    assert saved.section("s1") == cand.text and saved.drafts["s1"].drafter == "template"
    assert candidate(at, rid) is None
    assert "起草方式：内置模板" in texts(at)
    # one click puts the text before adoption back, and the history holds both
    at.button(key="undo_adopt").click().run()
    assert not at.exception
    saved = store.load(rid, actor=LOCAL)[0]
    assert saved.section("s1") == "（一）主动公开\n我们手写的一句。" and "s1" not in saved.drafts
    notes = [v.note for v in store.versions(rid, actor=LOCAL)]
    assert any("采用" in n and "候选稿" in n for n in notes) and any("撤销采用" in n for n in notes)


def test_discard_and_adopt_then_edit(store: ReportStore) -> None:
    at, rid = open_app(store, a_report(), "drafting")
    at.button(key="generate").click().run()
    at.button(key="discard").click().run()
    assert candidate(at, rid) is None and store.load(rid, actor=LOCAL)[0].section("s1") == ""
    at.button(key="generate").click().run()
    at.button(key="adopt_edit").click().run()
    assert not at.exception
    assert store.load(rid, actor=LOCAL)[0].section("s1").strip()
    assert "已采用候选稿，请在下方正文中修改" in texts(at)
    section_area = at.text_area[-1]
    section_area.input(section_area.value + "\n手工补充。").run()
    assert store.load(rid, actor=LOCAL)[0].section("s1").endswith("手工补充。")


def test_model_candidate_with_errors_cannot_be_adopted_until_clean(store: ReportStore, bad_llm: FakeLLMServer) -> None:
    at, rid = open_app(store, a_report(), "drafting")
    at.radio(key="drafter").set_value("llm").run()
    at.button(key="generate").click().run()
    assert not at.exception
    cand = candidate(at, rid)
    assert cand is not None and cand.drafter == "llm" and WRONG in cand.text
    assert len(bad_llm.requests) > 1 and len(cand.attempts) == len(bad_llm.requests)
    assert [a.label for a in cand.attempts][:2] == ["第1稿", "第2稿"]
    assert cand.attempts[1].reasons and any("N2" in r for r in cand.attempts[1].reasons)  # why it was asked again
    assert store.load(rid, actor=LOCAL)[0].section("s1") == ""  # never written without the clerk
    assert "申报数字“政策解读（18篇）”没有写入候选稿" in texts(at)  # what the model left out is said
    adopt = at.button(key="adopt")
    assert adopt.disabled and "不能直接采用" in texts(at)
    # each error is shown once, under its own sentence
    boxes = error_boxes(at)
    assert sum("N2" in b for b in boxes) == 1 and sum("X1" in b for b in boxes) == 1
    assert any(WRONG.removesuffix("。") in str(m.value).replace("\\", "") for m in at.markdown)
    # the clerk fixes the candidate in place: the findings are those of the new text, the errors go
    edit = next(a for a in at.text_area if str(a.key).startswith("cand_text_"))
    edit.input(CLEAN).run()
    assert not at.exception
    assert not any("N2" in b or "X1" in b for b in error_boxes(at))
    assert not at.button(key="adopt").disabled
    at.button(key="adopt").click().run()
    saved = store.load(rid, actor=LOCAL)[0]
    assert saved.section("s1") == CLEAN and "人工修改后采用" in saved.drafts["s1"].summary
    assert not any("N2" in b or "X1" in b or "2023年" in b for b in error_boxes(at))
    # another section shows nothing of 一
    at.radio(key="draft_section").set_value("s5").run()
    assert not any("一、总体情况" in b for b in error_boxes(at))


def test_section_findings_follow_the_text_on_screen(store: ReportStore) -> None:
    report = a_report()
    report.sections["s1"] = WITH_ERRORS
    at, _ = open_app(store, report, "drafting")
    boxes = error_boxes(at)
    assert sum("N2" in b for b in boxes) == 1  # once, not once per source
    at.text_area[-1].input(CLEAN).run()
    assert not any("N2" in b or "X1" in b for b in error_boxes(at))
    at.text_area[-1].input(WITH_ERRORS).run()
    at.radio(key="draft_section").set_value("s6").run()
    assert not any("N2" in b or "X1" in b or "一、总体情况" in b for b in error_boxes(at))


def test_model_candidate_with_errors_can_be_swapped_for_the_template(store: ReportStore, bad_llm: FakeLLMServer) -> None:
    at, rid = open_app(store, a_report(), "drafting")
    at.radio(key="drafter").set_value("llm").run()
    at.button(key="generate").click().run()
    at.button(key="take_template").click().run()
    assert not at.exception
    cand = candidate(at, rid)
    assert cand is not None and cand.drafter == "template" and WRONG not in cand.text
    assert not at.button(key="adopt").disabled


def test_what_the_template_left_out_is_said_and_fixed_in_one_click(store: ReportStore) -> None:
    report = a_report()
    report.highlights["主动公开"] = "组织政务公开业务培训2次。"
    at, rid = open_app(store, report, "drafting")
    at.button(key="generate").click().run()
    cand = candidate(at, rid)
    assert cand is not None and "培训2次" not in cand.text
    body = texts(at)
    assert "「组织政务公开业务培训2次。」含有未申报的数字“2次”，未写入" in body
    assert "请在“工作亮点”页的申报数字中登记“业务培训次数”（2次）后重新起草" in body
    fix = next(b for b in at.button if str(b.key).startswith("fix_s1_"))
    fix.click().run()
    assert not at.exception
    saved = store.load(rid, actor=LOCAL)[0]
    assert any(d.label == "业务培训次数" and d.value == 2 and d.unit == "次" for d in saved.declared)
    cand = candidate(at, rid)
    assert cand is not None and "培训2次" in cand.text and not cand.omissions  # redrafted with it


def test_unused_declared_figures_are_those_of_the_section_not_written() -> None:
    report = a_report()
    labels = {d.label for d in report.declared}
    assert {"主动公开政府信息", "政策解读", "信息处理费收费通知"} <= labels
    s1 = unused_declared(report, "s1", "全年主动公开政府信息1356条，发布政策解读18篇。")
    named = " ".join(o.reason_zh for o in s1)
    assert "主动公开政府信息（356条）" in named  # 1356 is not 356
    assert "政策解读" not in named and "收费通知" not in named  # written; the fee figures belong to 六
    s6 = unused_declared(report, "s6", "本年度未收取信息处理费。")
    assert [o.excerpt for o in s6] == ["信息处理费收费通知（1份）"]
    assert unused_declared(report, "s5", "") == []
