"""Sign-in sessions in the database, single sign-on identities, and reading the audit trail
(SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine

from gkassist.access import AccessDenied, Actor
from gkassist.storage.accounts import AccountError, AccountStore
from gkassist.storage.audit_log import AuditFilter, query, record
from gkassist.storage.identities import IdentityStore
from gkassist.storage.sessions import SessionStore, sessions_table
from tests.account_db import BACKENDS, Clock, account_engine
from tests.actors import admin

AGENCY = "某某市生态环境局"
PASSWORD = "Correct-Horse-9"  # a test password, hashed by the code under test
ADMIN = Actor("admin", "admin")





@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    yield from account_engine(request, tmp_path)





@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(engine: Engine, clock: Clock) -> AccountStore:
    store = AccountStore(engine, clock=clock)
    store.add_agency(AGENCY, actor=admin("测试"))
    store.add_user("zhang", PASSWORD, "clerk", [AGENCY], actor=admin("测试"), display_name="张三")
    return store


@pytest.fixture
def sessions(accounts: AccountStore, clock: Clock) -> SessionStore:
    return SessionStore(accounts, hours=8, clock=clock)


def test_a_session_resumes_until_it_expires(sessions: SessionStore, accounts: AccountStore, clock: Clock) -> None:
    token, expires = sessions.start(accounts.get_user("zhang"), "password", "10.0.0.5")
    assert expires == clock.now + timedelta(hours=8)
    resumed = sessions.resume(token)
    assert resumed is not None and resumed[0].username == "zhang" and resumed[0].display_name == "张三"
    assert resumed[0].agencies == (AGENCY,)
    clock.now += timedelta(hours=7, minutes=59)
    assert sessions.resume(token) is not None
    clock.now += timedelta(minutes=1)
    assert sessions.resume(token) is None
    assert sessions.count("zhang") == 0


def test_only_the_hash_of_the_token_is_stored(sessions: SessionStore, accounts: AccountStore, engine: Engine) -> None:
    token, _ = sessions.start(accounts.get_user("zhang"), "password")
    with engine.connect() as conn:
        stored = conn.execute(select(sessions_table)).mappings().all()
    assert len(stored) == 1
    assert token not in str(dict(stored[0]))
    assert len(token) >= 40  # 32 random bytes


def test_a_restarted_server_resumes_the_session(sessions: SessionStore, accounts: AccountStore,
                                                engine: Engine, clock: Clock) -> None:
    token, _ = sessions.start(accounts.get_user("zhang"), "password")
    url = engine.url.render_as_string(hide_password=False)
    restarted = SessionStore(AccountStore(create_engine(url), clock=clock), hours=8, clock=clock)
    resumed = restarted.resume(token)
    assert resumed is not None and resumed[0].username == "zhang"
    restarted.engine.dispose()


def test_sign_out_ends_the_session_everywhere_and_is_recorded(sessions: SessionStore, accounts: AccountStore,
                                                              engine: Engine, clock: Clock) -> None:
    token, _ = sessions.start(accounts.get_user("zhang"), "password")
    other, _ = sessions.start(accounts.get_user("zhang"), "password")  # another browser
    url = engine.url.render_as_string(hide_password=False)
    second_server = SessionStore(AccountStore(create_engine(url), clock=clock), hours=8, clock=clock)
    sessions.end(token, "zhang", "10.0.0.5")
    assert sessions.resume(token) is None
    assert second_server.resume(token) is None
    assert sessions.resume(other) is not None  # signing out in one browser leaves the other
    last = accounts.audit_entries(actor=admin())[-1]
    assert (last.actor, last.action, last.source) == ("zhang", "sign_out", "10.0.0.5")
    second_server.engine.dispose()


def test_a_disabled_account_loses_its_sessions(sessions: SessionStore, accounts: AccountStore) -> None:
    token, _ = sessions.start(accounts.get_user("zhang"), "password")
    accounts.disable_user("zhang", actor=admin("admin"))
    assert sessions.resume(token) is None


@pytest.mark.parametrize("token", ["", "x", "a" * 5000, "'; DROP TABLE sessions; --"])
def test_unknown_or_hostile_tokens_sign_nobody_in(sessions: SessionStore, accounts: AccountStore, token: str) -> None:
    sessions.start(accounts.get_user("zhang"), "password")
    assert sessions.resume(token) is None
    assert sessions.count("zhang") == 1


def test_identities_match_by_subject_then_email(accounts: AccountStore) -> None:
    identities = IdentityStore(accounts)
    identities.link("zhang", "email", "Zhang.San@Example.gov.cn", actor="admin")
    identities.link("zhang", "subject", "sub-123", actor="admin")
    assert identities.find(None, "zhang.san@example.gov.cn") == "zhang"
    assert identities.find("sub-123", None) == "zhang"
    assert identities.find("sub-999", "nobody@example.gov.cn") is None
    result = identities.sign_in("sub-123", None, "10.0.0.5")
    assert result.ok and result.account is not None and result.account.username == "zhang"
    with pytest.raises(AccountError, match="已关联到另一个账号"):
        accounts.add_user("li", PASSWORD, "clerk", [AGENCY], actor=admin("admin"))
        identities.link("li", "email", "zhang.san@example.gov.cn", actor="admin")
    with pytest.raises(AccountError, match="格式不正确"):
        identities.link("li", "email", "not an email", actor="admin")


def test_unknown_and_disabled_identities_are_refused_in_chinese(accounts: AccountStore) -> None:
    identities = IdentityStore(accounts)
    unknown = identities.sign_in("sub-x", "stranger@example.gov.cn", "10.0.0.9")
    assert not unknown.ok and "没有与之对应的账号" in unknown.message_zh
    identities.link("zhang", "email", "zhang@example.gov.cn", actor="admin")
    accounts.disable_user("zhang", actor=admin("admin"))
    disabled = identities.sign_in(None, "zhang@example.gov.cn")
    assert not disabled.ok and "已停用" in disabled.message_zh
    actions = [e.action for e in accounts.audit_entries(actor=admin())]
    assert actions[-1] == "sign_in_disabled" and "sign_in_unknown_identity" in actions


def test_the_trail_is_read_newest_first_with_filters(accounts: AccountStore, engine: Engine) -> None:
    accounts.verify_password("zhang", "wrong-password-1", source="10.0.0.7")
    accounts.verify_password("zhang", PASSWORD, source="10.0.0.7")
    record(engine, Actor("zhang", "clerk", (AGENCY,), source="10.0.0.7"), "settings_changed", detail={"fields": "接口地址、密钥"})
    everything = query(engine, AuditFilter(), actor=ADMIN)
    assert [e.action for e in everything][:3] == ["settings_changed", "sign_in", "sign_in_failed"]
    failed = query(engine, AuditFilter(actions=("sign_in_failed",)), actor=ADMIN)
    assert [e.source for e in failed] == ["10.0.0.7"]
    assert [e.action for e in query(engine, AuditFilter(text="密钥"), actor=ADMIN)] == ["settings_changed"]
    assert query(engine, AuditFilter(text="100%_"), actor=ADMIN) == []  # wildcards are literal
    assert {e.actor for e in query(engine, AuditFilter(actor="zhang"), actor=ADMIN)} == {"zhang"}
    later = everything[0].at + timedelta(seconds=1)
    assert query(engine, AuditFilter(since=later), actor=ADMIN) == []


def test_a_clerk_may_not_read_the_trail_and_the_attempt_is_recorded(accounts: AccountStore, engine: Engine) -> None:
    clerk = Actor("zhang", "clerk", (AGENCY,), source="10.0.0.8")
    with pytest.raises(AccessDenied, match="无权"):
        query(engine, AuditFilter(), actor=clerk)
    last = accounts.audit_entries(actor=admin())[-1]
    assert (last.actor, last.action, last.source) == ("zhang", "access_denied", "10.0.0.8")
