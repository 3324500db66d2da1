"""Plain-text import, and the document reader shared with the HTML and Word importers.

A document is a list of ``Line``s. ``document`` splits it into front matter, sections 一…六
and the closing; this module reads the parts' bodies: tables 二/三/四 through
``reader.read_table`` and the narrative of 一/五/六. The title, opening, closing and the
report's meta data are read by ``front``; page furniture is removed by ``page``.
"""

from __future__ import annotations

import re
from datetime import date

from gkassist.importers.bounds import check_lines, check_text
from gkassist.importers.budget import check_budget
from gkassist.importers.dates import parse_date_line
from gkassist.importers.document import Document, Heading, split_document
from gkassist.importers.front import (
    Front,
    apply_front,
    drop_trailing_noise,
    find_contact,
    find_period,
    is_noise,
    is_title,
    parse_report_name,
    read_front,
    year_and_format,
)
from gkassist.importers.normalise import SECTION_KEYS, SectionKey
from gkassist.importers.page import join_wrapped, split_closing, strip_page_header
from gkassist.importers.reader import read_table
from gkassist.importers.result import Diagnostic, ImportResult, SourceKind
from gkassist.importers.scan import is_page_number
from gkassist.importers.tokens import (
    Line,
    Token,
    detect_format,
    line_text,
    tokenize,
)
from gkassist.layouts import FormatId, TableId, get_layout, table_layout
from gkassist.model import NARRATIVE_SECTIONS, Report, Table
from gkassist.names import SECTION_TITLES

__all__ = [  # the front-matter readers were here before front.py; importers and tests use these paths
    "Document",
    "Front",
    "Heading",
    "find_contact",
    "find_period",
    "import_text",
    "is_noise",
    "is_title",
    "parse_date_line",
    "parse_report_name",
    "read_lines",
    "split_document",
    "text_lines",
]

TABLE_SECTIONS: tuple[TableId, ...] = ("s2", "s3", "s4")
NUMERALS = "一二三四五六"


def import_text(text: str) -> ImportResult:
    """Read a report from plain text (a page copied from a portal, or the seed's flattened form)."""
    check_text(text)
    return read_lines(join_wrapped(text_lines(text)), source="text")


# Word's conditional comments ('<!--[if !supportLists]-->（三）<!--[endif]-->') left in a page's text by
# a crawler: markup, not words of the report.
_HTML_COMMENT = re.compile(r"<!--.{0,300}?-->", re.DOTALL)


