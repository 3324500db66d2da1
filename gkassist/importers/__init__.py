"""Importers: read a published or saved annual report into a ``Report``.

``import_file`` / ``import_bytes`` pick the reader from the content: a saved report (JSON),
our own markdown export, a portal page (HTML), a Word document, a PDF or plain text.
Every importer returns an ``ImportResult`` (the report plus Chinese diagnostics) or raises ``ReportReadError``.

lxml, python-docx and pdfplumber are imported only when such a file is actually read, so
the CLI starts fast.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

from pydantic import ValidationError

from gkassist.control_chars import strip_control_chars
from gkassist.importers.normalise import decode_bytes
from gkassist.importers.result import Diagnostic, ImportResult, ReportReadError
from gkassist.importers.text import import_text
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
    """Read a report file; raises ReportReadError (Chinese) when it cannot be read."""
    p = Path(path)
    _refuse_special_file(p)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ReportReadError(f"找不到文件“{p}”。请检查文件路径是否正确。") from None
    except IsADirectoryError:
        raise ReportReadError(f"“{p}”是一个文件夹，不是文件。请选择要导入的报告文件。") from None
    except PermissionError:
        raise ReportReadError(f"没有读取文件“{p}”的权限。请检查文件权限后重试。") from None
    except OSError as err:
        raise ReportReadError(f"无法读取文件“{p}”：{err.strerror or err}。") from None
    if not data.strip():
        raise ReportReadError(f"文件“{p}”是空的，没有可导入的内容。")
    return import_bytes(data, name=p.name)


def _refuse_special_file(p: Path) -> None:
    """Devices (/dev/zero never ends), FIFOs and sockets (reading blocks) are refused before any read."""
    try:
        mode = p.stat().st_mode
    except (OSError, ValueError):  # missing, no permission, bad name: read_bytes says which
        return
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise ReportReadError(f"“{p}”不是普通文件（而是设备、管道或套接字），无法导入。请选择保存在磁盘上的报告文件。")


def import_bytes(data: bytes, name: str = "") -> ImportResult:
    """Sniff the content and read it: JSON save, our markdown, HTML page, Word (.docx), PDF, or plain text."""
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
        saved = _saved_report(stripped)
        if saved is not None:
            return saved
    if _is_our_markdown(text):
        return _with_notes(_import_markdown(text), notes + control_notes)
    if name.lower().endswith(HTML_SUFFIXES) or _looks_like_html(stripped):
        return _with_notes(import_html(data), control_notes)  # the page is decoded by its declared charset
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


def _saved_report(text: str) -> ImportResult | None:
    """A report saved by gkassist ({"meta": ...}); None when the JSON is something else."""
    try:
        obj = json.loads(text)
    except RecursionError:
        raise ReportReadError("这个 JSON 文件的嵌套层数过多，不是本系统保存的报告存档，无法导入。") from None
    except ValueError:
        return None
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
