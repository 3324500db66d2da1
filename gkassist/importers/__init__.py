"""Importers: read a published or saved annual report into a ``Report``.

``import_file`` / ``import_bytes`` pick the reader from the content: a saved report (JSON),
our own markdown export, a portal page (HTML), a Word document, a PDF or plain text.
Every importer returns an ``ImportResult`` (the report plus Chinese diagnostics) or raises ``ReportReadError``.

lxml, python-docx and pdfplumber are imported only when such a file is actually read, so
the CLI starts fast.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from gkassist import limits
from gkassist.control_chars import strip_control_chars
from gkassist.importers.bounds import check_file_size, check_text, read_file
from gkassist.importers.budget import ImportTimeout, import_budget
from gkassist.importers.normalise import decode_bytes
from gkassist.importers.result import Diagnostic, ImportResult, ReportReadError
from gkassist.importers.text import import_text
from gkassist.limits import ADVICE_WRONG_FILE, human_size, over_limit
from gkassist.model import STRICT_TEXT, Report

__all__ = [
    "Diagnostic",
    "ImportResult",
    "ReportReadError",
    "import_bytes",
    "import_file",
    "import_html",
    "import_text",
]

HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
_HTML_MARKS = ("<html", "<!doctype html", "<table", "<p", "<div", "<body")
_BINARY_MAGIC = {
    b"PK\x03\x04": "Excel 或压缩包（不是 Word 文档）",
    b"\xd0\xcf\x11\xe0": "旧版 Word（.doc）或 Excel",
    b"\x89PNG": "图片",
    b"\xff\xd8\xff": "图片",
}


def import_html(data: bytes | str) -> ImportResult:
    """Read a portal page; see gkassist.importers.html (imported on first use)."""
    from gkassist.importers.html import import_html as _import_html

    return _import_html(data)


def import_file(path: str | Path) -> ImportResult:
    """Read a report file; raises ReportReadError (Chinese) when it cannot be read or is past a
    limit (gkassist/limits.py): the read itself stops at the file size limit."""
    p = Path(path)
    data = read_file(p)
    if not data.strip():
        raise ReportReadError(f"文件“{p}”是空的，没有可导入的内容。")
    return import_bytes(data, name=p.name)


def import_bytes(data: bytes, name: str = "") -> ImportResult:
    """Sniff the content and read it: JSON save, our markdown, HTML page, Word (.docx), PDF, or plain text.

    Bounded: a file past a limit of gkassist/limits.py, or an import past its time budget, is
    refused whole with a Chinese ReportReadError."""
    check_file_size(len(data))
    try:
        with import_budget(limits.LIMITS.import_seconds):
            return _import_bytes(data, name)
    except ImportTimeout:
        seconds = f"{limits.LIMITS.import_seconds:g} 秒"
        raise ReportReadError(
            f"读取这个文件超过了导入时间上限（{seconds}），已停止，没有导入任何内容。"
            f"{ADVICE_WRONG_FILE}如果确实是年度报告，请删去无关内容或另存为较小的文件（如只含正文的 .docx 或 .txt）后再导入。"
        ) from None


def _import_bytes(data: bytes, name: str) -> ImportResult:
    if _looks_like_pdf(data):
        from gkassist.importers.pdf import import_pdf  # pdfplumber only when a PDF is read

        return import_pdf(data)
    if data.startswith(b"PK\x03\x04"):  # a zip: a Word document if it holds word/document.xml
        from gkassist.importers.docx import import_docx, is_docx  # python-docx only when a .docx is read

        if is_docx(data):
            return import_docx(data)
    _refuse_binary(data)
    text, notes = decode_bytes(data)
    text, control_notes = _without_control_chars(text)
    stripped = text.lstrip()
    if stripped.startswith("{"):
        saved = _saved_report(stripped, len(data))
        if saved is not None:
            return saved
    if _is_our_markdown(text):
        check_text(text)
        return _with_notes(_import_markdown(text), notes + control_notes)
    if name.lower().endswith(HTML_SUFFIXES) or _looks_like_html(stripped):
        return _with_notes(import_html(data), control_notes)  # the page is decoded by its declared charset
    check_text(text)
    try:
        return _with_notes(import_text(text), notes + control_notes)
    except ReportReadError as err:
        if notes and any(n.level == "warning" for n in notes):
            raise ReportReadError(f"{err}（文件中有大量无法识别的字节，可能不是文本或网页文件。）") from None
        raise


def _without_control_chars(text: str) -> tuple[str, list[Diagnostic]]:
    """Control characters removed before any reader sees them (Word export cannot hold them)."""
    text, removed = strip_control_chars(text)
    if not removed:
        return text, []
    return text, [Diagnostic(level="warning", message=f"文件中有{removed}个不可见的控制字符，导入时已删除；请核对导入的内容。")]


def _refuse_binary(data: bytes) -> None:
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise ReportReadError(
                f"这是{kind}文件，无法直接导入。请上传年度报告的 Word 文档（.docx）、PDF、网页（.html）、"
                "文本（.txt）或本系统导出的 Markdown/JSON 文件；旧版 .doc 请先用 Word“另存为”.docx。"
            )


def _looks_like_pdf(data: bytes) -> bool:
    """The %PDF- mark within the first kilobyte (PDF readers tolerate junk before it)."""
    return b"%PDF-" in data[:1024]


def _saved_report(text: str, size: int) -> ImportResult | None:
    """A report saved by gkassist ({"meta": ...}); None when the JSON is something else."""
    cap = limits.LIMITS.json_bytes
    if size > cap:
        raise ReportReadError(over_limit("JSON 文件大小", human_size(size), human_size(cap), _ARCHIVE_ADVICE))
    containers = text.count("{") + text.count("[")  # an upper bound: a bracket in a string counts too
    if containers > limits.LIMITS.json_containers:
        cap_count = limits.LIMITS.json_containers
        raise ReportReadError(
            over_limit("JSON 文件中的对象和列表", f"约 {containers:,} 个", f"{cap_count:,} 个", _ARCHIVE_ADVICE)
        )
    try:
        obj = json.loads(text)
    except RecursionError:
        raise ReportReadError(_too_deep("上千层")) from None
    except ValueError:
        return None
    depth, chars = json_shape(obj, limits.LIMITS.json_depth)
    if depth > limits.LIMITS.json_depth:
        raise ReportReadError(_too_deep(f"至少 {depth} 层"))
    if chars > limits.LIMITS.text_chars:
        cap_chars = limits.LIMITS.text_chars
        raise ReportReadError(over_limit("文件中的文字", f"{chars:,} 个字符", f"{cap_chars:,} 个字符", _ARCHIVE_ADVICE))
    if not isinstance(obj, dict) or "meta" not in obj:
        return None
    try:
        report = Report.model_validate_json(text, context=STRICT_TEXT)
    except ValidationError as err:
        from gkassist.validation_zh import validation_message_zh

        raise ReportReadError(
            f"这是一个报告存档（JSON），但内容不符合本系统的格式：{validation_message_zh(err)}。"
            "请确认文件没有被手工改动，或重新从系统导出。"
        ) from None
    return ImportResult(report=report, diagnostics=[], source="json")


_ARCHIVE_ADVICE = "本系统保存的报告存档通常只有几十 KB，请检查是否选错了文件，或从系统重新导出该报告。"


def _too_deep(actual: str) -> str:
    return over_limit("JSON 文件的嵌套层数", actual, f"{limits.LIMITS.json_depth} 层", _ARCHIVE_ADVICE)


def json_shape(obj: object, max_depth: int) -> tuple[int, int]:
    """How deep objects and lists nest in parsed JSON (a scalar is 0), and how many characters its
    strings hold; counting stops past ``max_depth``."""
    deepest = chars = 0
    stack: list[tuple[object, int]] = [(obj, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            chars += len(item)
            continue
        if isinstance(item, dict):
            chars += sum(len(k) for k in item)
            children: list[object] = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if deepest > max_depth:
            break
        stack.extend((child, depth) for child in children)
    return deepest, chars


def _is_our_markdown(text: str) -> bool:
    """Our export starts with YAML front matter that names gkassist."""
    text = text.replace("\r\n", "\n")
    if not text.startswith("---\n"):
        return False
    end = text.find("\n---", 4)
    return end != -1 and "gkassist:" in text[4:end]


def _import_markdown(text: str) -> ImportResult:
    from gkassist.importers.markdown import import_markdown

    return import_markdown(text)


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lower()
    return any(mark in head for mark in _HTML_MARKS)


def _with_notes(result: ImportResult, notes: list[Diagnostic]) -> ImportResult:
    if notes:
        result.diagnostics[:0] = notes
    return result
