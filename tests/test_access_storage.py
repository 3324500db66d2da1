"""Roles enforced in the storage itself: every forbidden action through the ReportStore API is
refused with a Chinese message, changes nothing and is written to the audit trail
(SQLite, and PostgreSQL when marked pg).

Data-driven: role × action × the report's agency (the actor's own or assigned one, or another).
The expectations are written out here from the issue's roles, not computed from the permission
table, so a wrong grant in rules/permissions.yaml fails a test.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gkassist.access import AccessDenied, Actor
from gkassist.model import Report
from gkassist.storage import ReportStore
from gkassist.storage.accounts import AccountStore
from gkassist.storage.audit_log import AuditEntry, audit_table
from gkassist.storage.history import diff_versions
from gkassist.storage.review import ReviewStore
from tests.actors import LOCAL
from tests.tools import require_tool

YEAR = 2024
ACTIONS = ("read", "list", "create", "save", "restore", "delete")
LABELS = {"read": "查看报告", "create": "新建报告", "save": "修改报告", "restore": "修改报告", "delete": "删除报告"}

# What each role may do on a report of its own (clerk) or assigned (reviewer) agency; on any
# other agency's report nobody but the single user may do anything.
ALLOWED_OWN: dict[str, set[str]] = {
    "clerk": {"read", "list", "create", "save", "restore", "delete"},  # 填报人: reads and edits their own
    "reviewer": {"read", "list"},  # 审核人: reads, never edits
    "admin": set(),  # 管理员: accounts, not report content
}
CASES = [(role, action, whose) for role in ALLOWED_OWN for action in ACTIONS for whose in ("own", "other")]


@dataclass
class World:
    store: ReportStore
    own: str  # the acting user's agency
    other: str  # an agency that is not theirs
    ids: dict[str, int]  # "own"/"other" -> a stored report with two versions

    def actor(self, role: str) -> Actor:
        agencies = () if role == "admin" else (self.own,)
        return Actor(f"{role}-{self.own[-6:]}", role, agencies, source="10.1.2.3")  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ReportStore]:
    if request.param == "sqlite":
        yield ReportStore(f"sqlite:///{tmp_path / 'gk.db'}")
        return
    yield ReportStore(require_tool(request, "postgresql"))


@pytest.fixture
def world(store: ReportStore) -> Iterator[World]:
    """Two agencies named for this test only (the PostgreSQL database is shared by other tests)."""
    tag = uuid.uuid4().hex[:6]
    own, other = f"本局{tag}", f"他局{tag}"
    ids = {}
    for whose, agency in (("own", own), ("other", other)):
        rid, v1 = store.create(Report.new(agency, YEAR), actor=LOCAL)
        second = Report.new(agency, YEAR)
        second.sections["s1"] = "第二版的文字。"
        store.save(rid, second, v1, actor=LOCAL, note="第二版")
        ids[whose] = rid
    yield World(store, own, other, ids)
    for rid in ids.values():
        store.delete(rid, actor=LOCAL)


def _attempt(world: World, actor: Actor, action: str, whose: str) -> Callable[[], object]:
    store, rid = world.store, world.ids[whose]
    agency = world.own if whose == "own" else world.other
    edited = Report.new(agency, YEAR)
    edited.sections["s1"] = "越权写入的文字。"
    return {
        "read": lambda: store.load(rid, actor=actor),
        "list": lambda: store.list_reports(actor=actor),
        "create": lambda: store.create(Report.new(agency, YEAR + 1), actor=actor),
        "save": lambda: store.save(rid, edited, 2, actor=actor),
        "restore": lambda: store.restore(rid, 1, 2, actor=actor),
        "delete": lambda: store.delete(rid, actor=actor),
    }[action]


def _entries_after(world: World, mark: int) -> list[AuditEntry]:
    """This test's entries (its actors carry its tag: the PostgreSQL database is shared)."""
    t = audit_table.c
    with world.store.engine.connect() as conn:
        rows = conn.execute(
            select(audit_table).where(t.id > mark, t.actor.endswith(world.own[-6:])).order_by(t.id)
        ).all()
    return [AuditEntry(id=r.id, at=r.at, actor=r.actor, action=r.action, target=r.target, source=r.source,
                       detail=json.loads(r.detail)) for r in rows]


def _mark(store: ReportStore) -> int:
    with store.engine.connect() as conn:
        return int(conn.scalar(select(func.max(audit_table.c.id))) or 0)


def _listed(world: World, actor: Actor) -> set[int]:
    return {s.id for s in world.store.list_reports(actor=actor)} & set(world.ids.values())


