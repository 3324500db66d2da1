"""Storage when the disk or the database refuses: a Chinese StorageError, nothing half-saved, and a
read-only SQLite file still opens for reading."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from gkassist.model import Report
from gkassist.storage import ReportStore, StorageError
from gkassist.storage.errors import describe
from tests.actors import LOCAL, as_user

ROOT = Path(__file__).resolve().parents[1]


def _filled(tmp_path: Path) -> tuple[str, int]:
    """A SQLite file with one report (two versions); the engine is closed again."""
    path = tmp_path / "gk.db"
    store = ReportStore(f"sqlite:///{path}")
    report = Report.new("某某局", 2024)
    rid, version = store.create(report, actor=as_user("张三"))
    report.sections["s1"] = "第二版"
    store.save(rid, report, version, actor=as_user("张三"))
    store.engine.dispose()
    return str(path), rid


def limit_growth(store: ReportStore) -> Callable[[], None]:
    """Make the database full, as SQLite sees it (no new page can be allocated); returns the undo."""

    def cap(dbapi_connection: Any, _record: Any) -> None:
        count = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {count}")

    def lift() -> None:
        event.remove(store.engine, "connect", cap)
        store.engine.dispose()

    event.listen(store.engine, "connect", cap)
    store.engine.dispose()  # pooled connections get the cap when they reconnect
    return lift


def big_report() -> Report:
    report = Report.new("某某局", 2024)
    report.sections["s1"] = "公开" * 20_000  # needs new pages
    return report


def test_disk_full_on_save_is_a_chinese_error_and_keeps_the_last_version(tmp_path: Path) -> None:
    path, rid = _filled(tmp_path)
    store = ReportStore(f"sqlite:///{path}")
    limit_growth(store)
    with pytest.raises(StorageError) as err:
        store.save(rid, big_report(), 2, actor=as_user("李四"))
    assert "保存失败：服务器磁盘已满" in str(err.value) and "清理磁盘空间" in str(err.value)
    with pytest.raises(StorageError, match="磁盘已满"):
        store.create(big_report(), actor=LOCAL)
    loaded, version = store.load(rid, actor=LOCAL)
    assert version == 2 and loaded.section("s1") == "第二版"  # nothing half-saved


def test_driver_error_raised_directly_is_translated(tmp_path: Path) -> None:
    path, rid = _filled(tmp_path)
    store = ReportStore(f"sqlite:///{path}")

    def full(*_args: Any) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    event.listen(store.engine, "before_cursor_execute", full)
    with pytest.raises(StorageError, match="磁盘已满"):
        store.save(rid, Report.new("某某局", 2024), 2, actor=LOCAL)


def test_read_only_uri_opens_for_reading_and_refuses_writes(tmp_path: Path) -> None:
    path, rid = _filled(tmp_path)
    store = ReportStore(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert [s.agency for s in store.list_reports(actor=LOCAL)] == ["某某局"]
    assert store.load(rid, actor=LOCAL)[0].section("s1") == "第二版" and len(store.versions(rid, actor=LOCAL)) == 2
    for attempt in (lambda: store.save(rid, Report.new("某某局", 2024), 2, actor=LOCAL), lambda: store.create(Report.new("乙局", 2024), actor=LOCAL),
                    lambda: store.delete(rid, actor=LOCAL)):
        with pytest.raises(StorageError, match="数据库是只读的"):
            attempt()


_READ_ONLY_PROBE = textwrap.dedent(
    """
    import json, sys
    from gkassist.access import Actor
    from gkassist.model import Report
    from gkassist.storage import ReportStore, StorageError
    store = ReportStore(sys.argv[1])
    local = Actor.single_user("测试员")
    out = {"agencies": [s.agency for s in store.list_reports(actor=local)],
           "s1": store.load(int(sys.argv[2]), actor=local)[0].section("s1"), "read_only": store.read_only}
    try:
        store.save(int(sys.argv[2]), Report.new("某某局", 2024), 2, actor=local)
    except StorageError as exc:
        out["save"] = str(exc)
    print(json.dumps(out, ensure_ascii=False))
    """
)


def _as_unprivileged(argv: list[str]) -> list[str]:
    """Root ignores file permissions: drop that power (setpriv), so chmod means what it says."""
    if os.geteuid() != 0:
        return argv
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file permissions cannot be tested")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", *argv]


@pytest.mark.parametrize("journal", ["wal", "delete"])
@pytest.mark.parametrize("folder_writable", [True, False])
def test_read_only_file_opens_for_reading(tmp_path: Path, journal: str, folder_writable: bool) -> None:
    """chmod a-w on the database (and its folder): the app can still open and read every report."""
    folder = tmp_path / "db"
    folder.mkdir()
    path, rid = _filled(folder)
    if journal == "delete":
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA journal_mode=DELETE")
    os.chmod(path, 0o444)
    if not folder_writable:
        os.chmod(folder, 0o555)
    try:
        done = subprocess.run(
            _as_unprivileged([sys.executable, "-c", _READ_ONLY_PROBE, f"sqlite:///{path}", str(rid)]),
            capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    finally:
        os.chmod(folder, 0o755)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["agencies"] == ["某某局"] and result["s1"] == "第二版"
    assert "保存失败：数据库是只读的" in result["save"]


def test_database_that_cannot_be_created_is_a_chinese_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="打开数据库失败"):
        ReportStore(f"sqlite:///{blocker / 'gk.db'}")


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ('could not extend file "base/16384/2619": No space left on device', "磁盘已满"),
        ("cannot execute UPDATE in a read-only transaction", "只读"),
        ("database is locked", "占用"),
        ('connection to server at "127.0.0.1", port 5432 failed: Connection refused', "无法连接数据库服务器"),
        ("something nobody expected", "数据库出错"),
    ],
)
def test_driver_messages_in_chinese(message: str, reason: str) -> None:
    error = describe("保存", RuntimeError(message))
    assert reason in error.message_zh() and error.message_zh().startswith("保存失败：")
