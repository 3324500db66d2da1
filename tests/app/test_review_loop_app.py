"""The review loop in the app (AppTest): 提交审核 (blocked with the list, then allowed), 退回 with a
reason, 通过, 标记为已发布, the status on every page and on 报告列表, the freeze, the status
history, and which buttons each role sees."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from gkassist.access import Actor
from gkassist.examples import load_example
from gkassist.model import Report
from gkassist.storage import ReportStore
from gkassist.storage.comments import Anchor, CommentStore
from gkassist.storage.review import ReviewStore
from gkassist.ui import acting
from tests.actors import LOCAL
from tests.app.support import APP, PAGES, edit_sheet, open_app, texts

AGENCY = "某某市生态环境局"
CLERK = Actor("clerk1", "clerk", (AGENCY,), "王科员")
REVIEWER = Actor("rev1", "reviewer", (AGENCY,), "李审核")


def labels(at: AppTest) -> list[str]:
    return [str(e.proto.label) for e in at.get("download_button")]


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def test_single_user_submits_approves_publishes_and_gets_the_final_exports(store: ReportStore) -> None:
    at, rid = open_app(store, load_example("example-2021"), "check_export")
    review = ReviewStore(store.engine)
    assert "状态：起草中" in texts(at) and "尚未审核通过" in texts(at)
    assert [b.key for b in at.button if str(b.key).startswith("review_")] == ["review_submitted"]
    click(at, "review_submitted")
    assert review.status(rid, actor=Actor.single_user()) == "submitted"
    body = texts(at)
    assert "已提交审核：报告状态由“起草中”改为“待审核”。" in body
    assert "状态：待审核" in body and "内容已冻结" in body  # the version line and the frozen notice
    assert labels(at)[0] == "下载 Markdown 草稿（含元数据，可再导入）"
    click(at, "review_approved")
    assert "状态：已通过" in texts(at)
    assert labels(at) == [
        "下载 Markdown 正式稿（发布用，不含元数据）", "下载网页正式稿（门户网站发布用）", "下载 Word 公文正式稿",
        "下载 Markdown（含元数据，可再导入本工具）",
    ]
    click(at, "review_published")
    assert "状态：已发布" in texts(at) and "审核流程已结束" in texts(at)
    history = at.dataframe[0].value
    assert list(history.columns) == ["时间（北京时间）", "操作人", "原状态", "新状态", "理由"]
    assert list(zip(history["原状态"], history["新状态"], strict=True)) == [
        ("起草中", "待审核"), ("待审核", "已通过"), ("已通过", "已发布"),
    ]


def test_submission_is_blocked_with_the_list_until_the_warning_is_acknowledged(store: ReportStore) -> None:
    report = load_example("example-2021")
    report.meta.publication_date = None  # F4
    at, rid = open_app(store, report, "check_export")
    assert at.button(key="review_submitted").disabled
    body = texts(at)
    assert "暂不能提交审核：还有1个问题需要先处理" in body and "F4" in body and "请到“基本信息”页修改" in body
    ack = next(b.key for b in at.button if str(b.key).startswith("ack_"))
    click(at, ack)
    assert not at.button(key="review_submitted").disabled
    click(at, "review_submitted")
    assert ReviewStore(store.engine).status(rid, actor=Actor.single_user()) == "submitted"


def test_returning_needs_a_reason_and_unfreezes(store: ReportStore) -> None:
    at, rid = open_app(store, load_example("example-2021"), "check_export")
    click(at, "review_submitted")
    click(at, "review_returned")  # no reason
    assert "退回修改需要说明理由" in texts(at) and "状态：待审核" in texts(at)
    at.text_area(key="review_reason_returned").input("请核对表三第一行的数字。").run()
    click(at, "review_returned")
    assert "状态：已退回" in texts(at) and "内容已冻结" not in texts(at)
    history = ReviewStore(store.engine).history(rid, actor=Actor.single_user())
    assert history[-1].reason == "请核对表三第一行的数字。"
    assert list(at.dataframe[0].value["理由"])[-1] == "请核对表三第一行的数字。"


def test_a_frozen_report_refuses_an_edit_and_says_so(store: ReportStore) -> None:
    at, rid = open_app(store, load_example("example-2021"), "check_export")
    click(at, "review_submitted")
    at.switch_page(f"{PAGES}/basic.py").run()
    assert "内容已冻结" in texts(at) and "状态：待审核" in texts(at)
    phone = next(t for t in at.text_input if t.label == "电话")
    phone.input("010-99999999").run()
    assert not at.exception
    body = texts(at)
    assert "保存失败" in body and "内容已冻结" in body and "本次修改没有保存" in body  # said, not silent
    assert store.load(rid, actor=LOCAL)[0].meta.contact.phone != "010-99999999" and store.load(rid, actor=LOCAL)[1] == 1
    assert next(t for t in at.text_input if t.label == "电话").value == "010-99999999"  # still on the page


def test_report_list_shows_each_status(store: ReportStore) -> None:
    review = ReviewStore(store.engine)
    first = store.create(load_example("example-2021"), actor=LOCAL)[0]
    store.create(Report.new("另一局", 2024), actor=LOCAL)
    review.transition(first, "submitted", actor=Actor.single_user())
    at, _ = open_app(store, None, "reports")
    assert "第1版 · 待审核" in texts(at) and "第1版 · 起草中" in texts(at)


def _as(store: ReportStore, actor: Actor, rid: int) -> AppTest:
    """The 校验与导出 page of report ``rid`` for a signed-in ``actor``."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[acting.SIGNED_IN] = actor
    at.session_state["report"], at.session_state["version"] = store.load(rid, actor=LOCAL)
    at.session_state["report_id"] = rid
    at.switch_page(f"{PAGES}/check_export.py").run()
    assert not at.exception, at.exception
    return at


