"""Review comments in storage: add, reply, resolve, who may do which, the open count, the audit
trail (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from gkassist.access import AccessDenied, Actor
from gkassist.model import Report
from gkassist.storage import ReportNotFoundError, ReportStore, audit_log
from gkassist.storage import comments as comments_module
from gkassist.storage.audit_log import read_entries
from gkassist.storage.comments import (
    MAX_BODY,
    Anchor,
    CommentError,
    CommentStore,
    comments_metadata,
    open_count,
    open_counts,
)
from tests.actors import LOCAL
from tests.tools import require_tool

AGENCY = "某某市生态环境局"
OTHER = "某某市教育局"

CLERK = Actor("clerk1", "clerk", (AGENCY,), "王填报")
OTHER_CLERK = Actor("clerk2", "clerk", (OTHER,), "赵填报")
REVIEWER = Actor("rev1", "reviewer", (AGENCY,), "李审核", source="10.0.0.7")
OTHER_REVIEWER = Actor("rev2", "reviewer", (OTHER,), "钱审核")
ADMIN = Actor("admin", "admin", (), "管理员甲")
SINGLE = Actor.single_user("张三")

CELL = Anchor.cell("s3.new.natural", "表三“一、本年新收政府信息公开申请数量”行“申请人情况·自然人”列：12")
SENTENCE = Anchor.sentence("s1", 2, "本机关全年主动公开政府信息120条。")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ReportStore]:
    if request.param == "sqlite":
        yield ReportStore(f"sqlite:///{tmp_path / 'gk.db'}")
        return
    store = ReportStore(require_tool(request, "postgresql"))
    _wipe(store)
    yield store
    _wipe(store)
    store.engine.dispose()


def _wipe(store: ReportStore) -> None:
    comments_metadata.drop_all(store.engine)
    audit_log.audit_metadata.drop_all(store.engine)
    for summary in store.list_reports(actor=LOCAL):
        store.delete(summary.id, actor=LOCAL)
    comments_module._ensured.discard(store.engine)  # the tables were dropped: create them again


@pytest.fixture
def comments(store: ReportStore) -> CommentStore:
    return CommentStore(store.engine)


def _report(store: ReportStore, agency: str = AGENCY) -> int:
    rid, _ = store.create(Report.new(agency, 2024), actor=LOCAL)
    return rid


def test_add_reply_resolve(store: ReportStore, comments: CommentStore) -> None:
    rid = _report(store)
    first = comments.add(rid, CELL, "  自然人申请数与附表不一致，请核实。 ", actor=REVIEWER)
    comments.add(rid, SENTENCE, "这句话的数字与表二不一致。", actor=REVIEWER)
    comments.add(rid, Anchor.report(), "请补充上年问题整改情况。", actor=REVIEWER)
    assert open_count(store.engine, rid) == 3

    comments.reply(first, "已核实，原数字有误，已改为15。", actor=CLERK)
    comments.reply(first, "好的。", actor=REVIEWER)
    assert comments.resolve(first, actor=CLERK) is True
    assert comments.resolve(first, actor=REVIEWER) is False  # already resolved: nothing changes

    listed = comments.comments(rid, actor=CLERK)
    assert [c.anchor.kind for c in listed] == ["cell", "sentence", "report"]
    cell = listed[0]
    assert cell.body == "自然人申请数与附表不一致，请核实。"  # stripped
    assert cell.anchor == CELL  # the quote as it was when the comment was made
    assert cell.by == "李审核（rev1）"
    assert not cell.is_open and cell.resolved_by == "clerk1" and cell.resolved_at is not None
    assert [(r.author, r.body) for r in cell.replies] == [("clerk1", "已核实，原数字有误，已改为15。"), ("rev1", "好的。")]
    assert listed[1].anchor.section == "s1" and listed[1].anchor.quote == "本机关全年主动公开政府信息120条。"
    assert listed[0].anchor.table == "s3"
    assert [c.is_open for c in listed] == [False, True, True]
    assert open_count(store.engine, rid) == 2
    assert comments.open_count(rid, actor=REVIEWER) == 2


def test_open_count_inside_a_transaction_and_per_report(store: ReportStore, comments: CommentStore) -> None:
    mine, theirs, quiet = _report(store), _report(store, OTHER), _report(store)
    comments.add(mine, CELL, "请核实。", actor=REVIEWER)
    comments.add(theirs, Anchor.report(), "请补充。", actor=OTHER_REVIEWER)
    comments.add(theirs, SENTENCE, "请改写。", actor=OTHER_REVIEWER)
    with store.engine.begin() as conn:  # as the approval asks it, inside its own transaction
        assert open_count(conn, mine) == 1
        assert open_count(conn, quiet) == 0
    assert open_counts(store.engine, [mine, theirs, quiet]) == {mine: 1, theirs: 2}


def test_a_deleted_reports_comments_never_reach_a_new_report(store: ReportStore, comments: CommentStore) -> None:
    """SQLite may give a new report the id of a deleted one: its comments stay with the old report."""
    rid = _report(store)
    comments.add(rid, CELL, "请核实。", actor=REVIEWER)
    store.delete(rid, actor=LOCAL)
    again = _report(store)
    assert open_count(store.engine, again) == 0
    assert comments.comments(again, actor=REVIEWER) == []


@pytest.mark.parametrize(
    ("actor", "may_read", "may_add", "may_reply", "may_resolve"),
    [
        (CLERK, True, False, True, True),  # 填报人 of the agency: replies and resolves, never comments
        (REVIEWER, True, True, True, True),  # 审核人 assigned the agency
        (OTHER_CLERK, False, False, False, False),  # another agency's clerk
        (OTHER_REVIEWER, False, False, False, False),  # a reviewer not assigned the agency
        (ADMIN, False, False, False, False),  # 管理员: accounts, not report content
        (SINGLE, True, True, True, True),  # single-user installation
    ],
)
def test_permissions_per_role(
    store: ReportStore, comments: CommentStore, actor: Actor,
    may_read: bool, may_add: bool, may_reply: bool, may_resolve: bool,
) -> None:
    rid = _report(store)
    existing = comments.add(rid, CELL, "请核实。", actor=REVIEWER)
    attempts: dict[str, Callable[[], object]] = {
        "read": lambda: comments.comments(rid, actor=actor),
        "add": lambda: comments.add(rid, SENTENCE, "请改写。", actor=actor),
        "reply": lambda: comments.reply(existing, "已改。", actor=actor),
        "resolve": lambda: comments.resolve(existing, actor=actor),
    }
    expected = {"read": may_read, "add": may_add, "reply": may_reply, "resolve": may_resolve}
    for what, attempt in attempts.items():
        if expected[what]:
            attempt()
            continue
        with pytest.raises(AccessDenied) as refused:
            attempt()
        assert "无权" in str(refused.value) and "请联系管理员" in str(refused.value), what
    left = comments.comments(rid, actor=REVIEWER)
    assert len(left) == (2 if may_add else 1)
    assert left[0].is_open is not may_resolve
    assert len(left[0].replies) == (1 if may_reply else 0)


def test_audit_trail(store: ReportStore, comments: CommentStore) -> None:
    rid = _report(store)
    cid = comments.add(rid, CELL, "请核实。", actor=REVIEWER)
    comments.reply(cid, "已改。", actor=CLERK)
    comments.resolve(cid, actor=CLERK)
    comments.resolve(cid, actor=CLERK)  # nothing changes, nothing recorded
    with pytest.raises(AccessDenied):
        comments.add(rid, Anchor.report(), "我也来提意见。", actor=CLERK)
    with pytest.raises(AccessDenied):
        comments.comments(rid, actor=OTHER_REVIEWER)
    entries = read_entries(store.engine)
    assert [(e.actor, e.action) for e in entries] == [
        ("rev1", "comment_added"), ("clerk1", "comment_replied"), ("clerk1", "comment_resolved"),
        ("clerk1", "access_denied"), ("rev2", "access_denied"),
    ]
    assert all(e.target == f"报告{rid}" for e in entries)
    assert entries[0].source == "10.0.0.7"
    assert entries[0].detail == {"comment": str(cid), "anchor": "s3.new.natural"}
    assert entries[3].detail == {"action": "发表审核意见", "role": "填报人", "agency": AGENCY}
    assert entries[4].detail == {"action": "查看报告", "role": "审核人", "agency": AGENCY}
    assert [e.action_zh for e in entries[:3]] == ["发表审核意见", "回复审核意见", "审核意见标为已解决"]


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("   ", "审核意见是空的"),
        ("很" * (MAX_BODY + 1), f"超过了{MAX_BODY}字的上限"),
        ("请核实\x00这个数字", "控制字符"),
    ],
)
def test_bad_text_is_refused_in_chinese(store: ReportStore, comments: CommentStore, body: str, said: str) -> None:
    rid = _report(store)
    with pytest.raises(CommentError, match=said):
        comments.add(rid, CELL, body, actor=REVIEWER)
    cid = comments.add(rid, CELL, "请核实。", actor=REVIEWER)
    with pytest.raises(CommentError, match=said.replace("审核意见", "回复")):
        comments.reply(cid, body, actor=CLERK)
    assert open_count(store.engine, rid) == 1
    assert comments.comments(rid, actor=CLERK)[0].replies == ()


def test_comments_and_replies_are_bounded(store: ReportStore, comments: CommentStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(comments_module, "MAX_COMMENTS", 3)
    monkeypatch.setattr(comments_module, "MAX_REPLIES", 2)
    rid = _report(store)
    first = comments.add(rid, CELL, "第1条。", actor=REVIEWER)
    comments.add(rid, CELL, "第2条。", actor=REVIEWER)
    comments.add(rid, CELL, "第3条。", actor=REVIEWER)
    with pytest.raises(CommentError, match="达到3条的上限"):
        comments.add(rid, CELL, "第4条。", actor=REVIEWER)
    comments.reply(first, "回复1。", actor=CLERK)
    comments.reply(first, "回复2。", actor=REVIEWER)
    with pytest.raises(CommentError, match="达到2条的上限"):
        comments.reply(first, "回复3。", actor=CLERK)
    assert len(comments.comments(rid, actor=CLERK)) == 3
    assert open_count(store.engine, rid) == 3


def test_unknown_report_and_comment(store: ReportStore, comments: CommentStore) -> None:
    with pytest.raises(ReportNotFoundError, match="找不到编号为999的报告"):
        comments.add(999, CELL, "请核实。", actor=REVIEWER)
    with pytest.raises(CommentError, match="找不到编号为42的审核意见"):
        comments.reply(42, "已改。", actor=CLERK)
    with pytest.raises(CommentError, match="找不到编号为42的审核意见"):
        comments.resolve(42, actor=CLERK)


@pytest.mark.parametrize(
    ("kind", "address"),
    [("cell", "s3.new"), ("cell", "s1:3-5"), ("sentence", "s3.new.natural"), ("sentence", "s1"), ("report", "s1#2")],
)
def test_an_anchor_names_its_place_by_kind(kind: str, address: str) -> None:
    with pytest.raises(ValidationError):
        Anchor.model_validate({"kind": kind, "address": address})
