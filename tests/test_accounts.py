"""Accounts, agencies, the sign-in lockout and the audit trail (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from gkassist.account_policy import account_policy
from gkassist.storage import audit_log
from gkassist.storage.accounts import UNKNOWN_ACCOUNT, AccountError, AccountStore
from gkassist.storage.audit_log import AuditEntry
from tests.account_db import BACKENDS, Clock, account_engine
from tests.actors import admin

AGENCY = "某某市生态环境局"
OTHER = "某某市教育局"
PASSWORD = "Correct-Horse-9"  # a test password, hashed by the code under test
NEW_PASSWORD = "Battery-Staple-7"





@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    yield from account_engine(request, tmp_path)





@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(engine: Engine, clock: Clock) -> AccountStore:
    store = AccountStore(engine, clock=clock)
    store.add_agency(AGENCY, actor=admin("测试", "127.0.0.1"))
    store.add_agency(OTHER, actor=admin("测试", "127.0.0.1"))
    return store


def test_roles_come_from_the_policy_file() -> None:
    policy = account_policy()
    assert [policy.role_name(c) for c in ("clerk", "reviewer", "admin")] == ["填报人", "审核人", "管理员"]
    assert policy.role_code("审核人") == "reviewer" and policy.role_code("admin") == "admin"
    assert policy.role_code("超级用户") is None
    assert policy.lockout.max_failures == 5


def test_users_with_roles_and_agencies(store: AccountStore) -> None:
    store.add_user("admin", PASSWORD, "admin", actor=admin("命令行"))
    store.add_user("zhang", PASSWORD, "clerk", [AGENCY], actor=admin("admin"), display_name="张三")
    store.add_user("wang", PASSWORD, "reviewer", [OTHER, AGENCY], actor=admin("admin"))
    users = {u.username: u for u in store.list_users(actor=admin())}
    assert set(users) == {"admin", "zhang", "wang"}
    assert (users["zhang"].role_zh, users["zhang"].agencies, users["zhang"].display_name) == ("填报人", (AGENCY,), "张三")
    assert users["wang"].agencies == tuple(sorted((OTHER, AGENCY)))
    assert users["admin"].agencies == () and not users["admin"].disabled
    assert [a.name for a in store.list_agencies()] == sorted([AGENCY, OTHER])


@pytest.mark.parametrize(
    ("username", "password", "role", "agencies", "says"),
    [
        ("zhao", PASSWORD, "clerk", [], "至少需要一个所属单位"),
        ("zhao", PASSWORD, "admin", [AGENCY], "不属于某个单位"),
        ("zhao", PASSWORD, "clerk", ["不存在的局"], "“不存在的局”不存在"),
        ("zhao", "short", "admin", [], "密码太短"),
        ("zhao", "x" * 300, "admin", [], "密码太长"),
        ("zhao1234", "zhao1234", "admin", [], "不能与用户名相同"),
        ("zhao", "abc\ndefghij", "admin", [], "控制字符"),
        ("zhao san", PASSWORD, "admin", [], "用户名不符合要求"),
        ("", PASSWORD, "admin", [], "用户名不符合要求"),
    ],
)
def test_bad_requests_are_refused_in_chinese(store: AccountStore, username: str, password: str, role: str,
                                             agencies: list[str], says: str) -> None:
    with pytest.raises(AccountError, match=says):
        store.add_user(username, password, role, agencies, actor=admin("admin"))  # type: ignore[arg-type]
    assert store.list_users(actor=admin()) == []


def test_duplicates_are_refused(store: AccountStore) -> None:
    store.add_user("zhang", PASSWORD, "clerk", [AGENCY], actor=admin("admin"))
    with pytest.raises(AccountError, match="已经存在"):
        store.add_user("zhang", NEW_PASSWORD, "admin", actor=admin("admin"))
    with pytest.raises(AccountError, match="已经存在"):
        store.add_agency(AGENCY, actor=admin("admin"))
    assert store.verify_password("zhang", PASSWORD).ok


def test_sign_in_checks_the_password(store: AccountStore) -> None:
    store.add_user("zhang", PASSWORD, "clerk", [AGENCY], actor=admin("admin"))
    good = store.verify_password("zhang", PASSWORD, source="10.0.0.8")
    assert good.ok and good.account is not None and good.account.agencies == (AGENCY,)
    bad = store.verify_password("zhang", PASSWORD + "x")
    assert not bad.ok and "用户名或密码不正确" in bad.message_zh and "再失败4次" in bad.message_zh
    unknown = store.verify_password("nobody", PASSWORD)
    assert not unknown.ok and unknown.message_zh.startswith("用户名或密码不正确")
    hostile = store.verify_password("x' OR 1=1 --\n" * 100, PASSWORD)
    assert not hostile.ok


def test_five_failures_in_a_row_wait_then_allow(store: AccountStore, clock: Clock) -> None:
    store.add_user("zhang", PASSWORD, "clerk", [AGENCY], actor=admin("admin"))
    for _ in range(4):
        assert not store.verify_password("zhang", "wrong-password").ok
    fifth = store.verify_password("zhang", "wrong-password")
    assert "暂停登录5分钟" in fifth.message_zh and fifth.wait_seconds == 300
    clock.now += timedelta(seconds=100)
    locked = store.verify_password("zhang", PASSWORD)  # even the right password waits
    assert not locked.ok and "已暂停登录" in locked.message_zh and "4分钟" in locked.message_zh
    assert 0 < locked.wait_seconds <= 201
    clock.now += timedelta(seconds=201)
    assert store.verify_password("zhang", PASSWORD).ok


def test_a_success_resets_the_count(store: AccountStore) -> None:
    store.add_user("zhang", PASSWORD, "clerk", [AGENCY], actor=admin("admin"))
    for _ in range(4):
        store.verify_password("zhang", "wrong-password")
    assert store.verify_password("zhang", PASSWORD).ok
    for _ in range(4):
        store.verify_password("zhang", "wrong-password")
    assert store.verify_password("zhang", PASSWORD).ok


def test_the_lockout_holds_across_servers(engine: Engine, store: AccountStore, clock: Clock) -> None:
    """Two app servers on one database: the failures of both count together."""
    other_server = AccountStore(engine, clock=clock)
    store.add_user("zhang", PASSWORD, "clerk", [AGENCY], actor=admin("admin"))
    for i in range(5):
        (store if i % 2 else other_server).verify_password("zhang", "wrong-password")
    assert not other_server.verify_password("zhang", PASSWORD).ok
    assert not store.verify_password("zhang", PASSWORD).ok


def test_disabled_accounts_cannot_sign_in(store: AccountStore) -> None:
    store.add_user("zhang", PASSWORD, "clerk", [AGENCY], actor=admin("admin"))
    store.disable_user("zhang", actor=admin("admin"))
    result = store.verify_password("zhang", PASSWORD)
    assert not result.ok and "已停用" in result.message_zh
    assert store.get_user("zhang").disabled
    with pytest.raises(AccountError, match="已经是停用状态"):
        store.disable_user("zhang", actor=admin("admin"))
    with pytest.raises(AccountError, match="找不到账号“li”"):
        store.disable_user("li", actor=admin("admin"))


def test_passwd_replaces_the_password_and_lifts_the_wait(store: AccountStore) -> None:
    store.add_user("zhang", PASSWORD, "clerk", [AGENCY], actor=admin("admin"))
    for _ in range(5):
        store.verify_password("zhang", "wrong-password")
    store.set_password("zhang", NEW_PASSWORD, actor=admin("admin"))
    assert not store.verify_password("zhang", PASSWORD).ok
    assert store.verify_password("zhang", NEW_PASSWORD).ok
    with pytest.raises(AccountError, match="密码太短"):
        store.set_password("zhang", "short", actor=admin("admin"))
    with pytest.raises(AccountError, match="找不到账号"):
        store.set_password("nobody", NEW_PASSWORD, actor=admin("admin"))


def _exercise(store: AccountStore) -> None:
    store.add_user("zhang", PASSWORD, "clerk", [AGENCY], actor=admin("admin", "命令行@host"))
    store.verify_password("zhang", PASSWORD, source="10.0.0.8")
    store.verify_password("zhang", NEW_PASSWORD, source="10.0.0.9")
    store.verify_password(NEW_PASSWORD, PASSWORD, source="10.0.0.9")  # a password typed into the name box
    store.set_password("zhang", NEW_PASSWORD, actor=admin("admin"))
    store.disable_user("zhang", actor=admin("admin"))


def test_audit_trail_records_who_what_when_where(store: AccountStore, clock: Clock) -> None:
    _exercise(store)
    entries = store.audit_entries(actor=admin())
    assert [(e.actor, e.action, e.target) for e in entries] == [
        ("测试", "agency_added", AGENCY),
        ("测试", "agency_added", OTHER),
        ("admin", "user_added", "zhang"),
        ("zhang", "sign_in", "zhang"),
        ("zhang", "sign_in_failed", "zhang"),
        (UNKNOWN_ACCOUNT, "sign_in_failed", ""),
        ("admin", "password_changed", "zhang"),
        ("admin", "user_disabled", "zhang"),
    ]
    assert [e.source for e in entries[3:6]] == ["10.0.0.8", "10.0.0.9", "10.0.0.9"]
    assert entries[2].detail == {"role": "填报人", "agencies": AGENCY}
    assert all(e.at == clock.now for e in entries) and entries[4].action_zh == "登录失败"
    assert [e.id for e in store.audit_entries(after_id=entries[5].id, actor=admin())] == [entries[6].id, entries[7].id]


def test_no_password_reaches_the_database_or_the_trail(store: AccountStore, engine: Engine, tmp_path: Path) -> None:
    _exercise(store)
    trail = json.dumps([e.model_dump(mode="json") for e in store.audit_entries(actor=admin())], ensure_ascii=False)
    with engine.connect() as conn:
        hashes = [r[0] for r in conn.execute(text("select password_hash from users"))]
        everything = trail + repr(conn.execute(text("select * from users")).all())
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    for secret in (PASSWORD, NEW_PASSWORD):
        assert secret not in everything
    if engine.dialect.name == "sqlite":
        files = list(tmp_path.glob("gk.db*"))
        assert files
        for path in files:
            data = path.read_bytes()
            assert PASSWORD.encode() not in data and NEW_PASSWORD.encode() not in data


def test_audit_entries_refuse_secrets() -> None:
    with pytest.raises(ValidationError, match="never recorded"):
        AuditEntry(at=datetime(2026, 1, 1), actor="a", action="sign_in", detail={"api_key": "x"})
    with pytest.raises(ValidationError, match="never recorded"):
        AuditEntry(at=datetime(2026, 1, 1), actor="a", action="sign_in", detail={"Password": "x"})
    with pytest.raises(ValidationError, match="unknown audit action"):
        AuditEntry(at=datetime(2026, 1, 1), actor="a", action="delete_everything")


def test_api_key_shaped_values_are_masked(store: AccountStore, engine: Engine) -> None:
    key = "sk-" + "A1b2C3d4E5f6G7h8I9j0" * 2
    with engine.begin() as conn:
        audit_log.append(conn, "admin", "user_added", target=f"key {key}", source="x", detail={"note": f"用了 {key}"})
    entry = store.audit_entries(actor=admin())[-1]
    assert key not in entry.model_dump_json() and audit_log.MASK in entry.target and audit_log.MASK in entry.detail["note"]


def test_the_trail_is_append_only(store: AccountStore, engine: Engine) -> None:
    assert not [n for n in dir(audit_log) if n.startswith(("update", "delete", "remove", "clear"))]
    assert not [n for n in dir(AccountStore) if "audit" in n and not n.startswith("audit_entries")]
    before = store.audit_entries(actor=admin())
    assert before
    for statement in ("update audit_log set actor = 'someone else'", "delete from audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    if engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("truncate audit_log"))
    assert store.audit_entries(actor=admin()) == before
