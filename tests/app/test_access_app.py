"""Roles through the app (AppTest): a signed-in user trying what their role forbids gets a
Chinese refusal in place (never a traceback, never the report), nothing is changed, and the
refusal is in the audit trail.

The signed-in account is put where the sign-in puts it (``st.session_state[acting.SIGNED_IN]``);
the refusals come from the storage, not from hidden buttons: the tests put the forbidden report
into the session or the address directly, as a crafted request would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from gkassist.access import AccessDenied, Actor
from gkassist.examples import load_example
from gkassist.model import Report
from gkassist.storage import ReportStore
from gkassist.storage.audit_log import AuditEntry, read_entries
from gkassist.storage.review import ReviewStore
from gkassist.ui import acting, forms
from tests.actors import LOCAL
from tests.app.support import APP, PAGES, texts

OWN, OTHER, YEAR = "甲市生态环境局", "乙市交通运输局", 2024
CLERK = Actor("zhang", "clerk", (OWN,), "张三", source="10.0.0.7")
REVIEWER = Actor("wang", "reviewer", (OWN,), "王五", source="10.0.0.8")
ADMIN = Actor("admin", "admin", (), "管理员", source="10.0.0.9")


def _report(agency: str) -> Report:
    report = forms.report_from_example(load_example("example-2021"), agency, YEAR)
    report.meta.publication_date = None  # leaves one warning: the 正式稿 waits for it, the draft does not
    return report


@pytest.fixture
def ids(store: ReportStore) -> dict[str, int]:
    return {agency: store.create(_report(agency), actor=LOCAL)[0] for agency in (OWN, OTHER)}


def _signed_in(actor: Actor, page: str, *, address: int | None = None, open_id: int | None = None,
               store: ReportStore | None = None) -> AppTest:
    """The app as ``actor`` on ``page``: a report id in the address (?report=N), or a report put
    straight into the session (``open_id``, read from ``store`` as the single user)."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[acting.SIGNED_IN] = actor
    if address is not None:
        at.query_params["report"] = str(address)
    if open_id is not None and store is not None:
        report, version = store.load(open_id, actor=LOCAL)
        at.session_state["report"], at.session_state["report_id"], at.session_state["version"] = report, open_id, version
    at.switch_page(f"{PAGES}/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _refusals(store: ReportStore, actor: Actor) -> list[AuditEntry]:
    return [e for e in read_entries(store.engine) if e.action == "access_denied" and e.actor == actor.username]


@pytest.mark.parametrize(("actor", "what"), [(CLERK, "查看报告"), (ADMIN, "查看报告")])
def test_another_agencys_report_by_its_address_is_refused(
    store: ReportStore, ids: dict[str, int], actor: Actor, what: str
) -> None:
    other = ids[OTHER]
    at = _signed_in(actor, "basic", address=other)
    body = texts(at)
    assert f"没有打开报告{other}" in body and f"无权{what}" in body and "请联系管理员" in body
    assert "report" not in at.session_state and "report" not in at.query_params  # not opened, address cleared
    assert "还没有打开报告" in body  # and the page says what to do next
    [entry] = _refusals(store, actor)
    assert (entry.target, entry.source, entry.detail["action"]) == (f"报告{other}", actor.source, what)


def test_a_clerk_opens_their_own_report_by_its_address(store: ReportStore, ids: dict[str, int]) -> None:
    at = _signed_in(CLERK, "basic", address=ids[OWN])
    assert at.session_state["report"].meta.agency == OWN and "无权" not in texts(at)
    assert _refusals(store, CLERK) == []


def test_the_report_list_shows_only_what_the_user_may_read(store: ReportStore, ids: dict[str, int]) -> None:
    clerk_list = texts(_signed_in(CLERK, "reports"))
    assert OWN in clerk_list and OTHER not in clerk_list
    admin_list = texts(_signed_in(ADMIN, "reports"))
    assert OWN not in admin_list and OTHER not in admin_list and "还没有报告" in admin_list


def test_a_reviewer_cannot_save_an_assigned_report(store: ReportStore, ids: dict[str, int]) -> None:
    rid = ids[OWN]
    at = _signed_in(REVIEWER, "basic", address=rid)  # assigned: may read it
    assert at.session_state["report"].meta.agency == OWN
    next(t for t in at.text_input if t.label == "电话").input("010-66666666").run()
    assert not at.exception
    body = texts(at)
    assert "您的修改没有保存" in body and "无权修改报告" in body
    assert store.load(rid, actor=LOCAL)[0].meta.contact.phone != "010-66666666"
    assert store.load(rid, actor=LOCAL)[1] == 1
    [entry] = _refusals(store, REVIEWER)
    assert (entry.target, entry.detail["action"], entry.detail["role"]) == (f"报告{rid}", "修改报告", "审核人")


def test_a_clerk_cannot_save_another_agencys_report_held_in_the_session(
    store: ReportStore, ids: dict[str, int]
) -> None:
    rid = ids[OTHER]
    at = _signed_in(CLERK, "basic", open_id=rid, store=store)
    next(t for t in at.text_input if t.label == "电话").input("010-77777777").run()
    assert not at.exception
    assert "您的修改没有保存" in texts(at) and f"“{OTHER}”不是您负责的单位" in texts(at)
    assert store.load(rid, actor=LOCAL)[1] == 1
    refused = [e.detail["action"] for e in _refusals(store, CLERK)]
    assert refused.count("修改报告") == 1 and set(refused) <= {"修改报告", "查看报告"}  # the page's reads are refused too


@pytest.fixture
def deferred_files(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Callable[[], Any]]]:
    """The download buttons' files, by file name: Streamlit makes them only when a button is
    clicked, which AppTest cannot do, so the test calls them as the click would."""
    made: dict[str, Callable[[], Any]] = {}
    original = MediaFileManager.add_deferred

    def record(self: MediaFileManager, data_callable: Callable[[], Any], *args: Any, **kwargs: Any) -> str:
        made[str(kwargs.get("file_name") or args[2])] = data_callable
        return original(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    yield made


def _downloads(at: AppTest) -> dict[str, bool]:
    """Each download button's label and whether it is disabled."""
    return {str(e.proto.label): bool(e.proto.disabled) for e in at.get("download_button")}


def test_a_clerk_cannot_export_another_agencys_report(
    store: ReportStore, ids: dict[str, int], deferred_files: dict[str, Callable[[], Any]]
) -> None:
    at = _signed_in(CLERK, "check_export", open_id=ids[OTHER], store=store)
    body = texts(at)
    assert "无权导出草稿" in body
    assert not _downloads(at)  # the refusal in place of every download
    assert deferred_files == {}  # and no file left for a crafted request to fetch
    assert not [e for e in read_entries(store.engine) if e.action == "export"]


def test_an_export_is_made_on_click_as_the_user_and_recorded(
    store: ReportStore, ids: dict[str, int], deferred_files: dict[str, Callable[[], Any]]
) -> None:
    rid = ids[OWN]
    at = _signed_in(CLERK, "check_export", address=rid)
    assert _downloads(at)["下载 Markdown 草稿（含元数据，可再导入）"] is False
    assert not [e for e in read_entries(store.engine) if e.action == "export"]  # showing the page exports nothing
    [draft_name] = [name for name in deferred_files if "草稿" in name and name.endswith(".md")]
    content = deferred_files[draft_name]()
    assert OWN in content.decode("utf-8") and "草稿" in content.decode("utf-8")
    [entry] = [e for e in read_entries(store.engine) if e.action == "export"]
    assert (entry.actor, entry.target, entry.source) == ("zhang", f"报告{rid}", "10.0.0.7")
    assert (entry.detail["kind"], entry.detail["format"]) == ("草稿", "md")


def test_the_single_user_is_refused_nothing(store: ReportStore, ids: dict[str, int]) -> None:
    """Without sign-in (the default local installation) every report opens by its address."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["report"] = str(ids[OTHER])
    at.switch_page(f"{PAGES}/basic.py")
    at.run()
    assert not at.exception and at.session_state["report"].meta.agency == OTHER
    assert not [e for e in read_entries(store.engine) if e.action == "access_denied"]


def test_a_reviewer_cannot_create_or_delete_reports(store: ReportStore, ids: dict[str, int]) -> None:
    at = _signed_in(REVIEWER, "reports")
    next(t for t in at.text_input if t.label == "机关名称").input(OWN)
    next(b for b in at.button if b.label == "新建报告").click().run()
    assert not at.exception
    assert "报告没有新建" in texts(at) and "无权新建报告" in texts(at)
    rid = ids[OWN]
    at.button(key=f"delete_{rid}").click().run()
    at.button(key=f"confirm_delete_{rid}").click().run()
    assert not at.exception
    assert "报告没有删除" in texts(at) and "无权删除报告" in texts(at)
    assert sorted(s.agency for s in store.list_reports(actor=LOCAL)) == sorted([OWN, OTHER])  # nothing new, nothing gone
    assert [e.detail["action"] for e in _refusals(store, REVIEWER)] == ["新建报告", "删除报告"]


def test_a_clerk_cannot_approve_their_own_report(store: ReportStore) -> None:
    """The page offers the clerk no 通过 after submitting; the storage refuses the move anyway
    (as a crafted request would try it) and records the refusal."""
    report = load_example("example-2021")  # clean: it can be submitted
    rid = store.create(report, actor=LOCAL)[0]
    clerk = Actor("li", "clerk", (report.meta.agency,), "李科员", source="10.0.0.6")
    at = _signed_in(clerk, "check_export", address=rid)
    at.button(key="review_submitted").click().run()
    assert not at.exception and "状态：待审核" in texts(at)
    assert "review_approved" not in [b.key for b in at.button]  # no 通过 for the one who submitted
    review = ReviewStore(store.engine)
    with pytest.raises(AccessDenied) as refused:
        review.transition(rid, "approved", actor=clerk)
    assert "无权通过审核" in str(refused.value)
    assert review.status(rid, actor=LOCAL) == "submitted"
    [entry] = _refusals(store, clerk)
    assert (entry.target, entry.source, entry.detail["action"]) == (f"报告{rid}", "10.0.0.6", "通过审核")
