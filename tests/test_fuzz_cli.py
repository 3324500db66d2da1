"""Fuzz every command over every importer: no traceback, an exit code in {0, 1, 2}, bounded time.

Inputs: random bytes and text, real published reports (tests/fixtures/real) and our own
exports mutated (spans cut, doubled, swapped, numbers blown up, control characters and
junk inserted, truncated), saved archives (JSON) with values of the wrong type at any place,
and Word files whose text or zip structure is damaged. Commands run in-process through
``gkassist.cli.main`` (a few through a real subprocess). An internal error would exit 3 and
write a crash log: the log folder must stay empty.

The number of cases per test scales with GKASSIST_FUZZ_SCALE (default 1: 2,875 in-process cases
and 11 subprocess runs, deterministic; set e.g. 10 and GKASSIST_FUZZ_RANDOM=1 for a longer
random run).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from gkassist.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "gkassist" / "examples" / "example-2021.json"
REAL = sorted((ROOT / "tests" / "fixtures" / "real").glob("*.html")) + sorted(
    (ROOT / "tests" / "fixtures" / "real").glob("*.txt")
)
SCALE = max(1, int(os.environ.get("GKASSIST_FUZZ_SCALE", "1")))
CASE_SECONDS = 10.0  # generous: a case normally takes milliseconds; this catches runaway input handling
TRACEBACK = "Traceback (most recent call last)"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _settings(examples: int, shrink: bool = True) -> settings:
    """``shrink=False`` for large inputs (real reports): shrinking them takes minutes; the failure
    message already names the command, and the crash log's traceback is quoted."""
    return settings(
        max_examples=examples * SCALE,
        phases=list(Phase) if shrink else [Phase.explicit, Phase.reuse, Phase.generate],
        deadline=None,  # time is asserted per command below, with CASE_SECONDS
        database=None,
        derandomize=not os.environ.get("GKASSIST_FUZZ_RANDOM"),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# ---------------------------------------------------------------------------- harness


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A scratch folder for inputs and outputs; the crash-log folder inside it must stay empty."""
    folder = tmp_path_factory.mktemp("fuzz")
    logs = folder / "logs"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GKASSIST_LOG_DIR", str(logs))
        for name in ("GKASSIST_LLM_BASE_URL", "GKASSIST_LLM_MODEL", "GKASSIST_LLM_API_KEY"):
            mp.delenv(name, raising=False)
        yield folder
    assert not logs.exists() or not any(logs.iterdir()), f"internal errors were logged: {sorted(logs.iterdir())}"


def run(argv: list[str]) -> tuple[int, str, str]:
    """One command in-process; asserts the exit code, no traceback, a Chinese message on exit 2, and time."""
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    elapsed = time.perf_counter() - started
    stdout, stderr = out.getvalue(), err.getvalue()
    assert code in (0, 1, 2), f"exit {code} for {argv}: {stderr[-500:]}\n{_last_crash_log()}"
    assert TRACEBACK not in stdout + stderr, f"traceback for {argv}: {stderr[-3000:]}"
    if code == 2:
        assert _CJK.search(stderr), f"exit 2 without a Chinese message for {argv}: {stderr!r}"
    assert elapsed < CASE_SECONDS, f"{argv} took {elapsed:.1f}s"
    return code, stdout, stderr


def _last_crash_log() -> str:
    logs = sorted(Path(os.environ.get("GKASSIST_LOG_DIR", "/nonexistent")).glob("crash-*.log"), key=os.path.getmtime)
    return logs[-1].read_text(encoding="utf-8")[-4000:] if logs else ""


def commands(path: Path, out_dir: Path, which: str) -> list[list[str]]:
    """The command lines run on one input file."""
    p = str(path)
    table = {
        "import": ["import", p, "-o", str(out_dir / "imported.json")],
        "check": ["check", p],
        "check-json": ["check", p, "--json", "--with-diagnostics", "--numbers"],
        "export-md": ["export", p, "-o", str(out_dir / "out.md"), "--draft"],
        "export-html": ["export", p, "-o", str(out_dir / "out.html")],
        "export-docx": ["export", p, "-o", str(out_dir / "out.docx"), "--draft"],
        "draft": ["draft", p, "--section", "总体情况", "--drafter", "template"],
        "compare": ["compare", str(EXAMPLE), p, "--all-cells"],
    }
    return [table[which]]


COMMANDS = ("import", "check", "check-json", "export-md", "export-html", "export-docx", "draft", "compare")
FAST_COMMANDS = ("import", "check", "check-json", "export-md", "draft", "compare")


def encode(text: str, encoding: str) -> bytes:
    """Lone surrogates kept as bytes where the codec allows it (UTF-8/16), replaced elsewhere."""
    return text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")


def run_on(data: bytes, suffix: str, work: Path, which: str) -> int:
    path = work / f"input{suffix}"
    path.write_bytes(data)
    codes = [run(argv)[0] for argv in commands(path, work, which)]
    event(f"{which}: exit {codes[0]}")  # --hypothesis-show-statistics shows how deep the cases go
    return codes[0]


# ---------------------------------------------------------------------------- seeds


def _export(fmt: str, folder: Path) -> bytes:
    out = folder / f"example.{fmt}"
    if not out.exists():
        code, _, _ = run(["export", str(EXAMPLE), "-o", str(out), "--draft"])
        assert code == 0
    return out.read_bytes()


_SEEDS: dict[str, tuple[str, str]] = {}


def seeds(work: Path) -> dict[str, tuple[str, str]]:
    """name -> (text, suffix): real reports, the example archive and our own exports."""
    if not _SEEDS:
        assert REAL, "tests/fixtures/real holds the real reports"
        _SEEDS.update({p.name: (p.read_text(encoding="utf-8", errors="replace"), p.suffix) for p in REAL})
        _SEEDS["example.json"] = (EXAMPLE.read_text(encoding="utf-8"), ".json")
        _SEEDS["example.md"] = (_export("md", work).decode("utf-8"), ".md")
        _SEEDS["example.html"] = (_export("html", work).decode("utf-8"), ".html")
    return _SEEDS


REPORT_WORDS = [
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况", "六、其他需要报告的事项", "本年新收政府信息公开申请数量", "（七）总计", "自然人",
    "商业企业", "结转下年度继续办理", "行政复议", "行政诉讼", "规章", "行政规范性文件", "2024年", "2021年度", "件",
    "万元", "%", "|", "\t", "\n", "<table><tr><td>", "</td><td>", "</td></tr></table>", "<p>", "/", "—", "0", "1",
    "12", "9" * 20, "9" * 5000, "-3", "1.5", "\x00", "\x01", "\x0b", "\x85", "\ufeff", "\ud800", "\u202e", "㊿", "⑨",
    "Ⅸ", "٩", "１２", "---\ngkassist: 1\n---\n", "## 三、", "| 项目 | 自然人 |", "{", "}", '"meta"',
]
report_text = st.lists(st.one_of(st.sampled_from(REPORT_WORDS), st.text(max_size=12)), max_size=80).map("".join)


def _labels() -> list[str]:
    from gkassist.layouts import FORMAT_IDS, table_layout

    found: set[str] = set()
    for fmt in FORMAT_IDS:
        for table_id in ("s2", "s3", "s4"):
            layout = table_layout(fmt, table_id)
            for block in layout.blocks:
                found.update(r.label for r in block.rows)
                found.update(c.label for c in block.columns)
                found.update(g for c in block.columns for g in c.groups)
                found.update(x for x in (block.head, block.first_col) if x)
    return sorted(found)


HEADINGS = REPORT_WORDS[:6]
CELL_TEXTS = ["0", "1", "7", "12", "305", "/", "—", "", "-1", "1.5", "１２", "٣", "9" * 16, "9" * 5000, "三", "\x01"]
table_line = st.builds(
    lambda label, cells, sep: sep.join([label, *cells]),
    st.sampled_from(_labels()), st.lists(st.sampled_from(CELL_TEXTS), max_size=9), st.sampled_from([" ", "\t", " | ", ""]),
)
prose_line = st.lists(st.sampled_from([*REPORT_WORDS[6:], "共收到申请", "予以公开", "同比增长", "全年", "。", "，"]),
                      max_size=12).map("".join)


@st.composite
def synthetic_report(draw: st.DrawFn) -> str:
    """A report-shaped text: a title, the six headings (some left out), table rows and prose under them."""
    year = draw(st.sampled_from(["2019", "2021", "2024", "1999", "9999"]))
    lines = [f"某某市{draw(st.sampled_from(['生态环境局', '人民政府', '']))}{year}年政府信息公开工作年度报告"]
    for heading in HEADINGS:
        if draw(st.booleans()) or heading.startswith(("三", "四")):
            lines.append(heading)
            lines += draw(st.lists(st.one_of(table_line, prose_line), max_size=25))
    return "\n".join(lines)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` after a few random edits: cut, doubled, swapped, truncated, junk and huge numbers."""
    for _ in range(draw(st.integers(1, 4))):
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + draw(st.sampled_from([1, 10, 200, 5000])))))
        op = draw(st.sampled_from(["cut", "double", "insert", "number", "truncate", "swap", "replace"]))
        if op == "cut":
            text = text[:i] + text[j:]
        elif op == "double":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(report_text) + text[i:]
        elif op == "number":
            digits = draw(st.sampled_from(["0", "-7", "1.25", "9" * 16, "9" * 5000, "1e999", "٩٩٩", "１２３"]))
            text = text[:i] + re.sub(r"\d+", digits, text[i:], count=draw(st.integers(1, 50)))
        elif op == "truncate":
            text = text[:i]
        elif op == "swap":
            k = draw(st.integers(j, n))
            text = text[:i] + text[j:k] + text[i:j] + text[k:]
        else:
            text = text[:i] + draw(st.text(min_size=1, max_size=3)) + text[i + 1 :]
    return text


