"""PDF import: a published report as a text-layer PDF.

The pages are reduced to the same ``Line``s as the HTML and Word importers produce: each
row of a ruled table becomes one line whose cells are its cell texts (``tables``), the
text around the tables becomes one line per paragraph (``paragraphs``), page numbers and
running headers/footers are left out (``furniture``). The shared reader in
``importers.text`` does the rest. pdfplumber is imported only here (``source``), when a
PDF is read, so the CLI stays fast for everything else.

A scan (pages that are images, no text) cannot be read: the message says so and what to
do instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from gkassist.importers.pdf.furniture import strip_furniture
from gkassist.importers.pdf.glyphs import TextLine, text_lines
from gkassist.importers.pdf.paragraphs import Layout, measure, paragraphs
from gkassist.importers.pdf.source import PageData, read_pages
from gkassist.importers.pdf.tables import (
    TABLE_NAMES,
    GridTable,
    append_continuation,
    build_table,
    continues,
    pages_text,
    table_kind,
    table_lines,
)
from gkassist.importers.result import Diagnostic, ImportResult, ReportReadError
from gkassist.importers.text import read_lines
from gkassist.importers.tokens import Line

__all__ = ["import_pdf"]

MIN_TEXT = 40  # visible characters a PDF needs to be read at all
IMAGE_PAGE_TEXT = 20  # a page with fewer characters than this and a large image is a scanned page
IMAGE_PAGE_AREA = 0.3
UNMAPPED_SHARE = 0.01  # more glyphs than this share without a text mapping are worth a warning
_CONTINUED = re.compile(r"^[（(]?\s*续\s*(?:表|上表)?\s*[\d一二三四五六七八九十]*\s*[)）]?$")

Block = TextLine | GridTable

SCANNED = (
    "这个 PDF 是扫描件（页面是图片），没有可以读取的文字。"
    "请改为上传该报告的 Word 文档（.docx）或门户网站上的网页（.html）；"
    "如果手头只有 PDF，请用 Word/WPS 打开原文件重新“导出为 PDF”（这样导出的 PDF 带文字），"
    "或先用文字识别（OCR）软件把扫描件转成文字后再导入。"
)
NO_TEXT = (
    "这个 PDF 中没有可以读取的文字（可能是空白页，或文字被转成了图形）。"
    "请改为上传该报告的 Word 文档（.docx）或门户网站上的网页（.html），或用 Word/WPS 重新导出带文字的 PDF。"
)
UNMAPPED = (
    "这个 PDF 的字体没有附带文字编码，文字无法提取（复制出来是乱码）。"
    "请改为上传该报告的 Word 文档（.docx）或门户网站上的网页（.html），或用 Word/WPS 重新导出 PDF。"
)


def import_pdf(data: bytes) -> ImportResult:
    """Read a report from a PDF with a text layer; raises ReportReadError (Chinese) for
    scans, damaged or encrypted files and PDFs that are no annual report."""
    pages = read_pages(data)
    _require_text(pages)
    blocks, running = _blocks(pages)
    layout = measure([b for b in blocks if isinstance(b, TextLine)])
    lines = document_lines(blocks, layout)
    notes = _table_notes([b for b in blocks if isinstance(b, GridTable)])
    notes += _page_notes(pages, running)
    try:
        return read_lines(lines, source="pdf", diagnostics=notes)
    except ReportReadError:
        if any(_image_page(p) for p in pages):
            raise ReportReadError(SCANNED) from None
        raise


def _visible(page: PageData) -> int:
    return sum(1 for g in page.glyphs if g.text.strip())


def _image_page(page: PageData) -> bool:
    return _visible(page) < IMAGE_PAGE_TEXT and page.image_area >= IMAGE_PAGE_AREA


def _require_text(pages: Sequence[PageData]) -> None:
    visible = sum(_visible(p) for p in pages)
    if visible >= MIN_TEXT:
        return
    if sum(p.unmapped for p in pages) >= MIN_TEXT:
        raise ReportReadError(UNMAPPED)
    if any(p.image_area > 0 for p in pages):
        raise ReportReadError(SCANNED)
    raise ReportReadError(NO_TEXT)


def _blocks(pages: Sequence[PageData]) -> tuple[list[Block], list[str]]:
    """Text lines and tables of the whole document in reading order; a table continued on
    the next page is one table. Also the running header/footer texts left out."""
    tables_of: list[list[GridTable]] = []
    lines_of: list[list[TextLine]] = []
    for page in pages:
        glyphs = page.glyphs
        tables: list[GridTable] = []
        for boxes in page.tables:
            table, glyphs = build_table(boxes, glyphs, page.number)
            if table is not None:
                tables.append(table)
        tables_of.append(tables)
        lines_of.append(text_lines(glyphs, page.number))
    lines_of, running = strip_furniture(lines_of, [p.height for p in pages])
    out: list[Block] = []
    for lines, tables in zip(lines_of, tables_of, strict=True):
        items: list[Block] = sorted([*lines, *tables], key=lambda b: b.top)
        last = out[-1] if out else None
        if isinstance(last, GridTable):
            at = next((i for i, b in enumerate(items) if not _continued_caption(b)), None)
            head = items[at] if at is not None else None
            if at is not None and isinstance(head, GridTable) and continues(last, head):
                append_continuation(last, head)
                items = items[at + 1 :]  # the "续表" caption goes with it
        out.extend(items)
    return out, running


def _continued_caption(block: Block) -> bool:
    """A "续表" line above the rest of a table on the next page."""
    return isinstance(block, TextLine) and bool(_CONTINUED.match(block.text))


def document_lines(blocks: Sequence[Block], layout: Layout) -> list[Line]:
    """The document as the shared reader takes it: paragraphs and table rows."""
    out: list[Line] = []
    run: list[TextLine] = []
    for block in blocks:
        if isinstance(block, TextLine):
            run.append(block)
            continue
        out += [Line(p) for p in paragraphs(run, layout)]
        run = []
        out += table_lines(block)
    out += [Line(p) for p in paragraphs(run, layout)]
    return out


def _table_notes(tables: Sequence[GridTable]) -> list[Diagnostic]:
    notes: list[Diagnostic] = []
    for table in tables:
        tid = table_kind(table)
        if tid is None:
            msg = f"{pages_text(table.pages)}有一个表格，不是表二、表三或表四，已按其中的文字读取。"
            notes.append(Diagnostic(level="info", message=msg, where=pages_text(table.pages)))
            continue
        name = TABLE_NAMES[tid]
        found = f"{name}读自{pages_text(table.pages)}的表格"
        found += "（表格跨页，已接续为一个表格）。" if len(table.pages) > 1 else "。"
        notes.append(Diagnostic(level="info", message=found, where=name))
        notes += [Diagnostic(level="info", message=n, where=name) for n in table.notes]
    return notes


def _page_notes(pages: Sequence[PageData], running: Sequence[str]) -> list[Diagnostic]:
    notes: list[Diagnostic] = []
    for page in pages:
        if page.too_many_rules:
            msg = f"第{page.number}页的表格线异常多，未按表格读取，该页表格中的数值可能没有导入。请对照原文核对。"
            notes.append(Diagnostic(level="warning", message=msg, where=f"第{page.number}页"))
        if _image_page(page):
            msg = f"第{page.number}页是图片（扫描页），没有文字，该页内容未能读取。请对照原文补充。"
            notes.append(Diagnostic(level="warning", message=msg, where=f"第{page.number}页"))
    unmapped = sum(p.unmapped for p in pages)
    if unmapped > UNMAPPED_SHARE * sum(_visible(p) for p in pages):
        where = "、".join(f"第{p.number}页" for p in pages if p.unmapped)
        msg = f"{where}有 {unmapped} 个字符的字体没有文字编码，无法提取，导入的文字可能缺字。请对照原文核对。"
        notes.append(Diagnostic(level="warning", message=msg, where="全文"))
    if running:
        quoted = "、".join(f"“{t}”" for t in running[:5])
        msg = f"每页重复的页眉/页脚{quoted}不是报告正文，已略去。"
        notes.append(Diagnostic(level="info", message=msg, where="页眉页脚"))
    return notes
