"""The review loop in storage: statuses, who may move a report where, the freeze, the submission
conditions, the history (SQLite and PostgreSQL)."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, insert, select, update

from gkassist.access import AccessDenied, Actor
from gkassist.acknowledgements import acknowledge
from gkassist.checks import check_report
from gkassist.examples import load_example
from gkassist.model import Report
from gkassist.review.policy import STATUS_CODES, ReviewPolicy, StatusCode, review_policy
from gkassist.storage import ReportNotFoundError, ReportStore
from gkassist.storage.audit_log import audit_table, read_entries
from gkassist.storage.comments import Anchor, CommentStore
from gkassist.storage.review import ReviewError, ReviewStore
from gkassist.storage.review_status import FrozenError, reports_view, status_table
from gkassist.yamlio import DataFileError, load_model
from tests.actors import LOCAL, as_user
from tests.tools import require_tool

AGENCY = "某某市生态环境局"
CLERK = Actor("clerk1", "clerk", (AGENCY,), "王科员")
REVIEWER = Actor("rev1", "reviewer", (AGENCY,), "李审核")
ADMIN = Actor("admin1", "admin")
OTHER_CLERK = Actor("clerk2", "clerk", ("另一个局",))
OTHER_REVIEWER = Actor("rev2", "reviewer", ("另一个局",))
SINGLE = Actor.single_user("本机用户甲")
SETUP = Actor.single_user("准备数据")
ACTORS = {"clerk": CLERK, "reviewer": REVIEWER, "admin": ADMIN, "single_user": SINGLE}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[ReportStore, ReviewStore]]:
    url = f"sqlite:///{tmp_path / 'gk.db'}" if request.param == "sqlite" else require_tool(request, "postgresql")
    store = ReportStore(url)
    yield store, ReviewStore(store.engine)
    if request.param != "sqlite":
        for summary in store.list_reports(actor=LOCAL):
            store.delete(summary.id, actor=LOCAL)


def clean_report() -> Report:
    report = load_example("example-2021")  # no open finding
    assert report.meta.agency == AGENCY and not check_report(report)
    return report


def audit_mark(store: ReportStore) -> int:
    """The last audit entry's id: a PostgreSQL test database keeps the entries of earlier runs."""
    with store.engine.connect() as conn:
        return int(conn.scalar(select(func.max(audit_table.c.id))) or 0)


def create(store: ReportStore, report: Report) -> int:
    return store.create(report, actor=LOCAL)[0]


# How each status is reached from 起草中 (by a single user, who may do everything)
PATH_TO: dict[StatusCode, tuple[StatusCode, ...]] = {
    "drafting": (),
    "submitted": ("submitted",),
    "returned": ("submitted", "returned"),
    "approved": ("submitted", "approved"),
    "published": ("submitted", "approved", "published"),
}


def report_in(stores: tuple[ReportStore, ReviewStore], status: StatusCode) -> int:
    store, review = stores
    rid = create(store, clean_report())
    for step in PATH_TO[status]:
        review.transition(rid, step, actor=SETUP, reason="准备测试数据")
    assert review.status(rid, actor=SETUP) == status
    return rid


# The loop as the issue states it, written out here (not read from rules/review.yaml)
ALLOWED: dict[str, set[tuple[str, str]]] = {
    "clerk": {("drafting", "submitted"), ("returned", "submitted"), ("submitted", "drafting"), ("approved", "published")},
    "reviewer": {("submitted", "returned"), ("submitted", "approved"), ("approved", "returned")},
    "admin": set(),
}
ALLOWED["single_user"] = set().union(*ALLOWED.values())
CASES = [(role, a, b) for role in ACTORS for a, b in itertools.permutations(STATUS_CODES, 2)]


