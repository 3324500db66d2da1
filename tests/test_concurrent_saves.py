"""Two app servers on one database: each has its own ReportStore (its own engine and pool).
Edits of different fields from both are all kept; edits of the same field are a conflict and
nothing is overwritten; servers first using a new database together all start. On SQLite and
on PostgreSQL (the shared deployment's database)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, make_url, text
from sqlalchemy.engine import Engine

from gkassist.model import Report
from gkassist.storage import ConflictError, ReportStore
from gkassist.storage.accounts import AccountStore
from gkassist.storage.comments import CommentStore
from gkassist.storage.identities import IdentityStore
from gkassist.storage.merge import MergeConflict, merge_reports, save_merging, three_way
from gkassist.storage.sessions import SessionStore
from tests.actors import LOCAL, as_user
from tests.tools import require_tool


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def two_stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[ReportStore, ReportStore]]:
    """Two stores on one database, as two app servers have."""
    url = f"sqlite:///{tmp_path / 'gk.db'}" if request.param == "sqlite" else require_tool(request, "postgresql")
    first, second = ReportStore(url), ReportStore(url)
    assert first.engine is not second.engine
    created: list[int] = []
    request.node.created = created
    yield first, second
    for rid in created:
        first.delete(rid, actor=LOCAL)
    first.engine.dispose()
    second.engine.dispose()


def _new(stores: tuple[ReportStore, ReportStore], request: pytest.FixtureRequest, agency: str) -> int:
    rid, _ = stores[0].create(Report.new(agency, 2024), actor=as_user("建档人"))
    request.node.created.append(rid)
    return rid


def test_edits_of_different_fields_from_two_servers_are_both_kept(
    two_stores: tuple[ReportStore, ReportStore], request: pytest.FixtureRequest
) -> None:
    a, b = two_stores
    rid = _new(two_stores, request, "并发测试局")
    on_a, base = a.load(rid, actor=LOCAL)
    on_b, _ = b.load(rid, actor=LOCAL)
    on_a.meta.contact.address = "人民路1号"
    on_a.table("s3").set("new", "natural", "7")
    on_b.meta.contact.phone = "0791-1234567"
    on_b.sections["s1"] = "本年度总体情况。"

    first = save_merging(a, rid, on_a, base, actor=as_user("甲"))
    second = save_merging(b, rid, on_b, base, actor=as_user("乙"))  # based on the version 甲 has replaced

    assert (first.version, first.merged_from) == (2, ())
    assert (second.version, second.merged_from) == (3, ("甲",))
    for store in (a, b):
        latest, version = store.load(rid, actor=LOCAL)
        assert version == 3
        assert latest.meta.contact.address == "人民路1号"
        assert latest.table("s3").get("new", "natural").raw == "7"
        assert latest.meta.contact.phone == "0791-1234567"
        assert latest.sections["s1"] == "本年度总体情况。"
    assert second.report == b.load(rid, actor=LOCAL)[0]  # the clerk's session goes on from what was saved
    assert [v.author for v in a.versions(rid, actor=LOCAL)] == ["乙", "甲", "建档人"]


def test_edits_of_one_field_from_two_servers_conflict_and_nothing_is_overwritten(
    two_stores: tuple[ReportStore, ReportStore], request: pytest.FixtureRequest
) -> None:
    a, b = two_stores
    rid = _new(two_stores, request, "冲突测试局")
    on_a, base = a.load(rid, actor=LOCAL)
    on_b, _ = b.load(rid, actor=LOCAL)
    on_a.meta.contact.phone = "0791-1111111"
    on_b.meta.contact.phone = "0791-2222222"
    on_b.meta.contact.address = "另一处修改"  # a change of another field does not slip through alone

    save_merging(a, rid, on_a, base, actor=as_user("甲"))
    with pytest.raises(ConflictError) as caught:
        save_merging(b, rid, on_b, base, actor=as_user("乙"))

    assert "“甲”" in caught.value.message_zh() and "未保存" in caught.value.message_zh()
    latest, version = b.load(rid, actor=LOCAL)
    assert version == 2
    assert latest.meta.contact.phone == "0791-1111111"
    assert latest.meta.contact.address is None


def test_many_concurrent_savers_on_two_servers_lose_nothing(
    two_stores: tuple[ReportStore, ReportStore], request: pytest.FixtureRequest
) -> None:
    """Eight clerks, four on each server, each typing into their own highlight at the same time:
    every acknowledged save's text is in the final version."""
    rid = _new(two_stores, request, "多人测试局")
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def clerk(n: int) -> None:
        store = two_stores[n % 2]
        try:
            report, version = store.load(rid, actor=LOCAL)
            start.wait()
            for step in range(3):
                report.highlights[f"方面{n}"] = f"第{step}稿"
                outcome = save_merging(store, rid, report, version, actor=as_user(f"科员{n}"))
                report, version = outcome.report, outcome.version
        except BaseException as exc:  # reported below: a failed clerk fails the test
            errors.append(exc)

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    latest, version = two_stores[1].load(rid, actor=LOCAL)
    assert version == 1 + 8 * 3
    assert latest.highlights == {f"方面{n}": "第2稿" for n in range(8)}


