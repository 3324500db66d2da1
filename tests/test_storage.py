"""Storage: versions, restore, optimistic concurrency (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gkassist.model import Report
from gkassist.storage import ConflictError, ReportStore, default_database_url
from tests.actors import LOCAL, as_user
from tests.tools import require_tool


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ReportStore]:
    """Every storage test runs on SQLite and on the PostgreSQL server quickstart.sh starts."""
    if request.param == "sqlite":
        yield ReportStore(f"sqlite:///{tmp_path / 'gk.db'}")
        return
    store = ReportStore(require_tool(request, "postgresql"))
    _wipe(store)
    yield store
    _wipe(store)


def _wipe(store: ReportStore) -> None:
    for summary in store.list_reports(actor=LOCAL):
        store.delete(summary.id, actor=LOCAL)


def test_every_save_is_a_new_version_with_author(store: ReportStore) -> None:
    report = Report.new("某某市生态环境局", 2024)
    rid, v1 = store.create(report, actor=as_user("张三"))
    report.table("s3").set("new", "natural", "5")
    v2 = store.save(rid, report, v1, actor=as_user("李四"), note="填报表三")
    assert (v1, v2) == (1, 2)
    loaded, version = store.load(rid, actor=LOCAL)
    assert version == 2
    assert loaded.table("s3").get("new", "natural").value == 5
    history = store.versions(rid, actor=LOCAL)
    assert [(h.version, h.author, h.note) for h in history] == [(2, "李四", "填报表三"), (1, "张三", "新建报告")]
    old, _ = store.load(rid, 1, actor=LOCAL)
    assert old.table("s3").get("new", "natural").state == "blank"


def test_invalid_raw_text_is_kept_as_typed(store: ReportStore) -> None:
    report = Report.new("某某局", 2024)
    report.table("s3").set("new", "biz", "abc")
    rid, _ = store.create(report, actor=LOCAL)
    cell = store.load(rid, actor=LOCAL)[0].table("s3").get("new", "biz")
    assert (cell.raw, cell.state) == ("abc", "invalid")


def test_stale_base_version_raises_conflict_and_keeps_newer_data(store: ReportStore) -> None:
    report = Report.new("某某局", 2024)
    rid, v1 = store.create(report, actor=as_user("甲"))
    mine = report.model_copy(deep=True)
    theirs = report.model_copy(deep=True)
    theirs.table("s3").set("new", "natural", "7")
    store.save(rid, theirs, v1, actor=as_user("乙"))
    mine.table("s3").set("new", "natural", "9")
    with pytest.raises(ConflictError) as err:
        store.save(rid, mine, v1, actor=as_user("甲"))
    assert "已被“乙”修改" in str(err.value) and "未保存" in str(err.value)
    assert err.value.current_version == 2
    assert store.load(rid, actor=LOCAL)[0].table("s3").get("new", "natural").value == 7
    assert len(store.versions(rid, actor=LOCAL)) == 2


def test_restore_makes_a_new_version_with_old_content(store: ReportStore) -> None:
    report = Report.new("某某局", 2024)
    rid, v = store.create(report, actor=LOCAL)
    report.sections["s1"] = "第二版文字"
    v = store.save(rid, report, v, actor=LOCAL)
    restored, v3 = store.restore(rid, 1, v, actor=as_user("王五"))
    assert v3 == 3 and restored.section("s1") == ""
    assert store.load(rid, actor=LOCAL)[0].section("s1") == ""
    assert store.versions(rid, actor=LOCAL)[0].note == "由第1版恢复"
    with pytest.raises(ConflictError):
        store.restore(rid, 2, v, actor=as_user("王五"))  # stale base


def test_list_several_agencies_and_years_and_delete(store: ReportStore) -> None:
    a, _ = store.create(Report.new("甲局", 2023), actor=LOCAL)
    store.create(Report.new("甲局", 2024), actor=LOCAL)
    store.create(Report.new("乙局", 2024), actor=LOCAL)
    assert [(s.agency, s.year) for s in store.list_reports(actor=LOCAL)] == [("乙局", 2024), ("甲局", 2024), ("甲局", 2023)]
    assert store.list_reports(actor=LOCAL)[2].format == "gk2021"
    store.delete(a, actor=LOCAL)
    assert len(store.list_reports(actor=LOCAL)) == 2
    assert store.versions(a, actor=LOCAL) == []


def test_default_url_creates_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GKASSIST_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    url = default_database_url()
    assert url == "sqlite:///data/gkassist.db" and (tmp_path / "data").is_dir()
    monkeypatch.setenv("GKASSIST_DATABASE_URL", "sqlite:///elsewhere.db")
    assert default_database_url() == "sqlite:///elsewhere.db"


def test_api_key_is_never_stored(store: ReportStore) -> None:
    """A report drafted with a keyed model and saved: the key is in no stored row."""
    from pydantic import SecretStr

    from gkassist.drafting import draft_section
    from gkassist.drafting.settings import LLMSettings
    from gkassist.examples import load_example
    from gkassist.ui import drafting_glue
    from tests.fakes.llm_server import FakeLLMServer, Reply

    report = load_example("example-2021")
    text = draft_section(report, "s6", "template").result.text
    with FakeLLMServer(default=Reply(text)) as srv:
        settings = LLMSettings(base_url=srv.base_url, model="m", api_key=SecretStr("sk-secret-123"), retries=0)
        result = draft_section(report, "s6", "llm", settings, validator=lambda r, s, t: []).result
        assert srv.requests[0].headers["authorization"] == "Bearer sk-secret-123"
    assert result.text == text
    drafting_glue.record_draft(report, "s6", "llm", drafting_glue.describe_provenance(result), result.text)
    rid, _ = store.create(report, actor=LOCAL)
    with store.engine.connect() as conn:
        dump = "".join(str(row) for table in ("reports", "report_versions") for row in conn.exec_driver_sql(f"select * from {table}"))
    assert "sk-secret" not in dump and rid


def test_sqlite_file_uses_write_ahead_log(tmp_path: Path) -> None:
    """Autosaves commit without waiting for the disk; a crashed or restarted server loses nothing."""
    from sqlalchemy import text

    store = ReportStore(f"sqlite:///{tmp_path / 'gk.db'}")
    rid, version = store.create(Report.new("测试局", 2024), actor=as_user("张三"))
    store.save(rid, Report.new("测试局", 2024), version, actor=as_user("张三"))
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    reopened = ReportStore(f"sqlite:///{tmp_path / 'gk.db'}")  # a new process would see the same
    assert reopened.load(rid, actor=LOCAL)[1] == 2


def test_history_names_authors_and_diffs_any_two_versions(store: ReportStore) -> None:
    """Who saved each version and when; the difference between any two (in either order); a
    restore is a new version that says where it came from."""
    from gkassist.storage.history import diff_versions

    report = Report.new("某某局", 2024)
    rid, v1 = store.create(report, actor=as_user("张三"))
    report.table("s3").set("new", "natural", "5")
    v2 = store.save(rid, report, v1, actor=as_user("李四"), note="填报表三")
    report.sections["s1"] = "本机关主动公开信息120条。"
    v3 = store.save(rid, report, v2, actor=as_user("王五"), note="修改一、总体情况")
    history = store.versions(rid, actor=LOCAL)
    assert [(h.version, h.author) for h in history] == [(3, "王五"), (2, "李四"), (1, "张三")]
    assert history[0].created_at >= history[2].created_at
    diff = diff_versions(store, rid, v3, v1, actor=LOCAL)  # either order: from the older to the newer
    assert (diff.older, diff.newer) == (1, 3)
    assert [(c.old, c.new) for c in diff.cells] == [("空白", "5")]
    assert [t.place for t in diff.texts] == ["一、总体情况"]
    assert diff_versions(store, rid, v2, v3, actor=LOCAL).cells == []
    _, v4 = store.restore(rid, v1, v3, actor=as_user("赵六"))
    assert (v4, store.versions(rid, actor=LOCAL)[0].note, store.versions(rid, actor=LOCAL)[0].author) == (4, "由第1版恢复", "赵六")
    assert diff_versions(store, rid, v1, v4, actor=LOCAL).empty
