"""Importers never crash: random, truncated and shuffled input gives an ImportResult or a
ReportReadError with a Chinese message. Also the dispatcher's file and format handling."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gkassist.importers.markdown as markdown_importer
from gkassist.examples import SEED_TEXT
from gkassist.importers import ImportResult, ReportReadError, import_bytes, import_file, import_html, import_text
from gkassist.model import Report
from tests.corpus import PARTIAL, REAL

SEED = SEED_TEXT
CORPUS = sorted(PARTIAL.glob("P*.txt"))
FIXTURES = sorted((Path(__file__).parent / "fixtures" / "html").rglob("*.html"))
TEXTS = [SEED, *CORPUS]
REAL_TEXTS = sorted(REAL.glob("*.txt"))  # crawler text with digits run together, pdftotext -layout
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_CJK = re.compile(r"[\u4e00-\u9fff]")



def test_the_inputs_are_there() -> None:
    """The parametrized tests below run over these lists: an empty one would test nothing."""
    assert SEED.is_file() and len(CORPUS) >= 9 and len(FIXTURES) >= 4 and len(REAL_TEXTS) >= 5

def _safely(read: Callable[[Any], ImportResult], data: Any) -> ImportResult | None:
    """Run an importer; only ImportResult or ReportReadError (with a Chinese message) may come out."""
    try:
        result = read(data)
    except ReportReadError as err:
        assert _CJK.search(str(err)), str(err)
        return None
    assert isinstance(result, ImportResult)
    assert all(_CJK.search(d.message) for d in result.diagnostics)
    return result


def _cells_come_from(result: ImportResult | None, original: str) -> None:
    """Never invent a number: every filled cell's text appears in the source."""
    if result is None or result.report is None:
        return
    flat = re.sub(r"\s", "", original)
    for table in result.report.tables.values():
        for row in table.cells.values():
            for cell in row.values():
                assert cell.raw == "" or re.sub(r"\s", "", cell.raw) in flat, cell.raw


# ---------------------------------------------------------------------------- random input


@FAST
@given(st.text(max_size=400))
def test_random_text(text: str) -> None:
    _safely(import_text, text)
    _safely(import_html, text)
    _safely(import_bytes, text.encode("utf-8", errors="replace"))


@FAST
@given(st.binary(max_size=600))
def test_random_bytes(data: bytes) -> None:
    _safely(import_bytes, data)
    _safely(import_html, data)
    _safely(lambda d: import_bytes(d, name="page.html"), data)


_PIECES = st.sampled_from(
    [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "六、其他需要报告的事项：无",
        "第二十条第（一）项",
        "规章",
        "行政规范性文件",
        "一、本年新收政府信息公开申请数量",
        "（七）总计",
        "结果维持",
        "0",
        "+19",
        "/",
        "|",
        "| |",
        "2024年1月20日",
        "XX局2024年政府信息公开工作年度报告",
        "统计期限为2024年1月1日至2024年12月31日",
    ]
)


@FAST
@given(st.lists(_PIECES, max_size=40), st.sampled_from(["\n", " | ", "\t", "\n\n"]))
def test_random_report_fragments(pieces: list[str], sep: str) -> None:
    text = sep.join(pieces)
    _cells_come_from(_safely(import_text, text), text)
    html = "<div class='TRS_Editor'>" + "".join(
        f"<p>{p}</p><table><tr><td>{p}</td><td></td></tr></table>" for p in pieces
    )
    _safely(import_html, html + "</div>")


# ---------------------------------------------------------------------------- truncation, shuffling