def test_three_way_keeps_both_sides_and_names_clashes() -> None:
    base = {"a": 1, "b": {"x": 1, "y": 1}, "list": [1]}
    mine = {"a": 2, "b": {"x": 1, "y": 2}, "list": [1], "new": "mine"}
    theirs = {"a": 1, "b": {"x": 3, "y": 1}, "list": [1, 2]}
    assert three_way(base, mine, theirs) == {"a": 2, "b": {"x": 3, "y": 2}, "list": [1, 2], "new": "mine"}
    with pytest.raises(MergeConflict) as caught:
        three_way(base, {**mine, "list": [0]}, {**theirs, "a": 5})
    assert sorted(caught.value.paths) == ["/a", "/list"]
    assert three_way({"k": 1}, {}, {"k": 1}) == {}  # removed on our side, untouched on theirs
    with pytest.raises(MergeConflict):
        three_way({"k": 1}, {}, {"k": 2})  # removed on ours, changed on theirs


def test_same_value_typed_on_both_sides_is_no_conflict() -> None:
    base = Report.new("某局", 2024)
    mine, theirs = base.model_copy(deep=True), base.model_copy(deep=True)
    mine.meta.contact.postcode = theirs.meta.contact.postcode = "330000"
    assert merge_reports(base, mine, theirs).meta.contact.postcode == "330000"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a new SQLite file, or a new schema in the PostgreSQL test database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'new.db'}"
        return
    url = require_tool(request, "postgresql")
    admin = create_engine(url)
    schema = f"fresh_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_servers_first_using_a_new_database_at_once_all_start(new_database: str) -> None:
    """Two app servers started together on a new database, each opening every store (reports,
    review status, comments, accounts, sign-in sessions, the audit trail) from several sessions: every table is created once and
    no server fails on the other's creation."""
    errors: list[BaseException] = []
    engines = [create_engine(new_database) for _ in range(6)]
    start = threading.Barrier(len(engines))

    def server(engine: Engine) -> None:
        start.wait()
        try:
            ReportStore(engine.url.render_as_string(hide_password=False))
            CommentStore(engine)
            accounts = AccountStore(engine)
            SessionStore(accounts, hours=8)
            IdentityStore(accounts)
        except BaseException as exc:  # reported below: one failed server fails the test
            errors.append(exc)

    threads = [threading.Thread(target=server, args=(engine,)) for engine in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    names = set(inspect(engines[0]).get_table_names())
    assert {"reports", "report_versions", "review_comments", "audit_log", "sessions", "report_status"} <= names
    for engine in engines:
        engine.dispose()
