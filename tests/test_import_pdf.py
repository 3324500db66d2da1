"""PDF import end to end: a real published report (211.pdf, WPS-made, ruled tables with
vertical group labels and wrapped labels, a table over a page break), scans, damaged and
hostile files, and the CLI commands on a PDF."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from gkassist.cli import main
from gkassist.importers import ImportResult, ReportReadError, import_bytes, import_file
from gkassist.importers.pdf import source
from tests.corpus import REAL, accuracy, load_expected
from tests.pdf_helpers import image_pdf, inflating_pdf, ruled_pdf, unmapped_font_pdf, zero_page_pdf

REPORT = REAL / "211.pdf"
ENCRYPTED = Path(__file__).resolve().parent / "fixtures" / "pdf" / "encrypted.pdf"
PAGE_NUMBER = re.compile(r"[-—－–]\s*\d{1,3}\s*[-—－–]|第\s*\d+\s*页")
SENTENCE_END = ("。", "；", "：", "！", "？")
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


@pytest.fixture(scope="module")
def real() -> ImportResult:
    return import_file(REPORT)


# ---------------------------------------------------------------------------- a real report


def test_every_cell_of_tables_three_and_four_is_read(real: ImportResult) -> None:
    assert real.report is not None and real.source == "pdf"
    result = accuracy(real.report, load_expected(REPORT), ("s3", "s4"))
    assert result.total == 25 * 7 + 15
    assert (result.wrong, result.missing) == ([], [])


def test_every_cell_of_table_two_is_read(real: ImportResult) -> None:
    assert real.report is not None
    result = accuracy(real.report, load_expected(REPORT), ("s2",))
    assert result.total == 10
    assert (result.wrong, result.missing) == ([], [])


def test_the_narrative_has_no_page_numbers_and_no_line_breaks_inside_sentences(real: ImportResult) -> None:
    assert real.report is not None
    for sid in ("s1", "s5", "s6"):
        text = real.report.sections[sid]
        assert text, sid
        assert not PAGE_NUMBER.search(text), sid
        for paragraph in text.split("\n"):
            assert paragraph.endswith(SENTENCE_END) or HEADING.match(paragraph), (sid, paragraph)
    s1 = real.report.sections["s1"]
    assert "全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件" in s1  # joined over 3 lines
    assert (
        "对照上级新要求和公众新期待，还有一些需要加强和改进的地方。" in real.report.sections["s5"]
    )  # over a page break


def test_title_and_opening_are_read(real: ImportResult) -> None:
    assert real.report is not None
    meta = real.report.meta
    assert (meta.agency, meta.year, meta.format) == ("淮安市人民政府", 2024, "gk2021")
    assert meta.contact.phone == "0517-83605210" and meta.contact.postcode == "223001"
    assert meta.opening is not None and not PAGE_NUMBER.search(meta.opening)


def test_import_notes_say_where_each_table_was_found_and_what_was_put_together(real: ImportResult) -> None:
    notes = {d.message for d in real.diagnostics}
    assert "表二读自第3—4页的表格（表格跨页，已接续为一个表格）。" in notes
    assert "表三读自第4—5页的表格（表格跨页，已接续为一个表格）。" in notes
    assert "表四读自第5页的表格。" in notes
    assert any("“（四）无”（第4页）与“法提供”（第5页）" in n for n in notes)
    assert all(d.level != "error" for d in real.diagnostics)


def test_a_pdf_is_recognised_by_its_content_whatever_its_name() -> None:
    data = REPORT.read_bytes()
    assert import_bytes(data, name="report.docx").source == "pdf"
    assert import_bytes(b"\r\n" + data, name="").source == "pdf"  # junk before %PDF is tolerated


# ---------------------------------------------------------------------------- scans and bad files


def test_a_scanned_pdf_gets_a_message_saying_so_and_what_to_do() -> None:
    with pytest.raises(ReportReadError) as err:
        import_bytes(image_pdf(2), name="scan.pdf")
    message = str(err.value)
    assert "扫描件" in message and "没有可以读取的文字" in message
    assert "Word 文档（.docx）" in message and "OCR" in message


def test_text_in_a_font_without_character_mapping_gets_a_message_saying_so() -> None:
    with pytest.raises(ReportReadError, match="字体没有附带文字编码"):
        import_bytes(unmapped_font_pdf(), name="x.pdf")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: b"%PDF-1.7\n" + b"\x00" * 50, "已损坏或不完整"),
        (lambda: REPORT.read_bytes()[: REPORT.stat().st_size // 2], "已损坏或不完整"),
        (lambda: REPORT.read_bytes()[:-400], "已损坏或不完整"),
        (lambda: ENCRYPTED.read_bytes(), "设置了打开密码"),
        (zero_page_pdf, "没有任何页面"),
        (lambda: inflating_pdf(source.MAX_CONTENT + 1024), r"页面内容.*超过了导入上限"),
    ],
    ids=["garbage", "half", "cut-off-end", "encrypted", "no-pages", "inflating"],
)
def test_damaged_and_hostile_pdfs_get_a_chinese_message(make, expected: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ReportReadError, match=expected) as err:
        import_bytes(make(), name="x.pdf")
    assert "请改为上传" in str(err.value)


def test_a_pdf_with_too_many_pages_is_refused_before_reading_them() -> None:
    with pytest.raises(ReportReadError, match=f"超过 {source.MAX_PAGES} 页"):
        import_bytes(image_pdf(source.MAX_PAGES + 1), name="big.pdf")


def test_a_page_drawn_over_with_rules_is_not_searched_for_tables() -> None:
    pages = source.read_pages(ruled_pdf(100))  # 100 × 100 rules: 10,000 crossings to search
    assert pages[0].too_many_rules and pages[0].tables == []  # skipped: bounded time


def test_a_file_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_BYTES", 1000)
    with pytest.raises(ReportReadError, match=r"PDF 文件大小.*超过了导入上限"):
        import_bytes(REPORT.read_bytes(), name="x.pdf")


# ---------------------------------------------------------------------------- CLI


def test_cli_import_check_export_and_compare_read_a_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.json"
    assert main(["import", str(REPORT), "-o", str(out)]) == 0
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["meta"]["agency"] == "淮安市人民政府"
    assert "表三读自第4—5页" in capsys.readouterr().err  # import notes go to stderr
    assert main(["check", str(REPORT), "--json"]) in (0, 1)
    findings = json.loads(capsys.readouterr().out)
    assert isinstance(findings, list)
    assert main(["export", str(REPORT), "-o", str(tmp_path / "out.md"), "--draft"]) == 0
    capsys.readouterr()
    assert main(["compare", str(REPORT), str(out), "--json"]) in (0, 1)  # last year's report as a PDF
    assert json.loads(capsys.readouterr().out)


def test_cli_check_on_a_scan_exits_2_with_the_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(image_pdf(1))
    assert main(["check", str(scan)]) == 2
    assert "扫描件" in capsys.readouterr().err


def test_cli_audit_reads_the_pdfs_of_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(REPORT, folder / "淮安.pdf")
    (folder / "scan.pdf").write_bytes(image_pdf(1))
    main(["audit", str(folder), "--json", "--workers", "1"])
    rows = {r["file"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(rows) == {"淮安.pdf", "scan.pdf"}
    assert rows["淮安.pdf"]["readable"] and rows["淮安.pdf"]["agency"] == "淮安市人民政府"
    assert not rows["scan.pdf"]["readable"] and "扫描件" in rows["scan.pdf"]["reason"]


def test_last_years_report_can_be_uploaded_as_a_pdf() -> None:
    from gkassist.model import Report
    from gkassist.ui import last_year_source

    this = Report.new("淮安市人民政府", 2025)
    outcome = last_year_source.read_last_year(this, REPORT.read_bytes(), "2024年报.pdf", prefill=True)
    assert outcome.ok and this.last_year is not None and this.last_year.meta.year == 2024
    assert this.table("s3").get("carried_in", "total").value == 103  # last year's 结转下年度, pre-filled
    assert any("表三读自第4—5页" in text for _, text in outcome.messages)
