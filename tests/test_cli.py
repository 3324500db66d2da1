"""The core CLI: exit codes, Chinese output, --json fields, and the light check path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gkassist.cli import main
from gkassist.examples import SEED_TEXT

EXAMPLE = Path(__file__).resolve().parent.parent / "gkassist" / "examples" / "example-2021.json"


def test_check_clean_example_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLE)]) == 0
    assert "错误0个" in capsys.readouterr().out


def test_check_json_has_table_row_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    report["tables"]["s3"]["cells"]["new"]["natural"] = "21"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    assert main(["check", str(path), "--json"]) == 1
    findings = json.loads(capsys.readouterr().out)
    a1 = next(f for f in findings if f["code"] == "A1")
    assert (a1["severity"], a1["format"], a1["table"], a1["column"]) == ("error", "gk2021", "s3", "natural")
    assert (a1["address"], a1["key"]) == ("s3.*.natural", "A1@s3.*.natural")
    assert a1["where"] == "表三“申请人情况·自然人”列"  # the place in words, derived from the ids
    a3 = next(f for f in findings if f["code"] == "A3")
    assert (a3["row"], a3["address"]) == ("new", "s3.new")
    assert a3["where"] == "表三“一、本年新收政府信息公开申请数量”行"


def test_unreadable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("今天天气很好。", encoding="utf-8")
    assert main(["check", str(junk)]) == 2
    assert main(["check", str(tmp_path / "missing.txt")]) == 2
    assert "无法读取" in capsys.readouterr().err


def test_import_then_export_gate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "seed.json"
    assert main(["import", str(SEED_TEXT), "-o", str(saved)]) == 0
    assert main(["export", str(saved), "-o", str(tmp_path / "out.md")]) == 1  # F2 is an error
    assert "导出被拒绝" in capsys.readouterr().err and not (tmp_path / "out.md").exists()
    assert main(["export", str(saved), "-o", str(tmp_path / "draft.md"), "--draft"]) == 0
    assert "草稿，未经校验" in (tmp_path / "draft.md").read_text(encoding="utf-8")


def test_accept_warnings_records_acknowledgement(tmp_path: Path) -> None:
    report = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    report["meta"]["publication_date"] = None  # F4 warning
    path = tmp_path / "r.json"
    path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    assert main(["export", str(path), "-o", str(tmp_path / "a.md")]) == 1
    assert main(["export", str(path), "-o", str(tmp_path / "a.md"), "--accept-warnings", "F4"]) == 0
    assert "code: F4" in (tmp_path / "a.md").read_text(encoding="utf-8")


def test_check_path_imports_no_streamlit_or_langchain() -> None:
    code = (
        f"import sys; from gkassist.cli import main; main(['check', {str(EXAMPLE)!r}]);"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('streamlit', 'langchain_core', 'langchain_openai', 'openai', 'tiktoken')];"
        "print('BAD', bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False).stdout
    assert "BAD []" in out