def text_lines(text: str) -> list[Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if "<!--" in text:
        text = _HTML_COMMENT.sub("", text)
    return [Line(line) for line in text.split("\n")]


# ---------------------------------------------------------------------------- reading


def read_lines(
    lines: list[Line],
    source: SourceKind,
    diagnostics: list[Diagnostic] | None = None,
    page_date: date | None = None,
) -> ImportResult:
    """Build a report from document lines; raises ReportReadError for unrelated input or for
    more lines or text than the limits allow (gkassist/limits.py)."""
    check_lines(lines)
    check_budget()
    doc = split_document(split_closing(strip_page_header(lines)))
    check_budget()
    diags = list(diagnostics or [])
    front = read_front(doc, page_date)
    diags += front.diagnostics
    tokens = {tid: _table_tokens(doc, tid) for tid in TABLE_SECTIONS}
    detected = {tid: detect_format(tid, toks) for tid, toks in tokens.items() if toks is not None}
    year, fmt, year_diags = year_and_format(front, detected)
    diags += year_diags
    report = Report.new(front.agency, year, fmt)
    apply_front(report, front)
    diags += _section_diagnostics(doc)
    check_budget()
    diags += _read_tables(report, doc, tokens, detected)
    _fill_sections(report, doc, front)
    return ImportResult(report=report, diagnostics=diags, source=source)


def _table_tokens(doc: Document, tid: TableId) -> list[Token] | None:
    span = doc.region(tid)
    return None if span is None else tokenize(doc.lines, *span)


def _read_tables(
    report: Report, doc: Document, tokens: dict[TableId, list[Token] | None], detected: dict[TableId, FormatId | None]
) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for tid in TABLE_SECTIONS:
        toks = tokens[tid]
        fmt = detected.get(tid) or report.meta.format
        if toks is None:
            report.tables[tid] = blank_table(tid, fmt)
            continue
        span = doc.region(tid)
        cut_off = span is not None and span[1] == len(doc.lines)
        read = read_table(tid, fmt, toks, cut_off=cut_off)
        report.tables[tid] = read.table
        diags += read.diagnostics
        diags += _format_note(tid, detected.get(tid), report)
    return diags


def blank_table(tid: TableId, fmt: FormatId) -> Table:
    table = Table(layout=fmt)
    for row_id, col_id in table_layout(fmt, tid).cell_ids():
        table.set(row_id, col_id, None)
    return table


def _format_note(tid: TableId, detected: FormatId | None, report: Report) -> list[Diagnostic]:
    if detected is None or detected == report.meta.format:
        return []
    used, due = get_layout(detected), get_layout(report.meta.format)
    numeral = SECTION_TITLES[tid][0]
    msg = (
        f"表{numeral}使用的是{used.name}（{used.notice}）的栏目，而{report.meta.year}年度报告应使用"
        f"{due.name}（{due.notice}）。已按原表的格式导入，请核对后改用规定格式。"
    )
    return [Diagnostic(level="warning", message=msg, where=f"表{numeral}")]


def _section_diagnostics(doc: Document) -> list[Diagnostic]:
    found = [SECTION_KEYS.index(s) for s in doc.headings] + [SECTION_KEYS.index(t) for t in doc.anchors]
    last = max(found, default=-1)
    diags = [_truncated_heading(h) for h in doc.headings.values() if h.truncated]
    for h in doc.headings.values():
        if h.similar or not h.numeral:
            diags.append(_variant_note(h))
        elif NUMERALS[SECTION_KEYS.index(h.section)] != h.numeral:
            diags.append(_numeral_note(h))
    for sid in SECTION_KEYS[: last + 1]:
        if sid in doc.by_content:
            diags.append(_content_note(sid, doc.by_content[sid]))
        elif sid not in doc.headings:
            diags.append(_missing_section(sid, sid in doc.anchors))
    trailing = [f"“{SECTION_TITLES[s]}”" for s in SECTION_KEYS[last + 1 :]]
    if trailing:
        msg = (
            f"未找到{'、'.join(trailing)}部分，原文可能在此之前中断。"
            "这些部分的内容为空、表格单元格留空，请对照原文补充。"
        )
        diags.append(Diagnostic(level="warning", message=msg, where="全文末尾"))
    return diags


def _variant_note(h: Heading) -> Diagnostic:
    title = SECTION_TITLES[h.section]
    if h.similar:
        msg = (
            f"原文标题“{h.printed}”与规定标题“{title}”不完全一致，已按相近标题识别为第{title[0]}部分。请核对原文标题。"
        )
    else:
        msg = f"原文标题“{h.printed}”没有序号，已识别为“{title}”部分。请在原文中补上序号“{title[0]}、”。"
    return Diagnostic(level="info", message=msg, where=title)


def _content_note(sid: SectionKey, word: str) -> Diagnostic:
    title = SECTION_TITLES[sid]
    msg = (
        f"未找到“{title}”标题，已根据内容（提到“{word}”的段落）识别该部分。请核对该部分的起止位置，并在原文中补上标题。"
    )
    return Diagnostic(level="warning", message=msg, where=title)


def _truncated_heading(h: Heading) -> Diagnostic:
    msg = f"原文在“{SECTION_TITLES[h.section]}”的标题处中断，该部分没有内容。请对照原文补充。"
    return Diagnostic(level="warning", message=msg, where=SECTION_TITLES[h.section])


def _numeral_note(h: Heading) -> Diagnostic:
    title = SECTION_TITLES[h.section]
    msg = f"“{title}”部分在原文中的序号写作“{h.numeral}”，已按标题内容识别；规定序号为“{title[0]}”，请核对原文。"
    return Diagnostic(level="info", message=msg, where=SECTION_TITLES[h.section])


def _missing_section(sid: SectionKey, anchored: bool) -> Diagnostic:
    title = SECTION_TITLES[sid]
    if anchored:
        msg = f"未找到“{title}”标题，已根据表格栏目定位表{title[0]}。请在原文中补上该标题。"
        return Diagnostic(level="info", message=msg, where=title)
    if sid in TABLE_SECTIONS:
        msg = f"未找到“{title}”部分及其表格，表{title[0]}的单元格全部留空。请对照原文补填。"
    else:
        msg = f"未找到“{title}”部分，该部分内容为空。请核对原文是否完整，或在系统中补写。"
    return Diagnostic(level="warning", message=msg, where=title)


# ---------------------------------------------------------------------------- narrative


def _fill_sections(report: Report, doc: Document, front: Front) -> None:
    for sid in NARRATIVE_SECTIONS:
        heading = doc.headings.get(sid)
        span = doc.region(sid)
        if span is None or (heading is None and sid not in doc.by_content) or (heading and heading.truncated):
            continue
        lines = [heading.tail] if heading and heading.tail else []
        lines += [t for i in range(*span) if (t := line_text(doc.lines[i])) and not is_page_number(t)]
        lines = drop_trailing_noise(lines)
        if sid == "s6" and front.closing_lines:
            lines = lines[: len(lines) - front.closing_lines] + ([front.closing_kept] if front.closing_kept else [])
        report.sections[sid] = "\n".join(lines)