@pytest.mark.parametrize(("role", "start", "to"), CASES, ids=[f"{r}-{a}-{b}" for r, a, b in CASES])
def test_who_may_move_a_report_where(stores: tuple[ReportStore, ReviewStore], role: str, start: StatusCode,
                                     to: StatusCode) -> None:
    _, review = stores
    rid = report_in(stores, start)
    actor = ACTORS[role]
    if (start, to) in ALLOWED[role]:
        change = review.transition(rid, to, actor=actor, reason="请核对表三的数据")
        assert (change.from_status, change.to_status, change.actor) == (start, to, actor.username)
        assert review.status(rid, actor=SETUP) == to
        assert review.history(rid, actor=SETUP)[-1] == change
    else:
        with pytest.raises((AccessDenied, ReviewError)) as refused:
            review.transition(rid, to, actor=actor, reason="请核对表三的数据")
        assert str(refused.value)  # a Chinese sentence
        assert review.status(rid, actor=SETUP) == start
        assert len(review.history(rid, actor=SETUP)) == len(PATH_TO[start])


def test_the_rules_file_grants_exactly_the_loop_of_the_issue() -> None:
    policy = review_policy()
    labels = {code: policy.label(code) for code in STATUS_CODES}
    assert labels == {"drafting": "起草中", "submitted": "待审核", "returned": "已退回", "approved": "已通过", "published": "已发布"}
    assert {s for s in STATUS_CODES if policy.frozen(s)} == {"submitted", "approved", "published"}
    assert {s for s in STATUS_CODES if policy.final_exports(s)} == {"approved", "published"}


def test_other_agencies_reports_are_refused_and_logged(stores: tuple[ReportStore, ReviewStore]) -> None:
    store, review = stores
    mark = audit_mark(store)
    rid = report_in(stores, "drafting")
    with pytest.raises(AccessDenied, match="不是您负责的单位"):
        review.transition(rid, "submitted", actor=OTHER_CLERK)
    rid2 = report_in(stores, "submitted")
    with pytest.raises(AccessDenied, match="不是您负责的单位"):
        review.transition(rid2, "approved", actor=OTHER_REVIEWER)
    with pytest.raises(AccessDenied):
        review.status(rid, actor=OTHER_CLERK)
    with pytest.raises(AccessDenied):
        review.history(rid, actor=ADMIN)
    refusals = [e for e in read_entries(store.engine, after_id=mark) if e.action == "access_denied"]
    assert [(e.actor, e.target, e.detail["action"]) for e in refusals[:2]] == [
        ("clerk2", f"报告{rid}", "提交审核"), ("rev2", f"报告{rid2}", "通过审核"),
    ]
    assert review.status(rid2, actor=SETUP) == "submitted"


def test_history_records_who_when_from_to_why_and_the_audit_trail(stores: tuple[ReportStore, ReviewStore]) -> None:
    store, review = stores
    mark = audit_mark(store)
    rid = create(store, clean_report())
    assert review.status(rid, actor=CLERK) == "drafting" and review.history(rid, actor=CLERK) == []
    before = datetime.now() - timedelta(days=1)
    review.transition(rid, "submitted", actor=CLERK)
    review.transition(rid, "returned", actor=REVIEWER, reason="表三第2行的数字与正文不一致，请核对")
    review.transition(rid, "submitted", actor=CLERK)
    review.transition(rid, "approved", actor=REVIEWER)
    review.transition(rid, "published", actor=CLERK)
    history = review.history(rid, actor=REVIEWER)
    assert [(h.actor, h.actor_name, h.from_zh, h.to_zh) for h in history] == [
        ("clerk1", "王科员（clerk1）", "起草中", "待审核"),
        ("rev1", "李审核（rev1）", "待审核", "已退回"),
        ("clerk1", "王科员（clerk1）", "已退回", "待审核"),
        ("rev1", "李审核（rev1）", "待审核", "已通过"),
        ("clerk1", "王科员（clerk1）", "已通过", "已发布"),
    ]
    assert history[1].reason == "表三第2行的数字与正文不一致，请核对"
    assert all(before < h.at < datetime.now() + timedelta(days=1) for h in history)
    assert [h.at for h in history] == sorted(h.at for h in history)
    changes = [e for e in read_entries(store.engine, after_id=mark) if e.action == "status_changed"]
    assert [(e.actor, e.target, e.detail["from"], e.detail["to"]) for e in changes] == [
        (h.actor, f"报告{rid}", h.from_zh, h.to_zh) for h in history
    ]
    assert changes[1].detail["reason"] == history[1].reason and changes[1].action_zh == "报告状态变更"


