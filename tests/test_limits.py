"""Bounded input (issue 11): every limit of gkassist/limits.py refuses a file past it whole, with a
Chinese message that names the limit, the file's figure and what to do, and exit 2; nothing is
written. The hostile files the issue met are regression tests here, built small (tests/hostile.py).
"Before decompression" and "the read stops at the limit" are shown by making the expensive step
fail if it is reached, not by timing (the times are in benchmarks/bench_limits.py).
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import signal
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from gkassist import limits
from gkassist.cli import main
from gkassist.importers import ReportReadError, docx_package, import_bytes, import_file
from gkassist.importers.budget import ImportTimeout, check_budget, import_budget
from gkassist.importers.pdf import source
from gkassist.limits import LIMITS, MB
from tests import hostile

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "gkassist" / "examples" / "example-2021.json"
REAL_TEXT = ROOT / "tests" / "fixtures" / "real" / "203.txt"
TRACEBACK = "Traceback (most recent call last)"
OVER = "超过了导入上限"
NOTHING = "没有导入任何内容"


def refused(data: bytes, name: str = "report") -> str:
    """The Chinese message ``import_bytes`` refuses ``data`` with (fails if it is read)."""
    with pytest.raises(ReportReadError) as err:
        import_bytes(data, name)
    return str(err.value)


def assert_limit_message(message: str, *figures: str) -> None:
    """Names the limit and the file's figure (both in brackets), says nothing was imported and what to do."""
    assert OVER in message and NOTHING in message, message
    assert "请" in message.split(NOTHING, 1)[1], message  # what to do comes after
    for figure in figures:
        assert figure in message, (figure, message)


@pytest.fixture
def lowered(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Lower some limits for one test: lowered(import_seconds=0.1)."""

    def lower(**changes: Any) -> None:
        monkeypatch.setattr(limits, "LIMITS", dataclasses.replace(limits.LIMITS, **changes))

    return lower


def cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert TRACEBACK not in out + err
    return code, err


# ---------------------------------------------------------------------------- the file


def test_limits_live_in_one_frozen_module() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        LIMITS.file_bytes = 1  # type: ignore[misc]
    assert LIMITS.file_bytes == 20 * MB
    assert LIMITS.cell_digits == 15
    from gkassist.cells import MAX_DIGITS

    assert LIMITS.cell_digits == MAX_DIGITS


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: 21 MB long, nothing on disk
        fh.truncate(21 * MB)
    code, err = cli(["check", str(big)], capsys)
    assert code == 2
    assert_limit_message(err, "21 MB", "20 MB")


def test_the_read_stops_one_byte_past_the_limit(tmp_path: Path, lowered: Callable[..., None], monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that grows after its size was taken (a log, a pipe renamed in): at most limit + 1 bytes are read."""
    lowered(file_bytes=1000)
    grown = tmp_path / "grown.txt"
    grown.write_bytes(b"x" * 500)
    reads: list[int] = []
    real_read, real_fstat = os.read, os.fstat

    def fstat(fd: int) -> os.stat_result:  # the size as it was before the file grew
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, *tuple(st)[1:6], 500, *tuple(st)[7:]))

    def read(fd: int, n: int) -> bytes:
        reads.append(n)
        return real_read(fd, n)

    grown.write_bytes(b"x" * 5000)
    monkeypatch.setattr(os, "fstat", fstat)
    monkeypatch.setattr(os, "read", read)
    with pytest.raises(ReportReadError, match=OVER):
        import_file(grown)
    assert sum(reads) <= 1001


def test_an_upload_over_the_limit_is_refused_without_reading_it() -> None:
    assert_limit_message(refused(b"x" * (20 * MB + 1)), "20 MB")


