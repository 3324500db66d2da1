"""Word (.docx) import: last year's report as staff keep it, or our own .docx export.

Paragraphs become text lines and table rows become cell lines (one cell per ``w:tc``: a
merged cell appears once, found by ``_tc`` identity across the table, exactly as an HTML
rowspan/colspan cell does; an empty cell is kept as an explicit blank). The shared reader
(``text.read_lines`` → ``tokens.read_table``) does the rest, as for HTML pages.

When the file is our own export (a custom XML part ``urn:gkassist:report-meta:1``, see
export/docx.py), its metadata restores what the body cannot carry (contact fields, opening
generated or custom, layouts, column units, declared figures, acknowledgements), and the
narrative is taken paragraph by paragraph between our section headings, so the round trip
is lossless. Figures always come from the body: a figure corrected in Word is read as
corrected.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from gkassist.importers.budget import check_budget
from gkassist.importers.docx_package import check_package
from gkassist.importers.result import Diagnostic, ImportResult, ReportReadError
from gkassist.importers.text import read_lines
from gkassist.importers.tokens import Line
from gkassist.mdtext import EXTRA_ROW_PREFIX, FRONT_MATTER_VERSION
from gkassist.model import Acknowledgement, DeclaredFigure, Meta
from gkassist.names import SECTION_TITLES, TABLE_NUMERALS

META_NS = "urn:gkassist:report-meta:1"  # same as export/docx.py (not imported: keeps export deps out)
_SKIPPED_STYLES = frozenset({"GK 草稿提示"})  # our draft banner: not report text
_TITLE_STYLE = "GK 标题"
_CLOSING_STYLE = "GK 落款"
_HEADING_STYLE = "Heading 1"
_TITLE_TO_ID = {title: sid for sid, title in SECTION_TITLES.items()}
MAX_TABLE_DEPTH = 8


def is_docx(data: bytes) -> bool:
    """A Word document: a zip holding word/document.xml (whatever the file is called, so a
    PDF or .doc renamed to .docx still gets the dispatcher's "cannot import" message)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


@dataclass
class _Body:
    lines: list[Line] = field(default_factory=list)
    # Our own layout, paragraph by paragraph: "opening" and section ids -> their lines
    parts: dict[str, list[str]] = field(default_factory=dict)
    title: str | None = None


def _open(data: bytes) -> Any:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise ReportReadError(
            f"Word 文件无法打开（{type(err).__name__}），文件可能已损坏或不是 .docx 格式。"
            "旧版 .doc 文件请先在 Word 中“另存为”.docx 后再导入。"
        ) from None
    except Exception as err:  # lxml and zip failures on damaged files vary; report them uniformly
        raise ReportReadError(
            f"Word 文件内容无法解析（{type(err).__name__}），请在 Word 中重新保存后再导入。"
        ) from None


def import_docx(data: bytes) -> ImportResult:
    """Read a report from a .docx file (its zip checked against the limits first)."""
    check_package(data)
    doc = _open(data)
    body = _read_body(doc)
    meta = read_meta(doc)
    result = read_lines(body.lines, source="docx")
    if meta is not None and result.report is not None:
        _apply_meta(result, meta, body)
    return result


# ---------------------------------------------------------------------------- body


def _style_name(paragraph: Any) -> str:
    try:
        style = paragraph.style
    except (KeyError, ValueError):
        return ""
    return str(style.name) if style is not None and style.name else ""


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@lru_cache(maxsize=1)
def _run_parts() -> Any:
    """The text-bearing children of a paragraph's runs (hyperlinked runs included), in order:
    python-docx's own selection, compiled once (python-docx compiles it per run: ~17 µs each)."""
    from lxml import etree

    kinds = " or ".join(f"self::w:{k}" for k in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))
    return etree.XPath(f"(w:r | w:hyperlink/w:r)/*[{kinds}]", namespaces={"w": W_NS})


def paragraph_text(p: Any) -> str:
    """The same text as python-docx's ``Paragraph.text`` (each part's str(): a tab is "\t", a
    line break "\n"), for the ``w:p`` element ``p``."""
    return "".join(str(e) for e in _run_parts()(p))


def cell_text(cell: Any) -> str:
    """The same text as python-docx's ``_Cell.text``: its paragraphs, one per line."""
    return "\n".join(paragraph_text(p) for p in cell._tc.p_lst)


class _StyleNames:
    """Paragraph style names by style id, looked up once: python-docx finds a paragraph's style
    by scanning every style of the document (milliseconds per paragraph in a Word template)."""

    def __init__(self, doc: Any) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        self.by_id: dict[str, str] | None = {}
        self.default = ""
        try:
            kinds: dict[str, bool] = {}
            for style in doc.styles:
                if style.style_id not in kinds:  # python-docx takes the first style with an id
                    kinds[style.style_id] = style.type == WD_STYLE_TYPE.PARAGRAPH
                    if kinds[style.style_id]:
                        self.by_id[style.style_id] = str(style.name or "")
            default = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
            self.default = str(default.name) if default is not None and default.name else ""
        except (KeyError, ValueError, AttributeError):  # damaged styles: ask python-docx per paragraph
            self.by_id = None

    def of(self, paragraph: Any) -> str:
        if self.by_id is None:
            return _style_name(paragraph)
        style_id = paragraph._p.style
        return self.default if style_id is None else self.by_id.get(style_id, self.default)