def test_returning_needs_a_reason(stores: tuple[ReportStore, ReviewStore]) -> None:
    _, review = stores
    rid = report_in(stores, "submitted")
    for blank in ("", "   \n "):
        with pytest.raises(ReviewError, match="需要说明理由"):
            review.transition(rid, "returned", actor=REVIEWER, reason=blank)
    with pytest.raises(ReviewError, match="控制字符"):
        review.transition(rid, "returned", actor=REVIEWER, reason="请改\x00正")
    with pytest.raises(ReviewError, match="理由太长"):
        review.transition(rid, "returned", actor=REVIEWER, reason="改" * 1001)
    assert review.status(rid, actor=REVIEWER) == "submitted"


def test_a_reviewer_cannot_approve_a_report_they_submitted(stores: tuple[ReportStore, ReviewStore]) -> None:
    store, review = stores
    mark = audit_mark(store)
    rid = create(store, clean_report())
    review.transition(rid, "submitted", actor=CLERK)
    same_account = Actor("clerk1", "reviewer", (AGENCY,))  # e.g. the account's role changed after submitting
    with pytest.raises(AccessDenied, match="不能审核通过自己提交的报告"):
        review.transition(rid, "approved", actor=same_account)
    assert [e.detail.get("why") for e in read_entries(store.engine, after_id=mark) if e.action == "access_denied"] == [
        "自己提交的报告"
    ]
    review.transition(rid, "approved", actor=REVIEWER)
    # the single user of a local installation does both
    rid2 = create(store, clean_report())
    review.transition(rid2, "submitted", actor=SINGLE)
    assert review.transition(rid2, "approved", actor=SINGLE).to_status == "approved"


# ---------------------------------------------------------------- the freeze


@pytest.mark.parametrize("status", ["submitted", "approved", "published"])
def test_a_frozen_report_refuses_saves(stores: tuple[ReportStore, ReviewStore], status: StatusCode) -> None:
    store, _ = stores
    rid = report_in(stores, status)
    report, version = store.load(rid, actor=LOCAL)
    report.table("s3").set("new", "natural", "999")
    with pytest.raises(FrozenError, match="内容已冻结") as refused:
        store.save(rid, report, version, actor=as_user("王科员"))
    assert f"当前状态：{review_policy().label(status)}" in str(refused.value)
    with pytest.raises(FrozenError):
        store.restore(rid, 1, version, actor=as_user("王科员"))
    assert store.load(rid, actor=LOCAL)[1] == version and store.load(rid, actor=LOCAL)[0].table("s3").get("new", "natural").raw != "999"


def test_returning_unfreezes_and_withdrawing_too(stores: tuple[ReportStore, ReviewStore]) -> None:
    store, review = stores
    rid = report_in(stores, "submitted")
    report, version = store.load(rid, actor=LOCAL)
    review.transition(rid, "returned", actor=REVIEWER, reason="联系电话有误，请核对")
    report.meta.contact.phone = "0791-88888888"
    version = store.save(rid, report, version, actor=as_user("王科员"))
    review.transition(rid, "submitted", actor=CLERK)
    with pytest.raises(FrozenError):
        store.save(rid, report, version, actor=as_user("王科员"))
    review.transition(rid, "drafting", actor=CLERK, reason="发现一处错字，撤回修改")
    assert store.save(rid, report, version, actor=as_user("王科员")) == version + 1


def test_a_new_report_under_a_reused_id_starts_in_drafting(stores: tuple[ReportStore, ReviewStore]) -> None:
    store, review = stores
    rid = report_in(stores, "approved")
    store.delete(rid, actor=LOCAL)
    again = create(store, clean_report())
    assert review.status(again, actor=CLERK) == "drafting" and review.history(again, actor=CLERK) == []
    report, version = store.load(again, actor=LOCAL)
    assert store.save(again, report, version, actor=as_user("王科员")) == version + 1


