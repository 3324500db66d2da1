"""Batch audit: every file of a folder gets a row, unreadable ones with the reason; findings file; progress."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from gkassist.audit.runner import Progress, audit_bytes, audit_folder, iter_audit, list_report_files
from gkassist.cli import main
from gkassist.examples import SEED_TEXT, load_example

FIXTURES = Path(__file__).parent / "fixtures" / "html"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "reports"
    (d / "sub").mkdir(parents=True)
    for i in range(6):
        shutil.copy(SEED_TEXT, d / f"seed{i}.txt")
    for f in FIXTURES.glob("*.html"):
        shutil.copy(f, d / "sub" / f.name)
    (d / "clean.json").write_text(load_example("example-2021").model_dump_json(), encoding="utf-8")
    (d / "garbage.txt").write_text("这不是年度报告。", encoding="utf-8")
    (d / "empty.md").write_bytes(b"")
    (d / "scan.docx").write_bytes(b"PK\x03\x04not really a docx")
    (d / "notes.xlsx").write_bytes(b"ignored: not a report suffix")
    (d / ".hidden.txt").write_text("ignored", encoding="utf-8")
    return d


def test_lists_report_files_only(folder: Path) -> None:
    names = [p.relative_to(folder).as_posix() for p in list_report_files(folder)]
    assert "notes.xlsx" not in names and ".hidden.txt" not in names
    assert "sub/zoom-2022.html" in names and len(names) == 6 + 3 + 4


def test_audit_folder_rows_in_order_with_reasons(folder: Path) -> None:
    seen: list[int] = []
    results = audit_folder(folder, workers=2, progress=lambda done, total: seen.append(done))
    assert seen == list(range(1, 14))
    by_name = {r.file: r for r in results}
    assert [r.file for r in results] == sorted(by_name)  # input order kept
    seed = by_name["seed0.txt"]
    assert seed.readable and seed.year == 2024 and seed.format == "gk2021" and seed.agency
    assert seed.errors + seed.warnings == len(seed.findings) - seed.infos
    assert by_name["clean.json"].readable and by_name["clean.json"].findings == []
    for bad in ("garbage.txt", "empty.md", "scan.docx"):
        assert not by_name[bad].readable and by_name[bad].reason, bad
    assert "空" in by_name["empty.md"].reason
    html = by_name["sub/gbk-2019.html"]
    assert html.readable and html.format == "gk2019" and len(html.top()) == 3
    assert html.top()[0].startswith("【")


def test_parallel_and_serial_agree(folder: Path) -> None:
    paths = list_report_files(folder)
    one = [(r.file, r.errors, r.warnings, r.reason) for r in iter_audit(paths, folder, workers=1)]
    two = [(r.file, r.errors, r.warnings, r.reason) for r in iter_audit(paths, folder, workers=2)]
    assert one == two


def test_importer_crash_gives_a_row(monkeypatch: pytest.MonkeyPatch) -> None:
    import gkassist.importers as importers

    def boom(data: bytes, name: str = "") -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(importers, "import_bytes", boom)
    result = audit_bytes("x.txt", b"something")
    assert not result.readable and "程序出错" in result.reason


def test_cli_audit_writes_summary_and_findings(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out" / "summary.csv"
    code = main(["audit", str(folder), "--csv", str(out)])
    assert code == 1  # the seed has errors and some files are unreadable
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0][:6] == ["文件", "机关", "年度", "格式", "错误数", "警告数"]
    assert len(rows) == 1 + 13
    garbage = next(r for r in rows if r[0] == "garbage.txt")
    assert garbage[-1] and not garbage[1]
    findings = list(csv.reader(io.StringIO((tmp_path / "out" / "summary-findings.csv").read_text(encoding="utf-8-sig"))))
    assert findings[0] == ["文件", "代码", "级别", "位置", "内容"]
    assert any(r[0] == "seed0.txt" and r[2] == "错误" for r in findings[1:])
    assert "共审核13份" in capsys.readouterr().out


def test_cli_audit_json_and_jsonl(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s.csv"
    main(["audit", str(folder), "--json", "--csv", str(out), "--findings-format", "jsonl", "--workers", "1"])
    payload = json.loads(capsys.readouterr().out)
    assert len(payload) == 13 and {"file", "readable", "errors", "warnings", "top", "reason"} <= set(payload[0])
    lines = (tmp_path / "s-findings.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines and all({"file", "code", "severity", "message"} <= set(json.loads(x)) for x in lines)


def test_cli_audit_missing_or_empty_folder(tmp_path: Path) -> None:
    assert main(["audit", str(tmp_path / "nope")]) == 2
    assert main(["audit", str(tmp_path)]) == 2


def test_progress_bar_plain_text() -> None:
    stream = io.StringIO()
    bar = Progress(4, stream=stream, enabled=True)
    for i in range(1, 5):
        bar.update(i)
    bar.finish()
    text = stream.getvalue()
    assert text.startswith("\r审核进度 [") and "4/4 100%" in text and text.endswith("\n")
    quiet = io.StringIO()
    Progress(4, stream=quiet, enabled=False).update(2)
    assert quiet.getvalue() == ""