def _read_body(doc: Any) -> _Body:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = _Body()
    current = "opening"
    styles = _StyleNames(doc)
    for count, item in enumerate(doc.iter_inner_content()):
        if count % 1000 == 0:
            check_budget()
        if isinstance(item, Table):
            body.lines.extend(table_lines(item))
            continue
        if not isinstance(item, Paragraph):
            continue
        style = styles.of(item)
        if style in _SKIPPED_STYLES:
            continue
        text = paragraph_text(item._p)
        body.lines.extend(Line(part) for part in text.split("\n"))
        if style == _TITLE_STYLE and body.title is None:
            body.title = text
        elif style == _HEADING_STYLE and text in _TITLE_TO_ID:
            current = _TITLE_TO_ID[text]
            body.parts.setdefault(current, [])
        elif style != _CLOSING_STYLE and not (current in ("s2", "s3", "s4") and not text):
            body.parts.setdefault(current, []).append(text)
    return body


def table_lines(table: Any, depth: int = 0) -> list[Line]:
    """One Line per row, one cell per distinct ``w:tc`` (merged cells once, blanks kept)."""
    out: list[Line] = []
    seen: set[Any] = set()  # the _tc elements themselves: keeps the lxml proxies alive
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if cell._tc in seen:
                continue  # a horizontal span repeats in the row, a vertical one in later rows
            seen.add(cell._tc)
            cells.append(cell)
        if not cells:
            continue
        if depth < MAX_TABLE_DEPTH and any(c.tables for c in cells):
            for cell in cells:  # a layout table: read its cells as blocks
                for p in cell._tc.p_lst:
                    out.extend(Line(t) for t in paragraph_text(p).split("\n") if t.strip())
                for inner in cell.tables:
                    out.extend(table_lines(inner, depth + 1))
            continue
        texts = tuple(" ".join(cell_text(c).split()) for c in cells)
        out.append(Line(" | ".join(t for t in texts if t), cells=texts))
    return out


# ---------------------------------------------------------------------------- our metadata


def read_meta(doc: Any) -> dict[str, Any] | None:
    """The JSON of our custom XML part, or None for a document we did not write."""
    from lxml import etree

    for rel in doc.part.rels.values():
        if rel.is_external or not rel.reltype.endswith("/customXml"):
            continue
        try:
            root = etree.fromstring(rel.target_part.blob)
        except etree.XMLSyntaxError:
            continue
        if etree.QName(root).namespace != META_NS:
            continue
        try:
            data = json.loads(root.text or "")
        except (ValueError, RecursionError):  # damaged, or nested beyond reason: read the body only
            return None
        return data if isinstance(data, dict) and data.get("gkassist") == FRONT_MATTER_VERSION else None
    return None


def _apply_meta(result: ImportResult, data: dict[str, Any], body: _Body) -> None:
    report = result.report
    assert report is not None
    fields = ("agency", "year", "format", "level", "period_start", "period_end", "publication_date", "contact")
    try:
        meta = Meta.model_validate({k: data.get(k) for k in fields})
        declared = [DeclaredFigure.model_validate(d) for d in data.get("declared") or []]
        acks = [Acknowledgement.model_validate(a) for a in data.get("acknowledgements") or []]
        tables = dict(data.get("tables") or {})
    except (ValidationError, ValueError, TypeError, AttributeError) as err:  # ValueError: dict() of a list
        msg = f"文档中本系统写入的元数据无效（{type(err).__name__}），已按正文导入；联系方式、确认记录等请核对。"
        result.diagnostics.append(Diagnostic(level="warning", message=msg, where="基本信息"))
        return
    if body.title is not None and body.title != meta.title:
        msg = (
            f"文档标题“{body.title}”与本系统导出时记录的“{meta.title}”不一致，"
            "基本信息已按导出时的记录填写，请核对机关名称和年度。"
        )
        result.diagnostics.append(Diagnostic(level="warning", message=msg, where="基本信息"))
    meta.opening = "\n".join(body.parts.get("opening", [])) if data.get("opening") == "custom" else None
    report.meta = meta
    report.declared = declared
    report.acknowledgements = acks
    for tid, spec in tables.items():
        if tid in report.tables and isinstance(spec, dict):
            try:
                report.tables[tid].column_units = dict(spec.get("column_units") or {})
            except (ValidationError, TypeError, ValueError):  # edited by hand: the units printed in the body stand
                where = f"表{TABLE_NUMERALS[tid]}"
                result.diagnostics.append(Diagnostic(level="warning", message="文档元数据中记录的表头单位无效，已忽略。", where=where))
    for sid in ("s1", "s5", "s6"):
        if sid in body.parts:
            report.sections[sid] = "\n".join(body.parts[sid])
    for table in report.tables.values():
        for extra in table.extra_rows:
            extra.label = extra.label.removeprefix(EXTRA_ROW_PREFIX)
            extra.cells = {k: v for k, v in extra.cells.items() if v.raw}  # as exported: blank = absent
    # What the metadata settles is no longer worth a note (period, contact, opening, date).
    result.diagnostics = [d for d in result.diagnostics if (d.where or "").startswith("表")]