def test_missing_report(stores: tuple[ReportStore, ReviewStore]) -> None:
    _, review = stores
    with pytest.raises(ReportNotFoundError):
        review.transition(424242, "submitted", actor=SINGLE)
    with pytest.raises(ReportNotFoundError):
        review.status(424242, actor=SINGLE)


# ---------------------------------------------------------------- what submission needs


def test_submission_is_blocked_by_an_open_error(stores: tuple[ReportStore, ReviewStore]) -> None:
    store, review = stores
    report = clean_report()
    report.table("s3").set("new", "total", "999")  # 总计 no longer the sum of the columns
    rid = create(store, report)
    errors = [f for f in check_report(report) if f.severity == "error"]
    assert errors
    with pytest.raises(ReviewError) as refused:
        review.transition(rid, "submitted", actor=CLERK)
    message = str(refused.value)
    assert message.startswith("暂不能提交审核") and "请到“数据填报”页修改" in message and "请先改正这个错误" in message
    assert {b.code for b in refused.value.blockers} >= {f.code for f in errors}
    assert review.blockers(rid, "submitted", actor=CLERK) == refused.value.blockers
    assert review.status(rid, actor=CLERK) == "drafting"


def test_submission_is_blocked_by_an_unacknowledged_warning_until_acknowledged(
    stores: tuple[ReportStore, ReviewStore],
) -> None:
    store, review = stores
    report = clean_report()
    report.meta.publication_date = None  # F4: no publication date yet (a warning)
    rid = create(store, report)
    warnings = [f for f in check_report(report) if f.severity == "warning"]
    assert [f.code for f in warnings] == ["F4"] and not [f for f in check_report(report) if f.severity == "error"]
    with pytest.raises(ReviewError, match="警告尚未确认") as refused:
        review.transition(rid, "submitted", actor=CLERK)
    assert [b.code for b in refused.value.blockers] == ["F4"] and "已核实，确认此警告" in str(refused.value)
    acknowledge(report, warnings[0], "已核实：报告将于1月25日发布", datetime.now())
    store.save(rid, report, 1, actor=as_user("王科员"))
    assert review.blockers(rid, "submitted", actor=CLERK) == []
    assert review.transition(rid, "submitted", actor=CLERK).to_status == "submitted"


def test_moves_offered_follow_the_role_and_status(stores: tuple[ReportStore, ReviewStore]) -> None:
    _, review = stores
    rid = report_in(stores, "submitted")
    assert [m.label for m in review.moves(rid, actor=CLERK)] == ["撤回提交"]
    assert [m.label for m in review.moves(rid, actor=REVIEWER)] == ["退回修改", "通过审核"]
    assert [m.to for m in review.moves(rid, actor=SINGLE)] == ["drafting", "returned", "approved"]


# ---------------------------------------------------------------- the rules file


def _write_policy(tmp_path: Path, change: dict[str, object]) -> Path:
    data = yaml.safe_load((Path(__file__).resolve().parents[1] / "rules" / "review.yaml").read_text(encoding="utf-8"))
    data.update(change)
    path = tmp_path / "review.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_rules_file_loads_into_a_strict_model() -> None:
    path = Path(__file__).resolve().parents[1] / "rules" / "review.yaml"
    assert load_model(path, ReviewPolicy) == review_policy()


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"statuses": {"drafting": {"label": "起草中", "frozen": False, "final_exports": False}}}, "statuses must be exactly"),
        ({"initial": "approved"}, "must not be frozen"),
        ({"transitions": [{"from": ["drafting"], "to": "submitted", "action": "report.submit", "label": "提交"},
                          {"from": ["drafting"], "to": "submitted", "action": "report.submit", "label": "再提交"}]},
         "listed twice"),
        ({"transitions": [{"from": ["drafting"], "to": "submitted", "action": "report.sign", "label": "提交"}]}, "action"),
        ({"transitions": [{"from": ["drafting"], "to": "submitted", "action": "report.submit", "label": "提交",
                           "checks": ["no_such_check"]}]}, "checks"),
        ({"transitions": [{"from": ["drafting"], "to": "submitted", "action": "report.submit", "label": "提交"}]},
         "no move reaches"),
        ({"typo": 1}, "typo"),
    ],
)
def test_a_broken_rules_file_is_refused_at_load(tmp_path: Path, change: dict[str, object], why: str) -> None:
    with pytest.raises(DataFileError, match=why):
        load_model(_write_policy(tmp_path, change), ReviewPolicy)