@pytest.mark.parametrize("path", TEXTS + REAL_TEXTS, ids=lambda p: p.name)
def test_text_cut_at_every_kth_character(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    for cut in range(0, len(text), 53):
        _cells_come_from(_safely(import_text, text[:cut]), text)


def test_bytes_cut_mid_character() -> None:
    data = SEED.read_bytes()
    for cut in range(1, len(data), 211):  # most cuts land inside a 3-byte UTF-8 character
        result = _safely(import_bytes, data[:cut])
        if result is not None and data[:cut].decode("utf-8", errors="ignore") != data[:cut].decode(
            "utf-8", errors="replace"
        ):
            assert any("不完整的字符" in d.message for d in result.diagnostics)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_html_cut_at_every_kth_byte(path: Path) -> None:
    data = path.read_bytes()
    for cut in range(0, len(data), 409):
        _safely(import_html, data[:cut])
        _safely(lambda d: import_bytes(d, name="x.htm"), data[:cut])


@settings(max_examples=15, deadline=None)
@given(st.randoms(use_true_random=False))
def test_shuffled_lines(rnd: Any) -> None:
    for path in TEXTS[:4]:
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        rnd.shuffle(lines)
        text = "\n".join(lines)
        _cells_come_from(_safely(import_text, text), text)


def test_deeply_nested_page_is_refused_quickly() -> None:
    html = "<div>" * 10000 + "一、总体情况" + "</div>" * 10000
    with pytest.raises(ReportReadError):
        import_html(html)


# ---------------------------------------------------------------------------- dispatcher


def test_missing_directory_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(ReportReadError, match="找不到文件"):
        import_file(tmp_path / "nope.html")
    with pytest.raises(ReportReadError, match="是一个文件夹"):
        import_file(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b" \n\n")
    with pytest.raises(ReportReadError, match="是空的"):
        import_file(empty)


@pytest.mark.parametrize("magic", [b"PK\x03\x04rest", b"\xd0\xcf\x11\xe0\xa1\xb1"])
def test_other_office_files_are_refused(magic: bytes) -> None:
    with pytest.raises(ReportReadError, match="无法直接导入"):
        import_bytes(magic + b"\x00" * 50, name="report.docx")


def test_a_damaged_pdf_is_read_by_the_pdf_importer_and_refused_in_chinese() -> None:
    with pytest.raises(ReportReadError, match="PDF 文件已损坏"):
        import_bytes(b"%PDF-1.7\n" + b"\x00" * 50, name="report.docx")


def test_saved_json_round_trip() -> None:
    report = Report.new("某市某局", 2024)
    report.tables["s2"].set("rules", "made", "/")
    report.sections["s1"] = "总体情况正文。"
    result = import_bytes(report.model_dump_json().encode("utf-8"), name="report.json")
    assert result.source == "json"
    assert result.report == report


def test_broken_saved_json_is_a_read_error() -> None:
    with pytest.raises(ReportReadError, match="报告存档"):
        import_bytes(b'{"meta": {"year": "abc"}}')


def test_unrelated_json_falls_back_to_text() -> None:
    with pytest.raises(ReportReadError, match="无法识别为政府信息公开工作年度报告"):
        import_bytes(b'{"hello": "world"}')


def test_our_markdown_goes_to_the_markdown_importer(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def fake(text: str) -> ImportResult:
        seen.append(text)
        return ImportResult(report=Report.new("某局", 2024), diagnostics=[], source="markdown")

    monkeypatch.setattr(markdown_importer, "import_markdown", fake)
    text = "---\ngkassist: 1\nagency: 某局\n---\n\n# 某局2024年政府信息公开工作年度报告\n"
    result = import_bytes(("\ufeff" + text).encode("utf-8"), name="report.md")
    assert result.source == "markdown"
    assert seen == [text]


def test_gbk_text_file_and_replacement_diagnostic() -> None:
    text = SEED.read_text(encoding="utf-8")
    gbk = import_bytes(text.encode("gb18030"), name="seed.txt")
    assert gbk.report is not None and gbk.report.meta.agency == "景德镇市昌江区工业和信息化局"
    damaged = text.encode("utf-8")
    damaged = damaged[:600] + b"\xff\xfe" + damaged[600:]
    result = import_bytes(damaged)
    assert any("无法按 UTF-8 或 GBK/GB18030 编码识别" in d.message for d in result.diagnostics)
    assert result.report is not None and result.report.meta.year == 2024
