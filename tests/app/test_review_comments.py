"""Review comments in the app (issue 15): a reviewer comments on a cell, a sentence or the whole
report; the clerk sees each where it applies (数据填报 under the table and marked in the grid,
起草 under its sentence, 校验与导出 at the top), replies and marks it resolved."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from gkassist.access import Actor
from gkassist.examples import load_example
from gkassist.model import Report
from gkassist.places import cell_name
from gkassist.storage import ReportStore
from gkassist.storage.audit_log import read_entries
from gkassist.storage.comments import Anchor, CommentStore, open_count
from gkassist.ui import acting, comments_view, forms
from tests.app.support import open_app, sheet_data, texts

AGENCY = "测试市生态环境局"
CLERK = Actor("clerk1", "clerk", (AGENCY,), "王填报")
REVIEWER = Actor("rev1", "reviewer", (AGENCY,), "李审核")
CELL = "s3.new.natural"
S1 = "（一）主动公开\n本机关认真贯彻落实《条例》，扎实推进主动公开工作。\n（二）依申请公开\n依法规范办理政府信息公开申请。"
SENTENCE = "依法规范办理政府信息公开申请。"


def a_report() -> Report:
    report = forms.report_from_example(load_example("example-2021"), AGENCY, 2024)
    report.sections["s1"] = S1
    return report


def signed_in(at: AppTest, actor: Actor) -> AppTest:
    at.session_state[acting.SIGNED_IN] = actor
    return at.run()


def raw_markdown(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in at.markdown)


def test_clerk_sees_a_cell_comment_on_the_table_replies_and_resolves(store: ReportStore) -> None:
    report = a_report()
    at, rid = open_app(store, report, "tables")
    comments = CommentStore(store.engine)
    cid = comments.add(rid, comments_view.cell_anchor(report, CELL), "自然人申请数与登记台账不一致，请核实。", actor=REVIEWER)
    signed_in(at, CLERK)
    assert not at.exception, at.exception

    shown = texts(at)
    place = cell_name(report.table("s3").layout, "s3", "new", "natural")
    assert "本报告有1条未解决的审核意见（本表1条）" in shown
    assert "本表的审核意见（未解决1条）" in shown
    assert place in shown and "自然人申请数与登记台账不一致，请核实。" in shown
    assert "李审核（rev1）" in shown
    assert "至今未改" in shown  # the value quoted when the comment was made is still the value
    notes = sheet_data(at)["comments"]
    assert list(notes) == [CELL] and "自然人申请数与登记台账不一致" in notes[CELL]  # the grid marks the cell
    assert not [e for e in at.expander if "提出审核意见" in e.label]  # a clerk does not comment

    at.text_area(key=f"cmt_reply_text_{cid}").input("已核对台账，原数字有误，已改正。")
    at.button(key=f"cmt_reply_{cid}").click().run()
    assert not at.exception, at.exception
    assert "已回复。" in texts(at)
    assert "已核对台账，原数字有误，已改正。" in texts(at)
    assert at.text_area(key=f"cmt_reply_text_{cid}").value == ""
    [stored] = comments.comments(rid, actor=REVIEWER)
    assert [(r.author, r.body) for r in stored.replies] == [("clerk1", "已核对台账，原数字有误，已改正。")]

    at.button(key=f"cmt_resolve_{cid}").click().run()
    assert not at.exception, at.exception
    assert open_count(store.engine, rid) == 0
    shown = texts(at)
    assert "已标为已解决。" in shown and "本报告有" not in shown
    assert "本表的审核意见（未解决0条）" in shown
    assert "已解决的审核意见（1条）" in [e.label for e in at.expander]  # folded away, still readable
    assert sheet_data(at)["comments"] == {}


def test_clerk_sees_a_sentence_comment_under_its_sentence_on_drafting(store: ReportStore) -> None:
    report = a_report()
    at, rid = open_app(store, report, "drafting")
    comments = CommentStore(store.engine)
    index = comments_view.sentences(S1).index(SENTENCE)
    cid = comments.add(rid, comments_view.sentence_anchor("s1", S1, index), "请写明全年受理申请的件数。", actor=REVIEWER)
    signed_in(at, CLERK)
    assert not at.exception, at.exception

    shown = texts(at)
    assert "本报告有1条未解决的审核意见（本部分1条）" in shown
    assert "一、总体情况的审核意见（未解决1条）" in shown
    assert shown.index(f"> {SENTENCE}") < shown.index("请写明全年受理申请的件数。")  # under its sentence

    at.text_area(key=f"cmt_reply_text_{cid}").input("已补充件数。")
    at.button(key=f"cmt_reply_{cid}").click().run()
    at.button(key=f"cmt_resolve_{cid}").click().run()
    assert not at.exception, at.exception
    [stored] = comments.comments(rid, actor=CLERK)
    assert not stored.is_open and stored.resolved_by == "clerk1"
    assert [r.body for r in stored.replies] == ["已补充件数。"]
    assert "本报告有" not in texts(at)


def test_a_comment_whose_sentence_was_rewritten_quotes_the_sentence_as_it_was(store: ReportStore) -> None:
    report = a_report()
    at, rid = open_app(store, report, "drafting")
    index = comments_view.sentences(S1).index(SENTENCE)
    CommentStore(store.engine).add(rid, comments_view.sentence_anchor("s1", S1, index), "请补充件数。", actor=REVIEWER)
    at.session_state["report"].sections["s1"] = S1.replace(SENTENCE, "依法规范办理政府信息公开申请36件。")
    signed_in(at, CLERK)
    assert not at.exception, at.exception
    shown = texts(at)
    assert "以下意见针对的句子已被修改，引用的是提出意见时的原句" in shown
    assert f"> {SENTENCE}" in shown and "请补充件数。" in shown


def test_reviewer_comments_on_a_cell_a_sentence_and_the_report(store: ReportStore) -> None:
    report = a_report()
    at, rid = open_app(store, report, "tables")
    signed_in(at, REVIEWER)
    at.selectbox(key="cmt_cell_s3").select(CELL)
    at.text_area(key="cmt_new_cell_s3").input("此数请核实。")
    at.button(key="cmt_add_cell_s3").click().run()
    assert not at.exception, at.exception
    assert "审核意见已发表。" in texts(at)
    assert list(sheet_data(at)["comments"]) == [CELL]

    at.switch_page("gkassist/ui/pages/drafting.py").run()
    at.selectbox(key="cmt_sentence_s1").select(1)
    at.text_area(key="cmt_new_sentence_s1").input("这句过于笼统。")
    at.button(key="cmt_add_sentence_s1").click().run()
    assert not at.exception, at.exception

    at.switch_page("gkassist/ui/pages/check_export.py").run()
    at.text_area(key="cmt_new_report").input("请补充上年问题整改情况。")
    at.button(key="cmt_add_report").click().run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "本报告有3条未解决的审核意见" in shown
    assert "请补充上年问题整改情况。" in shown
    assert "（请到“数据填报”页处理）：此数请核实。" in shown and "（请到“起草”页处理）：这句过于笼统。" in shown

    stored = CommentStore(store.engine).comments(rid, actor=REVIEWER)
    assert [(c.anchor.kind, c.anchor.address, c.author) for c in stored] == [
        ("cell", CELL, "rev1"), ("sentence", "s1#1", "rev1"), ("report", "", "rev1"),
    ]
    assert stored[1].anchor.quote == comments_view.sentences(S1)[1]
    assert stored[0].anchor.quote.startswith("表三")


def test_an_empty_comment_is_refused_where_it_was_typed(store: ReportStore) -> None:
    at, rid = open_app(store, a_report(), "check_export")
    signed_in(at, REVIEWER)
    at.button(key="cmt_add_report").click().run()
    assert not at.exception, at.exception
    assert "审核意见是空的，没有保存" in texts(at)
    assert open_count(store.engine, rid) == 0


def test_comment_text_is_shown_as_text(store: ReportStore) -> None:
    at, rid = open_app(store, a_report(), "check_export")
    hostile = "[点这里](http://evil.example/x) **加粗** ![图](http://evil.example/i.png) :red[红]"
    CommentStore(store.engine).add(rid, Anchor.report(), hostile, actor=Actor("rev9", "reviewer", (AGENCY,), "<b>审核</b>"))
    signed_in(at, CLERK)
    assert not at.exception, at.exception
    assert hostile in texts(at) and "<b>审核</b>（rev9）" in texts(at)
    raw = raw_markdown(at)
    assert "](http" not in raw and "**加粗**" not in raw and ":red[" not in raw


def test_a_reply_from_a_page_left_open_after_the_assignment_ended_is_refused(store: ReportStore) -> None:
    """The button was on screen, but the storage decides: the refusal is said and recorded."""
    at, rid = open_app(store, a_report(), "check_export")
    comments = CommentStore(store.engine)
    cid = comments.add(rid, Anchor.report(), "请补充上年问题整改情况。", actor=REVIEWER)
    signed_in(at, REVIEWER)
    at.text_area(key=f"cmt_reply_text_{cid}").input("补充说明。")
    at.session_state[acting.SIGNED_IN] = Actor("rev1", "reviewer", ("另一个单位",), "李审核")  # reassigned meanwhile
    at.button(key=f"cmt_reply_{cid}").click().run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "无权回复审核意见" in shown and "请联系管理员为您分配该单位" in shown
    assert comments.comments(rid, actor=REVIEWER)[0].replies == ()
    assert [e.action for e in read_entries(store.engine)][-1] == "access_denied"