def test_each_role_sees_its_own_moves(store: ReportStore) -> None:
    rid = store.create(load_example("example-2021"), actor=LOCAL)[0]
    at = _as(store, CLERK, rid)
    assert [b.key for b in at.button if str(b.key).startswith("review_")] == ["review_submitted"]
    click(at, "review_submitted")
    assert [b.key for b in at.button if str(b.key).startswith("review_")] == ["review_drafting"]  # 撤回提交
    reviewer = _as(store, REVIEWER, rid)
    assert [b.key for b in reviewer.button if str(b.key).startswith("review_")] == ["review_returned", "review_approved"]
    click(reviewer, "review_approved")
    assert "状态：已通过" in texts(reviewer)
    assert ReviewStore(store.engine).history(rid, actor=REVIEWER)[-1].actor == "rev1"


def test_a_grid_edit_of_a_frozen_report_is_refused_in_place(store: ReportStore) -> None:
    at, rid = open_app(store, load_example("example-2021"), "check_export")
    click(at, "review_submitted")
    at.switch_page(f"{PAGES}/tables.py").run()
    assert "内容已冻结" in texts(at)
    edit_sheet(at, {"s3.new.natural": "77"})
    assert not at.exception
    assert "本次修改没有保存" in texts(at)
    assert store.load(rid, actor=LOCAL)[0].table("s3").get("new", "natural").raw != "77"


def test_approval_is_disabled_while_a_comment_is_open(store: ReportStore) -> None:
    rid = store.create(load_example("example-2021"), actor=LOCAL)[0]
    ReviewStore(store.engine).transition(rid, "submitted", actor=CLERK)
    comment = CommentStore(store.engine).add(rid, Anchor.report(), "请核对表二。", actor=REVIEWER)
    at = _as(store, REVIEWER, rid)
    assert at.button(key="review_approved").disabled and "还有1条审核意见未解决" in texts(at)
    assert not at.button(key="review_returned").disabled  # returning needs no resolved comments
    CommentStore(store.engine).resolve(comment, actor=REVIEWER)
    at.run()
    click(at, "review_approved")
    assert "状态：已通过" in texts(at)
