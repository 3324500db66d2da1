"""Crash inputs from issue 11 as regression tests: each gives a Chinese message and exit 2, or a clean
result; an internal error exits 3 with a one-line Chinese message naming a log file."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gkassist import cli
from gkassist.cells import MAX_DIGITS, Cell
from gkassist.cli import main
from gkassist.importers import import_bytes
from gkassist.model import Meta, Report
from gkassist.storage import ReportStore
from tests.actors import LOCAL

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "gkassist" / "examples" / "example-2021.json"
SEED = ROOT / "gkassist" / "examples" / "seed-2024-changjiang-gxj.txt"
BIG = "9" * 5000
_CJK = re.compile(r"[\u4e00-\u9fff]")
TRACEBACK = "Traceback (most recent call last)"


@pytest.fixture(autouse=True)
def crash_logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    logs = tmp_path / "logs"
    monkeypatch.setenv("GKASSIST_LOG_DIR", str(logs))
    return logs


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert TRACEBACK not in out + err
    if code == 2:
        assert _CJK.search(err), err
    return code, out, err


# ---------------------------------------------------------------- digits per cell


def test_cell_with_more_digits_than_any_figure_is_invalid_with_a_reason() -> None:
    cell = Cell.parse(BIG)
    assert (cell.state, cell.raw, cell.value) == ("invalid", BIG, None)
    assert cell.reason and "5000位" in cell.reason and f"超过{MAX_DIGITS}位" in cell.reason
    assert Cell.parse("9" * MAX_DIGITS).value == int("9" * MAX_DIGITS)
    assert Cell.parse("1234567890.123456").state == "invalid"  # 16 digits in all
    assert Cell.parse(10**20).state == "invalid" and Cell.parse(10**20).raw == "1" + "0" * 20
    with pytest.raises(ValueError, match="位数过多"):
        Cell.parse(10**5000)  # a number Python cannot even print
    assert Cell.model_validate({"raw": "12", "state": "number", "value": 999}).value == 12  # state comes from raw


def _exported(tmp_path: Path, fmt: str) -> bytes:
    out = tmp_path / f"example.{fmt}"
    assert main(["export", str(EXAMPLE), "-o", str(out), "--draft"]) == 0
    return out.read_bytes()


def _blow_up_numbers(data: bytes, pattern: bytes) -> bytes:
    changed, n = re.subn(pattern, BIG.encode(), data, count=30)
    assert n > 0
    return changed


@pytest.mark.parametrize("kind", ["text", "html", "markdown", "json", "docx", "narrative"])
def test_five_thousand_digit_number_in_every_importer(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if kind == "text":
        data, name = _blow_up_numbers(SEED.read_bytes(), rb"(?<=\s)\d{1,3}(?=\s)"), "r.txt"
    elif kind == "narrative":
        data, name = SEED.read_text(encoding="utf-8").replace("。", f"，共{BIG}件。", 5).encode(), "r.txt"
    elif kind == "html":
        data, name = _blow_up_numbers(_exported(tmp_path, "html"), rb"(?<=<td>)\d{1,3}(?=</td>)"), "r.html"
    elif kind == "markdown":
        data, name = _blow_up_numbers(_exported(tmp_path, "md"), rb"(?<=\| )\d{1,3}(?= \|)"), "r.md"
    elif kind == "json":
        report = example()
        report["tables"]["s3"]["cells"]["new"]["natural"] = BIG
        data, name = json.dumps(report).encode(), "r.json"
    else:
        data, name = _docx_with_big_numbers(_exported(tmp_path, "docx")), "r.docx"
    path = tmp_path / name
    path.write_bytes(data)
    for argv in (["check", str(path)], ["import", str(path)], ["export", str(path), "-o", str(tmp_path / "o.md"), "--draft"]):
        code, out, err = run(argv, capsys)
        assert code in (0, 1), err
    result = import_bytes(data, name)
    assert result.report is not None
    cells = [c for t in result.report.tables.values() for row in t.cells.values() for c in row.values()]
    assert all(c.value is None or len(str(abs(c.value))) <= MAX_DIGITS + 1 for c in cells)
    if kind in ("json", "markdown"):  # these keep every cell as written: the cell is there, explained
        code, out, _ = run(["check", str(path)], capsys)
        assert code == 1 and "数字有5000位，超过15位" in out


def _docx_with_big_numbers(original: bytes) -> bytes:
    from io import BytesIO

    buffer = BytesIO()
    with zipfile.ZipFile(BytesIO(original)) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "word/document.xml":
                content = _blow_up_numbers(content, rb'(?<=<w:t xml:space="preserve">)\d{1,3}(?=</w:t>)')
            dst.writestr(item, content)
    return buffer.getvalue()


def test_declared_figure_must_be_a_finite_number_of_sensible_length() -> None:
    from pydantic import ValidationError

    from gkassist.validation_zh import validation_message_zh

    report = example()
    for bad in ("NaN", "Infinity", BIG, "1E+100000"):
        report["declared"] = [{"label": "发布信息", "value": bad, "unit": "条"}]
        with pytest.raises(ValidationError) as err:
            Report.model_validate(report)
        message = validation_message_zh(err.value)
        assert message.startswith("字段“declared.0.value”有误：") and re.search("具体的数字|位数过多", message), message


# ---------------------------------------------------------------- saved archives (JSON)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda r: r["tables"]["s3"]["cells"]["new"].__setitem__("natural", True), "tables.s3.cells.new.natural"),
        (lambda r: r["tables"]["s3"].__setitem__("extra_rows", [{"parent": "nope", "label": "补充", "cells": {}}]),
         "tables.s3.extra_rows.0.parent"),
        (lambda r: r["tables"]["s3"].__setitem__("extra_rows", [{"parent": "new", "label": "补充", "cells": {"zz": "1"}}]),
         "tables.s3.extra_rows.0.cells.zz"),
        (lambda r: r["tables"]["s3"]["cells"].__setitem__("no_such_row", {"natural": "1"}), "tables.s3.cells.no_such_row"),
        (lambda r: r["meta"].__setitem__("agency", "某某\x01局"), "meta.agency"),
        (lambda r: r["meta"].__setitem__("year", "二〇二四"), "meta.year"),
        (lambda r: r["sections"].__setitem__("s1", ["不是文字"]), "sections.s1"),
    ],
)
def test_archive_with_a_wrong_value_names_the_field(
    change: Any, field: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = example()
    change(report)
    path = write_json(tmp_path / "r.json", report)
    code, _, err = run(["check", str(path)], capsys)
    assert code == 2 and f"字段“{field}”" in err and "报告存档" in err


def test_archive_nested_too_deep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"meta": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    code, _, err = run(["check", str(path)], capsys)
    assert code == 2 and "JSON 文件" in err and "超过了导入上限" in err  # refused before parsing (limits.py)


def test_archive_error_message_is_chinese_for_pydantic_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = example()
    report["meta"]["format"] = "gk2030"
    code, _, err = run(["check", str(write_json(tmp_path / "r.json", report))], capsys)
    assert code == 2 and "取值不在允许的范围内" in err and "Input should" not in err


# ---------------------------------------------------------------- control characters


def test_control_characters_are_removed_by_the_model_and_refused_in_archives() -> None:
    meta = Meta(agency="某某\x01局\x7f", year=2024, format="gk2021")
    assert meta.agency == "某某局"
    with pytest.raises(ValueError, match="机关名称中含有不可见的控制字符"):
        Report.model_validate_json(json.dumps({**example(), "meta": {**example()["meta"], "agency": "a\x0bb"}}),
                                   context={"refuse_control_chars": True})
    cell = Cell.parse("1\x002")
    assert cell.raw == "12" and cell.state == "invalid" and cell.reason and "控制字符" in cell.reason


def test_imported_control_characters_are_removed_with_a_note_and_word_export_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SEED.read_text(encoding="utf-8")
    dirty = text.replace("工业和信息化局", "工业和\x01信息化\x0b局", 1).replace("。", "。\x1b", 3)
    path = tmp_path / "dirty.txt"
    path.write_text(dirty, encoding="utf-8")
    code, _, err = run(["import", str(path), "-o", str(tmp_path / "r.json")], capsys)
    assert code == 0 and "控制字符，导入时已删除" in err
    saved = (tmp_path / "r.json").read_text(encoding="utf-8")
    assert "\\u0001" not in saved and "\\u000b" not in saved and "\\u001b" not in saved
    assert main(["export", str(tmp_path / "r.json"), "-o", str(tmp_path / "r.docx"), "--draft"]) == 0


def test_archive_with_control_character_in_agency_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = example()
    report["meta"]["agency"] = "某某\x01局"
    path = write_json(tmp_path / "r.json", report)
    for out in ("o.docx", "o.md"):
        code, _, err = run(["export", str(path), "-o", str(tmp_path / out), "--draft"], capsys)
        assert code == 2 and "机关名称中含有不可见的控制字符" in err
        assert not (tmp_path / out).exists()


def test_stored_control_characters_from_before_the_check_are_cleaned_on_load(tmp_path: Path) -> None:
    store = ReportStore(f"sqlite:///{tmp_path / 'gk.db'}")
    rid, _ = store.create(Report.new("某某局", 2024), actor=LOCAL)
    with store.engine.begin() as conn:  # as an old version of the app could have saved it
        data = Report.new("某某局", 2024).model_dump_json().replace("某某局", "某某\\u0001局")
        conn.exec_driver_sql("UPDATE report_versions SET data = ? WHERE report_id = ?", (data, rid))
    assert store.load(rid, actor=LOCAL)[0].meta.agency == "某某局"


# ---------------------------------------------------------------- output and input paths


@pytest.mark.parametrize("command", ["import", "draft", "export"])
def test_output_to_a_folder_or_a_missing_folder(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = ["--section", "总体情况", "--drafter", "template"] if command == "draft" else []
    for target, expected in ((tmp_path, "是一个文件夹"), (tmp_path / "missing" / "out.md", "不存在")):
        code, _, err = run([command, str(EXAMPLE), "-o", str(target), *extra], capsys)
        assert code == 2 and expected in err


def test_audit_summary_to_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "a.json")
    code, _, err = run(["audit", str(folder), "--csv", str(tmp_path), "--workers", "1"], capsys)
    assert code == 2 and "是一个文件夹" in err


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_devices_and_pipes_are_refused_before_reading(special: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = special
    if special == "fifo":
        path = str(tmp_path / "pipe.txt")
        os.mkfifo(path)
    code, _, err = run(["check", path], capsys)
    assert code == 2 and "不是普通文件" in err


def test_usage_errors_are_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check"], capsys)
    assert code == 2 and "缺少必填参数" in err
    code, _, err = run(["frobnicate"], capsys)
    assert code == 2 and "无效" in err
    assert run(["check", "-h"], capsys)[0] == 0


# ---------------------------------------------------------------- internal errors: exit 3 and a log


def test_internal_error_exits_3_with_a_log_and_no_traceback(
    monkeypatch: pytest.MonkeyPatch, crash_logs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(_args: Any) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "cmd_check", broken)
    assert main(["check", str(EXAMPLE)]) == 3
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "程序内部出错" in lines[0] and TRACEBACK not in out + err
    log = Path(re.search(r"日志文件 (\S+) 中", lines[0]).group(1))  # type: ignore[union-attr]
    assert log.parent == crash_logs and ROOT not in log.parents
    assert "RuntimeError: a bug" in log.read_text(encoding="utf-8") and TRACEBACK in log.read_text(encoding="utf-8")


def test_internal_error_in_a_real_process(tmp_path: Path) -> None:
    """A broken rules file (an installation fault, not bad input) exits 3; the traceback is only in the log."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "layouts" / "gk2021.yaml").write_text("garbage: [", encoding="utf-8")
    env = {**os.environ, "GKASSIST_RULES_DIR": str(rules), "GKASSIST_LOG_DIR": str(tmp_path / "logs"),
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "gkassist", "check", str(EXAMPLE)], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 3 and TRACEBACK not in done.stderr and "日志文件" in done.stderr
    (log,) = (tmp_path / "logs").iterdir()
    assert TRACEBACK in log.read_text(encoding="utf-8")


def test_default_log_folder_is_the_users_state_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from gkassist.crashlog import log_dir, write_crash_log

    monkeypatch.delenv("GKASSIST_LOG_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert log_dir() == tmp_path / "state" / "gkassist" / "logs"
    monkeypatch.setenv("XDG_STATE_HOME", "/proc/no-such-place")  # not writable: the temp folder is used
    log = write_crash_log(ValueError("x"), "test")
    assert log is not None and log.is_file() and ROOT not in log.parents
    log.unlink()


def test_decimal_cells_keep_their_value() -> None:
    assert Cell.parse(Decimal("12.50")).value == Decimal("12.50")
    assert Cell.parse(Decimal("NaN")).state == "invalid"


# ---------------------------------------------------------------- crashes the fuzz test found


def test_markdown_front_matter_with_a_huge_or_deep_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """YAML turns a 5,000-digit number into an int (ValueError) and deep nesting into a RecursionError."""
    text = _exported(tmp_path, "md").decode("utf-8")
    for value in (BIG, "[" * 5000 + "]" * 5000):
        path = tmp_path / "r.md"
        path.write_text(text.replace("year: 2024", f"year: {value}", 1), encoding="utf-8")
        code, _, err = run(["check", str(path)], capsys)
        assert code == 2 and "元数据" in err


def test_markdown_front_matter_naming_a_table_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _exported(tmp_path, "md").decode("utf-8")
    path = tmp_path / "r.md"
    path.write_text(text.replace("  s4:\n", "  s9:\n", 1), encoding="utf-8")
    code, _, err = run(["check", str(path)], capsys)
    assert code == 2 and "元数据中的表格" in err


def test_word_metadata_with_wrong_column_units(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Hand-edited metadata in our .docx: the units are ignored with a note, the rest is read."""
    from tests.test_fuzz_cli import _docx_meta_parts, _with_docx_meta

    meta, original = _docx_meta_parts(tmp_path)
    for units in ({"natural": 5}, [1], "件"):
        meta["tables"]["s3"]["column_units"] = units
        path = tmp_path / "r.docx"
        path.write_bytes(_with_docx_meta(original, json.dumps(meta, ensure_ascii=False)))
        code, out, err = run(["check", str(path)], capsys)
        assert code in (0, 1) and "表头单位无效" in out + err
    meta["tables"]["s3"] = {"layout": "gk2021"}
    path.write_bytes(_with_docx_meta(original, "[" * 100_000 + "]" * 100_000))
    assert run(["check", str(path)], capsys)[0] in (0, 1)
    meta["tables"] = [[]]  # not a mapping at all
    path.write_bytes(_with_docx_meta(original, json.dumps(meta, ensure_ascii=False)))
    code, out, err = run(["check", str(path)], capsys)
    assert code in (0, 1) and "元数据无效" in out + err


def test_not_applicable_dash_in_a_row_of_too_few_numbers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A row printed as "label —" (fewer values than columns): the dash is a not-applicable mark, not a crash."""
    path = tmp_path / "r.txt"
    path.write_text("某某市生态环境局2019年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
                    "1.信访举报投诉类申请 —\n四、政府信息公开行政复议、行政诉讼情况", encoding="utf-8")
    for command in ("import", "check"):
        assert run([command, str(path)], capsys)[0] in (0, 1, 2)


def test_lone_surrogate_escape_in_an_archive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A \\udcff escape cannot be written as UTF-8 (saving or exporting would fail): refused at input,
    with the place in the file."""
    path = tmp_path / "r.json"
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace("某某市", "某\\udcff市", 1), encoding="utf-8")
    code, _, err = run(["import", str(path), "-o", str(tmp_path / "o.json")], capsys)
    assert code == 2 and "不是有效的 JSON（第" in err


@pytest.mark.parametrize("mark", ["---", "...", "+-+", "//-"])
def test_a_rule_of_dashes_or_dots_in_a_table(mark: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A word of only signs, dots or slashes (a "---" rule line) is text, not a crash of the row scanner."""
    path = tmp_path / "r.txt"
    path.write_text(f"某某市生态环境局2019年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n{mark}\n"
                    f"一、本年新收政府信息公开申请数量 1 {mark} 0\n四、政府信息公开行政复议、行政诉讼情况\n", encoding="utf-8")
    for command in ("import", "check"):
        assert run([command, str(path)], capsys)[0] in (0, 1, 2)


@pytest.mark.parametrize("span", [BIG, "²", "-3", "0"])
def test_html_colspan_that_is_no_sensible_number(span: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An empty cell's colspan of 5,000 digits (or a superscript two) is read as one cell."""
    html = _exported(tmp_path, "html").decode("utf-8").replace("<td></td>", f'<td colspan="{span}"></td>', 3)
    html = html.replace("<td>0</td>", f'<td colspan="{span}"></td>', 3)
    path = tmp_path / "r.html"
    path.write_text(html, encoding="utf-8")
    assert run(["check", str(path)], capsys)[0] in (0, 1)