@pytest.mark.parametrize("special", ["/dev/zero", "symlink", "fifo"])
def test_devices_and_pipes_are_refused_without_blocking(special: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """/dev/zero never ends; a FIFO blocks even to open it when nobody writes. A link is followed and refused."""
    path = Path(special)
    if special == "symlink":
        path = tmp_path / "report.txt"
        path.symlink_to("/dev/zero")
    elif special == "fifo":
        path = tmp_path / "report.html"
        os.mkfifo(path)
    done: list[str] = []

    def read() -> None:  # in a thread: a blocking open or read would hang it, not the test
        try:
            import_file(path)
        except ReportReadError as exc:
            done.append(str(exc))

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert done and "不是普通文件" in done[0]
    code, err = cli(["import", str(path)], capsys)
    assert code == 2 and "不是普通文件" in err


def test_nothing_is_written_when_an_import_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(hostile.zip_bomb(300 * MB))
    fresh, kept = tmp_path / "fresh.json", tmp_path / "kept.json"
    kept.write_text("上次保存的内容", encoding="utf-8")
    for out in (fresh, kept):
        code, err = cli(["import", str(bomb), "-o", str(out)], capsys)
        assert code == 2 and OVER in err
    assert not fresh.exists()
    assert kept.read_text(encoding="utf-8") == "上次保存的内容"


# ---------------------------------------------------------------------------- Word


@pytest.fixture
def refused_unopened(monkeypatch: pytest.MonkeyPatch) -> Callable[[bytes], str]:
    """``refused`` with unzipping and python-docx made to fail: the file must be refused from the
    zip's directory alone."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("a part was unzipped")

    def check(data: bytes) -> str:
        monkeypatch.setattr(zipfile.ZipFile, "open", forbidden)
        monkeypatch.setattr("docx.Document", forbidden)
        return refused(data, "report.docx")

    return check


def test_the_issues_zip_bomb_is_refused_before_anything_is_unzipped(refused_unopened: Callable[[bytes], str]) -> None:
    bomb = hostile.zip_bomb()  # 3 MB that inflate to 3.1 GB
    assert len(bomb) < 4 * MB
    assert_limit_message(refused_unopened(bomb), "2.9 GB", "64 MB")


def test_a_part_that_shrank_like_a_bomb_is_refused_before_unzipping(refused_unopened: Callable[[bytes], str]) -> None:
    stream, crc = hostile.zeros_deflated(8 * MB)  # 8 MB: under the total, but 1000× smaller zipped
    data = hostile._zip([*hostile._template_members(), ("word/media/image1.png", stream, 8, crc, 8 * MB)])
    assert_limit_message(refused_unopened(data), "压缩比", "200 倍")


def test_too_many_parts_are_refused_before_unzipping(refused_unopened: Callable[[bytes], str]) -> None:
    assert_limit_message(refused_unopened(hostile.many_members(LIMITS.docx_members)), "部件数量", "1,000 个")


def test_the_issues_paragraph_flood_is_refused_before_python_docx_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """3 million empty paragraphs (13 minutes and 2.6 GB before): python-docx never opens it."""
    monkeypatch.setattr("docx.Document", lambda *a: pytest.fail("python-docx opened the flood"))
    assert_limit_message(refused(hostile.paragraph_flood(), "flood.docx"))


def test_paragraphs_past_the_limit_are_counted_while_unzipping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("docx.Document", lambda *a: pytest.fail("python-docx opened it"))
    data = hostile.paragraphs_docx(LIMITS.docx_paragraphs + 1)  # varied text: zips like a real document
    assert_limit_message(refused(data), "段落数量", "10,000 段")


def test_xml_elements_past_the_limit_are_counted_while_unzipping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("docx.Document", lambda *a: pytest.fail("python-docx opened it"))
    assert_limit_message(refused(hostile.runs_docx(LIMITS.docx_elements)), "排版元素", "300,000 个")


def test_a_directory_that_understates_a_part_is_refused() -> None:
    """The directory says 1000 bytes; the part inflates to 200 MB: refused as damaged, not unzipped whole."""
    message = refused(hostile.lying_zip(), "lie.docx")
    assert "已损坏" in message and "请" in message


def test_the_unzip_stops_at_the_limit_even_if_the_zip_library_trusted_the_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """Our own count stops the stream: a library that returned more than the directory says gets no further."""
    pulled: list[int] = []

    class Endless(io.RawIOBase):
        def read(self, n: int = -1) -> bytes:
            pulled.append(n)
            return b"<w:p/>" * (n // 6)

    data = hostile.docx_with_body(b"<w:p/>")
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, info, *a, **k: Endless())
    with pytest.raises(ReportReadError):
        docx_package.check_package(data)
    assert len(pulled) == 1  # one chunk past the first part's declared size: stopped there, not at the stream's end


def test_word_paragraph_text_is_python_docxs(tmp_path: Path) -> None:
    """The fast paragraph text (one compiled XPath) equals python-docx's Paragraph.text: tabs,
    line breaks, page breaks (no text), hyperlinks and soft hyphens."""
    import docx

    from gkassist.importers.docx import cell_text, paragraph_text

    body = (
        '<w:p><w:r><w:t xml:space="preserve">一、 总体</w:t><w:tab/><w:t>情况</w:t><w:br/><w:t>第二行</w:t>'
        '<w:br w:type="page"/><w:noBreakHyphen/><w:cr/></w:r>'
        '<w:hyperlink r:id="rId1"><w:r><w:t>链接文字</w:t></w:r></w:hyperlink><w:r><w:ptab/><w:t>尾</w:t></w:r></w:p>'
        '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>格一</w:t></w:r></w:p><w:p><w:r><w:t>格二</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
    ).encode()
    body = body.replace(b"<w:hyperlink r:id", b'<w:hyperlink xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id')
    doc = docx.Document(io.BytesIO(hostile.docx_with_body(body)))
    paragraph = doc.paragraphs[0]
    assert paragraph_text(paragraph._p) == paragraph.text == "一、 总体\t情况\n第二行-\n链接文字\t尾"
    cell = doc.tables[0].rows[0].cells[0]
    assert cell_text(cell) == cell.text == "格一\n格二"


# ---------------------------------------------------------------------------- HTML and text


def test_the_issues_20_mb_page_is_refused_by_its_size() -> None:
    page = hostile.big_page(20_000_000)
    assert_limit_message(refused(page, "page.html"), "19.1 MB", "5 MB")


def test_a_page_of_too_many_tags_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gkassist.importers.html.parse_html", lambda text: pytest.fail("parsed"))
    assert_limit_message(refused(b"<p>" * (LIMITS.html_tags + 1), "tags.html"), "标签数量", "200,000 个")


@pytest.mark.parametrize("depth", [LIMITS.html_depth + 1, 255, 100_000])
def test_deeply_nested_pages_are_refused(depth: int) -> None:
    assert OVER in refused(hostile.deep_page(depth), "deep.html")


def test_a_page_nested_as_deep_as_the_limit_is_read() -> None:
    with pytest.raises(ReportReadError) as err:  # read, and found to hold no report: not a limit
        import_bytes(hostile.deep_page(LIMITS.html_depth - 3), "deep.html")
    assert OVER not in str(err.value)


def test_text_past_the_character_limit_is_refused_before_it_is_split() -> None:
    assert_limit_message(refused(hostile.big_text(20 * MB - 1), "report.txt"), "个字符", "500,000 个字符")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_text_past_the_line_limit_is_refused(newline: str) -> None:
    text = REAL_TEXT.read_text(encoding="utf-8") + newline * (2 * LIMITS.text_lines + 1)
    assert_limit_message(refused(text.encode(), "report.txt"), "段落和表格行", "10,000 行")


def test_lines_past_the_limit_from_any_importer_are_refused() -> None:
    rows = "".join(f"<tr><td>第{i}行</td><td>{i}</td></tr>" for i in range(LIMITS.text_lines + 1))
    assert_limit_message(refused(f"<html><body><table>{rows}</table></body></html>".encode(), "rows.html"), "10,000 行")


# ---------------------------------------------------------------------------- JSON and PDF


def test_an_archive_over_its_size_limit_is_refused() -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["sections"]["s1"] = "很长的总体情况。" * (LIMITS.json_bytes // 8)
    assert_limit_message(refused(json.dumps(data, ensure_ascii=False).encode(), "a.json"), "2 MB")


def test_an_archive_with_more_text_than_any_report_is_refused() -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["sections"]["s1"] = "x" * (LIMITS.text_chars + 1)
    assert_limit_message(refused(json.dumps(data).encode(), "a.json"), "个字符", "500,000 个字符")


def test_an_archive_of_too_many_objects_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json, "loads", lambda *a, **k: pytest.fail("parsed"))
    data = EXAMPLE.read_text(encoding="utf-8").replace('"sections"', '"x": ' + "[[]]," * LIMITS.json_containers + ' "sections"', 1)
    assert_limit_message(refused(data.encode(), "a.json"), "对象和列表", "10,000 个")


def test_an_archive_nested_past_its_limit_is_refused() -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    deep: Any = 1
    for _ in range(LIMITS.json_depth):
        deep = [deep]
    data["meta"]["extra"] = deep
    assert_limit_message(refused(json.dumps(data).encode(), "a.json"), "嵌套层数", "32 层")


def test_a_saved_archive_is_well_within_the_limits() -> None:
    result = import_bytes(EXAMPLE.read_bytes(), "example.json")
    assert result.report is not None and result.source == "json"


def test_pdf_characters_past_the_limit_of_the_whole_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_TOTAL_GLYPHS", 1000)
    message = refused(hostile.text_pdf(3, 600), "x.pdf")
    assert_limit_message(message, "第2页", "1,000 个字符")


def test_pdf_characters_past_the_limit_of_one_page() -> None:
    message = refused(hostile.text_pdf(1, LIMITS.pdf_page_glyphs + 600), "x.pdf")
    assert_limit_message(message, "第1页", "每页 10,000 个字符")


def test_pdf_page_content_past_the_limit_of_the_whole_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_CONTENT", 30_000)
    message = refused(hostile.drawing_pdf(3, 1000), "x.pdf")  # ~17 KB a page
    assert_limit_message(message, "第2页", "29 KB")


def test_pdf_drawing_past_the_limit_of_the_whole_file_is_refused_before_the_page_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("pdfplumber.page.Page.chars", property(lambda self: pytest.fail("a page was read")))
    message = refused(hostile.drawing_pdf(1, LIMITS.pdf_paths + 1), "x.pdf")
    assert_limit_message(message, "图形", "第1页", "10,000 段")


def test_a_form_drawn_many_times_counts_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A small page can draw one form a thousand times: pdfminer interprets it a thousand times."""
    monkeypatch.setattr("pdfplumber.page.Page.chars", property(lambda self: pytest.fail("a page was read")))
    data = hostile.form_pdf(draws=1000, form_paths=20)
    assert len(data) < 40_000
    assert_limit_message(refused(data, "x.pdf"), "图形", "20,000 段")


# ---------------------------------------------------------------------------- time


@pytest.fixture
def endless_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """The text reader never returns (a pathological input no other limit caught)."""

    def forever(*args: object, **kwargs: object) -> None:
        while True:
            time.sleep(0.001)

    monkeypatch.setattr("gkassist.importers.text.split_document", forever)


def test_an_import_past_its_time_budget_stops_with_exit_2(
    endless_reader: None, lowered: Callable[..., None], capsys: pytest.CaptureFixture[str]
) -> None:
    """In the main thread a timer stops the import wherever it is, no checkpoint needed."""
    lowered(import_seconds=0.2)
    code, err = cli(["check", str(REAL_TEXT)], capsys)
    assert code == 2 and "导入时间上限（0.2 秒）" in err and NOTHING in err


def test_the_time_budget_in_another_thread_stops_at_the_next_checkpoint(lowered: Callable[..., None]) -> None:
    """A Streamlit script thread cannot take signals: the readers' checkpoints stop it."""
    lowered(import_seconds=0.0)
    caught: list[BaseException] = []

    def run() -> None:
        try:
            import_file(REAL_TEXT)
        except BaseException as exc:  # the test reports what reached the thread
            caught.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=60)
    assert len(caught) == 1 and isinstance(caught[0], ReportReadError) and "导入时间上限" in str(caught[0])


def test_the_budget_puts_back_a_timer_someone_else_had_set() -> None:
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        with import_budget(5):
            check_budget()
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 20 < left <= 30
        assert signal.getsignal(signal.SIGALRM) is not None and not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_outside_an_import_there_is_no_budget() -> None:
    check_budget()  # no-op
    with pytest.raises(ImportTimeout), import_budget(0.0):
        time.sleep(0.01)
        check_budget()


# ---------------------------------------------------------------------------- real reports


def real_files() -> Iterator[Path]:
    folder = ROOT / "tests" / "fixtures" / "real"
    yield from sorted(p for p in folder.iterdir() if p.suffix in (".html", ".txt", ".pdf"))


def test_every_real_report_is_well_within_every_limit() -> None:
    files = list(real_files())
    assert files
    for path in files:
        result = import_file(path)
        assert result.report is not None, path