@pytest.mark.parametrize(("role", "action", "whose"), CASES)
def test_each_role_action_and_agency(world: World, role: str, action: str, whose: str) -> None:
    actor, store, rid = world.actor(role), world.store, world.ids[whose]
    may = whose == "own" and action in ALLOWED_OWN[role]
    mark = _mark(store)
    if action == "list":  # nothing to refuse: the list holds only what the actor may read
        assert (rid in _listed(world, actor)) is may
        assert _entries_after(world, mark) == []
        return
    attempt = _attempt(world, actor, action, whose)
    if may:
        attempt()
        assert [e for e in _entries_after(world, mark) if e.action == "access_denied"] == []
        return
    before = store.versions(rid, actor=LOCAL)
    with pytest.raises(AccessDenied) as refused:
        attempt()
    message = str(refused.value)
    assert LABELS[action] in message and "请联系管理员" in message  # Chinese: what, and what to do
    assert store.versions(rid, actor=LOCAL) == before  # nothing changed, nothing deleted
    [entry] = _entries_after(world, mark)
    assert (entry.action, entry.actor, entry.source) == ("access_denied", actor.username, "10.1.2.3")
    assert entry.detail["action"] == LABELS[action] and entry.detail["role"] == actor.role_zh
    agency = world.own if whose == "own" else world.other
    assert entry.detail["agency"] == agency
    assert entry.target == (f"新建报告（{agency} {YEAR + 1}年度）" if action == "create" else f"报告{rid}")
    if action == "create":
        assert all(s.year != YEAR + 1 for s in store.list_reports(actor=LOCAL) if s.agency == agency)


def test_a_clerk_cannot_move_their_report_into_another_agency(world: World) -> None:
    clerk, store, rid = world.actor("clerk"), world.store, world.ids["own"]
    moved = Report.new(world.other, YEAR)
    mark = _mark(store)
    with pytest.raises(AccessDenied):
        store.save(rid, moved, 2, actor=clerk)
    assert store.load(rid, actor=clerk)[0].meta.agency == world.own
    [entry] = _entries_after(world, mark)
    assert entry.detail["agency"] == world.other and entry.target == f"报告{rid}"


def test_a_clerks_saves_are_signed_with_their_account(world: World) -> None:
    clerk, store, rid = world.actor("clerk"), world.store, world.ids["own"]
    report, version = store.load(rid, actor=clerk)
    store.save(rid, report, version, actor=clerk, note="填报")
    assert store.versions(rid, actor=clerk)[0].author == clerk.username
    assert [s.updated_by for s in store.list_reports(actor=clerk) if s.id == rid] == [clerk.username]


def test_history_and_its_diff_follow_the_read_permission(world: World) -> None:
    reviewer, store = world.actor("reviewer"), world.store
    assert diff_versions(store, world.ids["own"], 1, 2, actor=reviewer).texts  # assigned: may compare
    for read in (lambda: store.versions(world.ids["other"], actor=reviewer),
                 lambda: diff_versions(store, world.ids["other"], 1, 2, actor=reviewer)):
        with pytest.raises(AccessDenied):
            read()


def test_exports_are_checked_and_recorded(world: World) -> None:
    """The page's downloads record their export through the review store (gkassist.ui.downloads);
    the 正式稿 copy is read through it too. Both check the export permissions below the page."""
    store, review = world.store, ReviewStore(world.store.engine)
    clerk, admin = world.actor("clerk"), world.actor("admin")
    own, other = world.ids["own"], world.ids["other"]
    mark = _mark(store)
    review.record_export(own, "md", False, actor=clerk)
    for actor, rid, final in ((clerk, other, False), (clerk, other, True), (admin, own, False)):
        with pytest.raises(AccessDenied):
            review.record_export(rid, "docx", final, actor=actor)
    with pytest.raises(AccessDenied):
        review.final_copy(other, actor=clerk)
    entries = [(e.action, e.actor, e.target, e.detail.get("kind", e.detail.get("action"))) for e in _entries_after(world, mark)]
    assert entries == [
        ("export", clerk.username, f"报告{own}", "草稿"),
        ("access_denied", clerk.username, f"报告{other}", "导出草稿"),
        ("access_denied", clerk.username, f"报告{other}", "导出正式稿"),
        ("access_denied", admin.username, f"报告{own}", "导出草稿"),
        ("access_denied", clerk.username, f"报告{other}", "导出正式稿"),
    ]