# ---------------------------------------------------------------------------- random input


@_settings(300)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".html", ".md", ".json", ".docx", ""]),
       which=st.sampled_from(FAST_COMMANDS))
def test_random_bytes(work: Path, data: bytes, suffix: str, which: str) -> None:
    run_on(data, suffix, work, which)


@_settings(200)
@given(text=report_text, encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]),
       suffix=st.sampled_from([".txt", ".html", ".md"]), which=st.sampled_from(FAST_COMMANDS))
def test_random_report_text(work: Path, text: str, encoding: str, suffix: str, which: str) -> None:
    run_on(encode(text, encoding), suffix, work, which)


@_settings(400)
@given(text=synthetic_report(), suffix=st.sampled_from([".txt", ".txt", ".md"]), which=st.sampled_from(FAST_COMMANDS))
def test_synthetic_reports(work: Path, text: str, suffix: str, which: str) -> None:
    run_on(encode(text, "utf-8"), suffix, work, which)


# ---------------------------------------------------------------------------- mutated reports


@_settings(900, shrink=False)
@given(data=st.data(), which=st.sampled_from((*COMMANDS, "check", "check-json")))
def test_mutated_reports(work: Path, data: st.DataObject, which: str) -> None:
    known = seeds(work)
    name = data.draw(st.sampled_from(sorted(known)), label="seed")
    text, suffix = known[name]
    changed = data.draw(mutated(text), label="mutated")
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8", "gb18030"]), label="encoding")
    run_on(encode(changed, encoding), suffix, work, which)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _paths(inner, (*prefix, i))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
    | st.sampled_from(["9" * 5000, "\x01", "gk2019", "2024-13-40", "s3", "new", "natural", "-1", "1e999"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_EXAMPLE_DATA = json.loads(EXAMPLE.read_text(encoding="utf-8"))
_EXAMPLE_PATHS = sorted(_paths(_EXAMPLE_DATA), key=repr)


def _set_path(obj: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    *parents, last = path
    target = obj
    for key in parents:
        target = target[key]
    target[last] = value
    return obj


@_settings(500)
@given(edits=st.lists(st.tuples(st.sampled_from(_EXAMPLE_PATHS), json_values), min_size=1, max_size=3),
       extra=st.sampled_from([None, "extra_row", "last_year", "deep", "unknown_key"]),
       which=st.sampled_from(["check", "check-json", "import", "export-md", "compare"]))
def test_archives_with_wrong_types(work: Path, edits: list[tuple[tuple[Any, ...], Any]], extra: str | None, which: str) -> None:
    obj: Any = copy.deepcopy(_EXAMPLE_DATA)
    for path, value in edits:
        with contextlib.suppress(KeyError, IndexError, TypeError):
            obj = _set_path(obj, path, value)
    if isinstance(obj, dict):
        if extra == "extra_row" and isinstance(obj.get("tables"), dict) and isinstance(obj["tables"].get("s3"), dict):
            obj["tables"]["s3"]["extra_rows"] = [{"parent": "no_such_row", "label": "补充", "cells": {"natural": "1"}}]
        elif extra == "last_year":
            obj["last_year"] = copy.deepcopy(obj)
        elif extra == "unknown_key":
            obj["unknown"] = 1
    text = json.dumps(obj, ensure_ascii=False)
    if extra == "deep":
        text = text[:-1] + ', "x": ' + "[" * 50_000 + "]" * 50_000 + "}"
    run_on(encode(text, "utf-8"), ".json", work, which)


def _markdown_parts(work: Path) -> tuple[dict[str, Any], str]:
    import yaml

    text = _export("md", work).decode("utf-8")
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end]), text[end + 5 :]


def _docx_meta_parts(work: Path) -> tuple[dict[str, Any], bytes]:
    with zipfile.ZipFile(io.BytesIO(_export("docx", work))) as src:
        xml = src.read("customXml/gkassist-meta.xml").decode("utf-8")
    return json.loads(xml[xml.index(">{") + 1 : xml.rindex("}") + 1]), _export("docx", work)


def _with_docx_meta(original: bytes, meta_json: str) -> bytes:
    from xml.sax.saxutils import escape

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "customXml/gkassist-meta.xml":
                xml = content.decode("utf-8")
                content = (xml[: xml.index(">{") + 1] + escape(meta_json) + xml[xml.rindex("}") + 1 :]).encode("utf-8")
            dst.writestr(item, content)
    return buffer.getvalue()


@_settings(150, shrink=False)
@given(data=st.data(), container=st.sampled_from(["markdown", "docx"]), which=st.sampled_from(["check", "import", "export-md"]))
def test_export_metadata_with_wrong_types(work: Path, data: st.DataObject, container: str, which: str) -> None:
    """Our own Markdown front matter and Word metadata, edited by hand into nonsense."""
    import yaml

    meta, rest = _markdown_parts(work) if container == "markdown" else _docx_meta_parts(work)
    paths = [*sorted(_paths(meta), key=repr), ("tables", "s3", "column_units"), ("tables", "s9"), ("last_year",)]
    obj: Any = copy.deepcopy(meta)
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        path = data.draw(st.sampled_from(paths), label="path")
        with contextlib.suppress(KeyError, IndexError, TypeError):
            obj = _set_path(obj, path, data.draw(json_values, label="value"))
    if container == "markdown":
        front = yaml.safe_dump(obj, allow_unicode=True)
        run_on(encode(f"---\n{front}---\n{rest}", "utf-8"), ".md", work, which)
    else:
        assert isinstance(rest, bytes)
        run_on(_with_docx_meta(rest, json.dumps(obj, ensure_ascii=False)), ".docx", work, which)


# ---------------------------------------------------------------------------- Word and PDF files


@_settings(60, shrink=False)
@given(data=st.data(), which=st.sampled_from(["check", "import", "export-md"]))
def test_damaged_word_files(work: Path, data: st.DataObject, which: str) -> None:
    original = _export("docx", work)
    how = data.draw(st.sampled_from(["text", "truncate", "bytes", "drop_part"]), label="how")
    if how == "truncate":
        damaged = original[: data.draw(st.integers(0, len(original)), label="at")]
    elif how == "bytes":
        at = data.draw(st.integers(0, len(original) - 1), label="at")
        damaged = original[:at] + data.draw(st.binary(min_size=1, max_size=64), label="junk") + original[at + 1 :]
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(buffer, "w") as dst:
            for item in src.infolist():
                content = src.read(item.filename)
                if item.filename == "word/document.xml" and how == "text":
                    xml = content.decode("utf-8")
                    xml = re.sub(r"(?<=>)[^<>]{1,40}(?=</w:t>)", lambda m: data.draw(
                        st.sampled_from([m.group(0), m.group(0), "9" * 5000, "&amp;", "一、总体情况", "", "-5", "１２"])
                    ), xml, count=200)
                    content = xml.encode("utf-8")
                if how == "drop_part" and item.filename == data.draw(st.sampled_from(sorted(src.namelist())), label="part"):
                    continue
                dst.writestr(item, content)
        damaged = buffer.getvalue()
    run_on(damaged, ".docx", work, which)


REAL_PDF = ROOT / "tests" / "fixtures" / "real" / "211.pdf"


@_settings(25, shrink=False)
@given(data=st.data())
def test_damaged_pdf_files(work: Path, data: st.DataObject) -> None:
    """A real published PDF cut short or with junk in its streams (PDF import is slow: few cases)."""
    original = REAL_PDF.read_bytes()
    how = data.draw(st.sampled_from(["truncate", "bytes", "junk_before"]), label="how")
    if how == "truncate":
        damaged = original[: data.draw(st.integers(0, len(original)), label="at")]
    elif how == "bytes":
        damaged = bytearray(original)
        for _ in range(data.draw(st.integers(1, 20), label="count")):
            damaged[data.draw(st.integers(0, len(original) - 1))] = data.draw(st.integers(0, 255))
        damaged = bytes(damaged)
    else:
        damaged = data.draw(st.binary(max_size=900), label="junk") + original
    run_on(damaged, ".pdf", work, data.draw(st.sampled_from(["check", "import"]), label="which"))


# ---------------------------------------------------------------------------- arguments


ARG_WORDS = ["import", "check", "export", "draft", "compare", "audit", "-o", "--json", "--numbers", "--draft",
             "--with-diagnostics", "--section", "总体情况", "s9", "--drafter", "llm", "template", "--accept-warnings",
             "F4,,G1", "--csv", "--workers", "0", "-1", "x", "-h", "--help", "--all-cells", "--findings-format", "jsonl",
             "--progress", "", "-", "/dev/null", "/dev/zero", "/", ".", "..", "no/such/dir/file.md", "out.md",
             "out.docx", "out.pdf", "\udcff.json"]


@_settings(300)
@given(argv=st.lists(st.sampled_from([*ARG_WORDS, "@EXAMPLE", "@DIR", "@OUT"]), max_size=7))
def test_random_arguments(work: Path, argv: list[str]) -> None:
    folder = work / "args"
    folder.mkdir(exist_ok=True)
    mapping = {"@EXAMPLE": str(EXAMPLE), "@DIR": str(folder), "@OUT": str(folder / "out.md")}
    with contextlib.chdir(folder):
        run([mapping.get(a, a) for a in argv])


@_settings(40)
@given(files=st.lists(st.tuples(st.sampled_from(["a.txt", "b.html", "c.json", "d.md", "e.docx"]), st.binary(max_size=400)),
                      max_size=4), fmt=st.sampled_from(["csv", "jsonl"]))
def test_audit_folder(work: Path, files: list[tuple[str, bytes]], fmt: str) -> None:
    folder = work / "audit"
    if folder.exists():
        for old in folder.iterdir():
            old.unlink()
    folder.mkdir(exist_ok=True)
    for name, content in files:
        (folder / name).write_bytes(content)
    (folder / "example.json").write_bytes(EXAMPLE.read_bytes())
    run(["audit", str(folder), "--workers", "1", "--csv", str(work / "audit-out" / "s.csv"), "--findings-format", fmt])


# ---------------------------------------------------------------------------- real processes


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "/dev/zero"],
        ["import", str(EXAMPLE), "-o", "/"],
        ["export", str(EXAMPLE), "-o", "/no/such/folder/out.md"],
        ["check", "--bogus"],
        ["audit", "/no/such/folder"],
    ],
)
def test_subprocess_cases(argv: list[str], tmp_path: Path) -> None:
    """The installed entry point and ``python -m gkassist``: exit 2, Chinese on stderr, no traceback."""
    env = {**os.environ, "GKASSIST_LOG_DIR": str(tmp_path / "logs"), "PYTHONPATH": str(ROOT)}
    for cmd in ([sys.executable, "-m", "gkassist", *argv], [sys.executable, "-m", "gkassist.cli", *argv]):
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
        assert done.returncode == 2, (cmd, done.stderr)
        assert TRACEBACK not in done.stderr and _CJK.search(done.stderr), done.stderr
    assert not (tmp_path / "logs").exists()


def test_subprocess_fifo(tmp_path: Path) -> None:
    """A FIFO would block the read forever: refused before reading."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, "-m", "gkassist", "check", str(fifo)], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2 and "不是普通文件" in done.stderr
