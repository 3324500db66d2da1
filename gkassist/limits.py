"""How much input gkassist reads: every limit on an imported or uploaded file, in one place.

These are operational bounds, not policy: they keep one hostile or mistaken file from taking
the machine's time and memory (a 428 KB .docx can hold 3 million paragraphs, a 1.5 MB zip
inflates to gigabytes). Each is far above what a real annual report needs (a report is 5–15
pages, 300–700 lines, 20 KB–2 MB on disk) and low enough that the worst file under all of
them is read in about 2 s and 300 MB (benchmarks/bench_limits.py measures it).

A file past a limit is refused whole, before any of it is kept, with a Chinese message that
names the limit, the file's own figure and what to do (``over_limit``). Code reads the
limits through ``limits.LIMITS`` at call time, so a test can lower one with monkeypatch.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    # Any file, and any upload (Streamlit's server.maxUploadSize is set to the same 20 MB).
    file_bytes: int = 20 * MB  # reports with photos reach ~5 MB; scans are refused anyway
    # Wall-clock time for one import; past it the import stops (a real report takes < 1 s).
    import_seconds: float = 10.0

    # Text, whatever it came from (.txt, .md, a page's text, a Word body, a PDF's text layer).
    text_chars: int = 500_000  # a report is 10–40 thousand characters
    text_lines: int = 10_000  # paragraphs and table rows: a report has 300–700, a 60-page PDF ~3,000

    # HTML pages (the markup is parsed whole, so it is bounded before parsing).
    html_bytes: int = 5 * MB  # portal pages are 20–300 KB
    html_tags: int = 200_000  # "<" in the page: an upper bound of its elements; pages have 1–30 thousand
    html_depth: int = 200  # nested elements; pages nest 20–40 deep (libxml2 silently stops at 256)

    # Word (.docx): a zip of XML parts, checked in the zip's directory before anything is unzipped
    # and again while unzipping (the directory's sizes can lie).
    docx_members: int = 1_000  # parts in the zip: a report has 15–40, one more per image
    docx_unzipped_bytes: int = 64 * MB  # all parts unzipped (images do not shrink when zipped)
    docx_ratio: int = 200  # unzipped ÷ zipped, parts over 1 MB: XML shrinks 5–40×, a bomb ~1000×
    docx_elements: int = 300_000  # XML elements in all parts: a report has 20–80 thousand
    docx_paragraphs: int = 10_000  # paragraphs in the body, table cells included: a report has 500–1,500

    # PDF (importers/pdf/source.py): pdfminer interprets page content at about 0.2–0.3 MB/s and
    # keeps every character, so the content and the characters of the whole file are bounded.
    pdf_pages: int = 60  # a report is 5–15 pages
    pdf_content_bytes: int = 512 * 1024  # decompressed page content, all pages: a report page has 10–40 KB
    pdf_page_glyphs: int = 10_000  # characters on one page: a dense page has ~3,000, a report's ~500
    pdf_glyphs: int = 40_000  # characters in the whole file: a 15-page report has ~10,000
    pdf_paths: int = 10_000  # drawing operators (re m l c v y) in the whole file: a report page has 10–400

    # Saved report archives (JSON).
    json_bytes: int = 2 * MB  # an archive, last year's report inside, is 10–50 KB
    json_containers: int = 10_000  # objects and lists ("{" and "[" counted before parsing): an archive has 50–500
    json_depth: int = 32  # nesting of objects and lists: an archive nests ~10 deep

    # One table cell: more digits than this is no count or amount (and Python refuses to
    # convert numbers of thousands of digits).
    cell_digits: int = 15


LIMITS = ImportLimits()


def upload_mb() -> int:
    """The upload limit in Streamlit's unit (whole mebibytes): file_uploader's max_upload_size and
    server.maxUploadSize in .streamlit/config.toml."""
    return LIMITS.file_bytes // MB

# What to do, for the messages below.
ADVICE_WRONG_FILE = "请检查是否选错了文件（年度报告通常只有几页，文件一般不超过 2 MB）。"
ADVICE_SPLIT = "如果确实是年度报告，请删去与报告无关的内容（如大图片、附件），或拆分后另存为较小的文件再导入。"
ADVICE_RESAVE_WORD = "如果确实是年度报告，请在 Word 中打开，删去大图片和无关内容后“另存为”新的 .docx 文件再导入。"
ADVICE_PDF = "如果确实是年度报告，请改为上传该报告的 Word 文档（.docx）或门户网站上的网页（.html）。"
ADVICE_RESAVE_HTML = "如果确实是年度报告，请在浏览器中打开原网页，用“另存为 → 网页，仅HTML”重新保存，或把报告正文复制到文本文件中导入。"


def human_size(n: int) -> str:
    """A byte count as people read it: 512 KB, 25.3 MB, 3.1 GB."""
    if n >= 1024 * MB:
        return f"{n / (1024 * MB):.1f} GB"
    if n >= MB:
        return f"{n / MB:.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, round(n / 1024))} KB"


def over_limit(what: str, actual: str, limit: str, advice: str = ADVICE_WRONG_FILE + ADVICE_SPLIT) -> str:
    """The Chinese message for a file past a limit: which limit, the file's figure, what to do."""
    return f"{what}（{actual}）超过了导入上限（{limit}），没有导入任何内容。{advice}"