def test_the_single_user_may_do_everything(world: World) -> None:
    store = world.store
    assert _listed(world, LOCAL) == set(world.ids.values())
    for whose in ("own", "other"):
        report, version = store.load(world.ids[whose], actor=LOCAL)
        store.save(world.ids[whose], report, version, actor=LOCAL)
        store.restore(world.ids[whose], 1, version + 1, actor=LOCAL)


def test_a_refusal_on_a_read_only_database_is_still_refused(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The audit entry cannot be written there, so the server log keeps it; the refusal stands."""
    path = tmp_path / "gk.db"
    rid, _ = ReportStore(f"sqlite:///{path}").create(Report.new("甲局", YEAR), actor=LOCAL)
    reader = ReportStore(f"sqlite:///file:{path}?mode=ro&uri=true")
    with caplog.at_level("WARNING", logger="gkassist.storage"), pytest.raises(AccessDenied):
        reader.load(rid, actor=Actor("zhang", "clerk", ("乙局",)))
    assert "access_denied" in caplog.text and "zhang" in caplog.text
    assert reader.load(rid, actor=Actor("li", "clerk", ("甲局",)))[0].meta.agency == "甲局"


# -- accounts: managed by administrators (and the command line, which acts as one) --------------

ACCOUNT_ATTEMPTS: dict[str, Callable[[AccountStore, str], object]] = {
    "add_agency": lambda s, tag: s.add_agency(f"新单位{tag}", actor=_tagged("clerk", tag)),
    "check_new_user": lambda s, tag: s.check_new_user(f"new{tag}", "clerk", [f"本局{tag}"], actor=_tagged("clerk", tag)),
    "add_user": lambda s, tag: s.add_user(f"new{tag}", "Correct-Horse-9", "admin", actor=_tagged("clerk", tag)),
    "disable_user": lambda s, tag: s.disable_user(f"admin{tag}", actor=_tagged("reviewer", tag)),
    "set_password": lambda s, tag: s.set_password(f"admin{tag}", "Battery-Staple-7", actor=_tagged("clerk", tag)),
    "list_users": lambda s, tag: s.list_users(actor=_tagged("reviewer", tag)),
    "audit_entries": lambda s, tag: s.audit_entries(actor=_tagged("clerk", tag)),
}


def _tagged(role: str, tag: str) -> Actor:
    return Actor(f"{role}-{tag}", role, () if role == "admin" else (f"本局{tag}",), source="10.9.9.9")  # type: ignore[arg-type]


@pytest.fixture
def accounts(world: World) -> AccountStore:
    tag = world.own[-6:]
    store = AccountStore(world.store.engine)
    manager = _tagged("admin", tag)
    store.add_agency(world.own, actor=manager)
    store.add_user(f"admin{tag}", "Correct-Horse-9", "admin", actor=manager)
    return store


@pytest.mark.parametrize("method", ACCOUNT_ATTEMPTS)
def test_only_an_administrator_manages_accounts(world: World, accounts: AccountStore, method: str) -> None:
    tag = world.own[-6:]
    mark = _mark(world.store)
    with pytest.raises(AccessDenied) as refused:
        ACCOUNT_ATTEMPTS[method](accounts, tag)
    assert "请联系管理员" in str(refused.value)
    [entry] = _entries_after(world, mark)
    what = "查看和导出审计记录" if method == "audit_entries" else "管理账号、单位和分工"
    assert (entry.action, entry.source, entry.detail["action"]) == ("access_denied", "10.9.9.9", what)
    manager = _tagged("admin", tag)
    users = {u.username: u for u in accounts.list_users(actor=manager)}
    assert f"new{tag}" not in users and not users[f"admin{tag}"].disabled  # nothing changed
    assert accounts.verify_password(f"admin{tag}", "Correct-Horse-9").ok
    assert f"新单位{tag}" not in {a.name for a in accounts.list_agencies()}


def test_an_administrator_reads_the_audit_trail_and_a_reviewer_does_not(world: World, accounts: AccountStore) -> None:
    tag, mark = world.own[-6:], _mark(world.store)  # (the PostgreSQL trail is shared: read from here on)
    accounts.add_user(f"li{tag}", "Correct-Horse-9", "clerk", [world.own], actor=_tagged("admin", tag))
    entries = accounts.audit_entries(after_id=mark, actor=_tagged("admin", tag))
    assert [(e.action, e.target) for e in entries if e.actor.endswith(tag)] == [("user_added", f"li{tag}")]
    with pytest.raises(AccessDenied):
        accounts.audit_entries(actor=_tagged("reviewer", tag))
