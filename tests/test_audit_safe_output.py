"""Audit output is safe to open and never breaks on a name: formula cells neutralised, file
names that are not UTF-8 shown escaped, every file a row (CSV, findings, JSON, terminal)."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from gkassist.audit.runner import AuditResult, audit_bytes, summary_csv_text
from gkassist.audit.safetext import csv_cell, printable
from gkassist.cli import main
from gkassist.examples import SEED_TEXT, load_example
from gkassist.ui.review_actions import audit_csv

BAD_NAME = b"\xe6\x8a\xa5\xe5\x91\x8a\xff\xfe.txt"  # 报告 + two bytes that are not UTF-8


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Six report files, the fourth in name order with an undecodable name."""
    d = tmp_path / "reports"
    d.mkdir()
    seed = SEED_TEXT.read_bytes()
    for name in (b"a.txt", b"b.txt", b"c.txt", BAD_NAME, "乙.txt".encode(), "甲.txt".encode()):
        with open(os.path.join(os.fsencode(d), name), "wb") as fh:
            fh.write(seed)
    assert len(os.listdir(os.fsencode(d))) == 6
    return d


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_csv_with_an_undecodable_file_name_has_every_row(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "summary.csv"
    assert main(["audit", str(folder), "--csv", str(out), "--workers", "1"]) == 1  # the seed has errors
    rows = _rows(out)
    assert len(rows) == 1 + 6
    names = [r[0] for r in rows[1:]]
    assert "报告\\xff\\xfe.txt" in names and "甲.txt" in names and "乙.txt" in names
    assert all(r[1] and r[4] for r in rows[1:])  # every file was read and checked, the odd one too
    findings = _rows(tmp_path / "out" / "summary-findings.csv")
    assert {r[0] for r in findings[1:]} == set(names)


def test_json_jsonl_and_terminal_output_show_the_name_escaped(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s.csv"
    main(["audit", str(folder), "--json", "--csv", str(out), "--findings-format", "jsonl", "--workers", "2"])
    payload = json.loads(capsys.readouterr().out)
    assert len(payload) == 6 and "报告\\xff\\xfe.txt" in [p["file"] for p in payload]
    lines = (tmp_path / "s-findings.jsonl").read_text(encoding="utf-8").splitlines()
    assert any(json.loads(line)["file"] == "报告\\xff\\xfe.txt" for line in lines)
    main(["audit", str(folder), "--workers", "1"])
    printed = capsys.readouterr().out
    assert "报告\\xff\\xfe.txt\t" in printed and "共审核6份" in printed


def test_formula_cells_are_neutralised_in_the_summary_and_findings(tmp_path: Path) -> None:
    d = tmp_path / "r"
    d.mkdir()
    report = load_example("example-2021")
    report.meta.agency = '=HYPERLINK("http://evil.example","点击")'
    report.meta.publication_date = None  # a warning whose message we can look for
    (d / "=cmd.json").write_text(report.model_dump_json(), encoding="utf-8")
    (d / "+1.json").write_text(report.model_dump_json(), encoding="utf-8")
    out = tmp_path / "s.csv"
    main(["audit", str(d), "--csv", str(out), "--workers", "1"])
    rows = _rows(out)
    by_file = {r[0]: r for r in rows[1:]}
    assert set(by_file) == {"'=cmd.json", "'+1.json"}
    assert by_file["'=cmd.json"][1] == "'" + report.meta.agency
    for row in [*rows, *_rows(tmp_path / "s-findings.csv")]:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"), ("+86 010", "'+86 010"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"), ("\rx", "'\rx"), ("某某局", "某某局"), ("3", "3"), ("", ""), (" =1", " =1"),
    ],
)
def test_csv_cell(value: str, shown: str) -> None:
    assert csv_cell(value) == shown


def test_printable_escapes_bytes_and_lone_surrogates() -> None:
    assert printable(os.fsdecode(BAD_NAME)) == "报告\\xff\\xfe.txt"
    assert printable("某\ud800局") == "某\\ud800局"
    assert printable("正常") == "正常"


def test_app_download_uses_the_same_safe_table() -> None:
    agency = "=1+2"
    result = audit_bytes("-x.json", load_example("example-2021").model_copy(
        update={"meta": load_example("example-2021").meta.model_copy(update={"agency": agency})}
    ).model_dump_json().encode())
    assert isinstance(result, AuditResult) and result.readable
    data = audit_csv([result])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][0] == "'-x.json" and rows[1][1] == "'=1+2"
    assert data.decode("utf-8-sig") == summary_csv_text([result])


def test_a_lone_surrogate_in_report_text_does_not_break_the_outputs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Our JSON reader refuses a lone \\udcff escape; an importer that lets one through must still
    not break the CSV, JSON or terminal output."""
    import gkassist.importers as importers
    from gkassist.importers.result import ImportResult

    report = load_example("example-2021")
    report.meta.__dict__["agency"] = "某\udcff市"  # past the model, which removes it (issue 11: refused at input)
    monkeypatch.setattr(importers, "import_bytes", lambda data, name="": ImportResult(report=report, source="json"))
    result = audit_bytes("r.json", b"{}")
    assert result.readable and result.agency == "某\\xff市"  # shown as the byte it stands for
    json.dumps(result.as_json(), ensure_ascii=False).encode("utf-8")
    summary_csv_text([result]).encode("utf-8")
