"""Uploads in the app (issue 11): the import limits apply to every upload, Streamlit's own upload
size matches them, an upload past a limit shows the Chinese message and keeps what was typed, and
while one session's import runs (in its child process) another session is served.
"""

from __future__ import annotations

import threading
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gkassist.examples import load_example
from gkassist.isolation import runner
from gkassist.limits import LIMITS, MB
from gkassist.model import Report
from gkassist.storage import ReportStore
from gkassist.ui import last_year_source
from tests.actors import LOCAL
from tests.app.support import open_app, texts

ROOT = Path(__file__).resolve().parents[2]
OVER = b"x" * (LIMITS.file_bytes + 1)


def test_streamlit_upload_size_is_the_import_limit(store: ReportStore) -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * MB == LIMITS.file_bytes
    for page in ("basic", "compare", "audit"):  # and each uploader says so itself
        at, _ = open_app(store, Report.new("测试局", 2024) if page != "audit" else None, page)
        assert at.file_uploader, page
        assert all(u.proto.max_upload_size_mb * MB == LIMITS.file_bytes for u in at.file_uploader), page


def _text_input(at: AppTest, label: str) -> object:
    return next(w for w in at.text_input if w.label == label)


def test_an_upload_past_the_limit_shows_the_limit_and_keeps_what_was_typed(store: ReportStore) -> None:
    at, rid = open_app(store, Report.new("测试局", 2024), "basic")
    agency = next(w for w in at.text_input if w.label == "机关名称")
    agency.input("某某市生态环境局").run()
    phone = next(w for w in at.text_input if w.label == "电话")
    phone.input("010-12345678").run()
    saved_version = store.load(rid, actor=LOCAL)[1]
    at.file_uploader[0].set_value(("上年报告.txt", OVER, "text/plain")).run()
    at.button(key="import_last_year").click().run()
    assert not at.exception
    shown = texts(at)
    assert "上年报告没有导入" in shown and "超过了导入上限（20 MB）" in shown and "没有导入任何内容" in shown
    assert next(w for w in at.text_input if w.label == "机关名称").value == "某某市生态环境局"
    assert next(w for w in at.text_input if w.label == "电话").value == "010-12345678"
    report, version = store.load(rid, actor=LOCAL)
    assert version == saved_version and report.last_year is None  # nothing of the upload saved
    assert report.meta.agency == "某某市生态环境局" and report.meta.contact.phone == "010-12345678"


def test_the_compare_page_refuses_an_upload_past_the_limit(store: ReportStore) -> None:
    at, rid = open_app(store, Report.new("测试局", 2024), "compare")
    at.file_uploader(key="cmp_upload").set_value(("上年.html", OVER, "text/html")).run()
    at.button(key="cmp_use_upload").click().run()
    assert not at.exception
    assert "超过了导入上限（20 MB）" in texts(at)
    assert store.load(rid, actor=LOCAL)[0].last_year is None


def test_the_audit_page_lists_an_upload_past_the_limit_as_unreadable(store: ReportStore) -> None:
    at, _ = open_app(store, None, "audit")
    seed = (ROOT / "tests" / "fixtures" / "real" / "203.txt").read_bytes()
    at.file_uploader(key="audit_upload").set_value([("大.txt", OVER, "text/plain"), ("203.txt", seed, "text/plain")]).run()
    at.button(key="audit_run").click().run()
    assert not at.exception
    results = at.session_state["audit_results"]
    assert [r.readable for r in results] == [False, True]
    assert "超过了导入上限（20 MB）" in results[0].reason


@pytest.fixture
def one_runtime(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server has one runtime for all its sessions; AppTest sets a mock one for each run and
    clears it when the run ends. Two sessions running at once keep using the last one set."""
    from streamlit.runtime import Runtime

    seen: list[Runtime] = []
    original = Runtime.instance.__func__  # type: ignore[attr-defined]

    def instance(cls: type[Runtime]) -> Runtime:
        if cls._instance is not None:
            seen[:] = [cls._instance]
            return cls._instance
        return seen[0] if seen else original(cls)  # type: ignore[no-any-return]

    monkeypatch.setattr(Runtime, "instance", classmethod(instance))


def test_another_session_is_served_while_an_import_runs(
    store: ReportStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, one_runtime: None
) -> None:
    """Session A imports last year's report through the real child process, held open by a gate;
    session B opens pages and saves an edit meanwhile. B finishes while A's import still waits."""
    gate = tmp_path / "gate"
    monkeypatch.setattr(runner, "CHILD_MODULE", "tests.stand_in_child")
    monkeypatch.setattr(runner, "CHILD_GRACE", 300.0)  # the gate, not the deadline, ends the wait here
    monkeypatch.setenv("GKASSIST_TEST_CHILD", f"gate:{gate}")
    last = load_example("example-2021")
    last.meta.year = 2023
    a, a_id = open_app(store, Report.new("甲局", 2024), "basic")
    b, b_id = open_app(store, Report.new("乙局", 2024), "highlights")
    a.file_uploader[0].set_value(("2023.json", last.model_dump_json().encode(), "application/json")).run()
    importing = threading.Thread(target=lambda: a.button(key="import_last_year").click().run(timeout=120))
    importing.start()
    try:
        started = gate.with_suffix(".started")
        for _ in range(3000):  # the child is up and holding the import
            if started.exists() or not importing.is_alive():
                break
            importing.join(timeout=0.02)
        assert started.exists(), "the import never reached its child process"
        b.text_area[0].input("全年主动公开各类信息。").run()
        b.switch_page("gkassist/ui/pages/basic.py").run()
        assert not b.exception
        assert store.load(b_id, actor=LOCAL)[0].highlights == {"主动公开": "全年主动公开各类信息。"}
        assert importing.is_alive() and store.load(a_id, actor=LOCAL)[0].last_year is None  # A is still importing
    finally:
        gate.write_text("open", encoding="utf-8")
        importing.join(timeout=120)
    assert not importing.is_alive()
    assert "已读取上年报告" in texts(a)
    assert store.load(a_id, actor=LOCAL)[0].last_year is not None


def test_the_import_action_reads_through_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages' import actions never call the importers in the server process."""
    monkeypatch.setattr("gkassist.importers.import_bytes", lambda *a: pytest.fail("imported in the server process"))
    last = load_example("example-2021")
    last.meta.year = 2023
    this = Report.new("测试局", 2024)
    for prefill in (True, False):  # 基本信息 pre-fills 上年结转, 对照上年 only attaches
        this.last_year = None
        outcome = last_year_source.read_last_year(this, last.model_dump_json().encode(), "2023.json", prefill=prefill)
        assert outcome.ok and this.last_year is not None