def test_a_frozen_status_must_say_why(tmp_path: Path) -> None:
    data = yaml.safe_load((Path(__file__).resolve().parents[1] / "rules" / "review.yaml").read_text(encoding="utf-8"))
    del data["statuses"]["approved"]["frozen_why"]
    with pytest.raises(DataFileError, match="frozen_why"):
        load_model(_write_policy(tmp_path, {"statuses": data["statuses"]}), ReviewPolicy)


def test_statuses_of_a_list_in_one_call(stores: tuple[ReportStore, ReviewStore]) -> None:
    _, review = stores
    ids = {status: report_in(stores, status) for status in STATUS_CODES}
    assert review.statuses(list(ids.values()), actor=REVIEWER) == {rid: status for status, rid in ids.items()}
    assert review.statuses([], actor=REVIEWER) == {}
    with pytest.raises(AccessDenied):
        review.statuses(list(ids.values()), actor=OTHER_REVIEWER)


def test_approval_waits_for_every_comment_to_be_resolved(stores: tuple[ReportStore, ReviewStore]) -> None:
    store, review = stores
    comments = CommentStore(store.engine)
    rid = report_in(stores, "submitted")
    first = comments.add(rid, Anchor.report(), "请补充说明依申请公开的办理时限。", actor=REVIEWER)
    second = comments.add(rid, Anchor.report(), "第六部分请写明收费情况。", actor=REVIEWER)
    with pytest.raises(ReviewError, match="还有2条审核意见未解决") as refused:
        review.transition(rid, "approved", actor=REVIEWER)
    assert len(refused.value.blockers) == 1 and review.status(rid, actor=REVIEWER) == "submitted"
    assert review.blockers(rid, "approved", actor=REVIEWER) == refused.value.blockers
    comments.resolve(first, actor=CLERK)
    with pytest.raises(ReviewError, match="还有1条审核意见未解决"):
        review.transition(rid, "approved", actor=REVIEWER)
    comments.resolve(second, actor=REVIEWER)
    assert review.transition(rid, "approved", actor=REVIEWER).to_status == "approved"


def test_a_save_racing_a_submission_waits_for_it_and_is_refused(stores: tuple[ReportStore, ReviewStore]) -> None:
    """The submission locks the report's row before it checks the content; a save updates that
    row before it reads the status, so it waits and then sees the freeze (never a save slipped in
    between the check and the freeze)."""
    store, _ = stores
    rid = create(store, clean_report())
    report, version = store.load(rid, actor=LOCAL)
    locked, outcome = threading.Event(), []

    def submission() -> None:  # what ReviewStore.transition does, held open a moment
        with store.engine.begin() as conn:
            conn.execute(update(reports_view).where(reports_view.c.id == rid)
                         .values(current_version=reports_view.c.current_version))
            created = conn.scalar(select(reports_view.c.created_at).where(reports_view.c.id == rid))
            conn.execute(insert(status_table).values(report_id=rid, report_created_at=created, status="submitted",
                                                     changed_at=datetime.now(), changed_by="clerk1"))
            locked.set()
            time.sleep(0.8)

    def save() -> None:
        locked.wait(5)
        try:
            store.save(rid, report, version, actor=as_user("王科员"))
            outcome.append("saved")
        except FrozenError:
            outcome.append("frozen")

    threads = [threading.Thread(target=submission), threading.Thread(target=save)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert outcome == ["frozen"] and store.load(rid, actor=LOCAL)[1] == version
