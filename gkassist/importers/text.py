"""Plain-text import, and the document reader shared with the HTML and Word importers.

A document is a list of ``Line``s. It is split at the six section headings (canonical
titles or the aliases of rules/aliases.yaml) into: front matter, sections 一…六 and the
closing. This module finds the parts and reads their bodies: tables 二/三/四 through
``tokens.read_table`` and the narrative of 一/五/六. The title, opening, closing and the
report's meta data are read by ``front``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from gkassist.importers.front import (
    Front,
    apply_front,
    drop_trailing_noise,
    find_contact,
    find_period,
    is_noise,
    is_title,
    parse_date_line,
    parse_report_name,
    read_front,
    year_and_format,
)
from gkassist.importers.normalise import SECTION_KEYS, SectionKey, keyed, section_title_keys
from gkassist.importers.reader import read_table
from gkassist.importers.result import Diagnostic, ImportResult, ReportReadError, SourceKind
from gkassist.importers.tokens import (
    Line,
    Token,
    anchor_keys,
    detect_format,
    line_text,
    line_tokens,
    tokenize,
)
from gkassist.layouts import FormatId, TableId, get_layout, table_layout
from gkassist.model import NARRATIVE_SECTIONS, SECTION_TITLES, Report, Table

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
_HEADING = re.compile(r"^[#*>\s]*第?([一二三四五六七八九十])(?:部分)?\s*[、,，.．:：\s]\s*")


def import_text(text: str) -> ImportResult:
    """Read a report from plain text (a page copied from a portal, or the seed's flattened form)."""
    return read_lines(text_lines(text), source="text")


def text_lines(text: str) -> list[Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return [Line(line) for line in text.split("\n")]


# ---------------------------------------------------------------------------- document


@dataclass(frozen=True)
class Heading:
    section: SectionKey
    line: int
    tail: str  # text after the title on the heading line ("无" in "六、其他需要报告的事项：无")
    numeral: str
    truncated: bool = False


@dataclass
class Document:
    lines: list[Line]
    headings: dict[SectionKey, Heading]
    anchors: dict[TableId, int] = field(default_factory=dict)  # tables found without a heading

    def boundaries(self) -> list[tuple[int, SectionKey, bool]]:
        """(line, section, is_heading) for every place a part of the report starts."""
        marks = [(h.line, h.section, True) for h in self.headings.values()]
        marks += [(line, tid, False) for tid, line in self.anchors.items()]
        return sorted(marks)

    def region(self, section: SectionKey) -> tuple[int, int] | None:
        marks = self.boundaries()
        for k, (line, sid, is_heading) in enumerate(marks):
            if sid == section:
                end = marks[k + 1][0] if k + 1 < len(marks) else len(self.lines)
                return (line + 1 if is_heading else line), end
        return None

    def start(self) -> int:
        marks = self.boundaries()
        return marks[0][0] if marks else len(self.lines)


def _single_text(line: Line) -> str | None:
    """The text of a line that could be a heading: one filled piece only."""
    pieces = list(line.cells) if line.cells is not None else line.text.split("|")
    filled = [p.strip() for p in pieces if p.strip()]
    return filled[0] if len(filled) == 1 else None


def match_heading(line: Line, index: int, last: bool) -> Heading | None:
    text = _single_text(line)
    if text is None:
        return None
    text = text.rstrip("*# ")
    m = _HEADING.match(text)
    if not m:
        return None
    rest = text[m.end() :]
    key, pos = keyed(rest)
    for section, title in section_title_keys():
        if key.startswith(title):
            tail = rest[pos[len(title) - 1] + 1 :]
            if tail.strip() and not (tail[0].isspace() or tail.strip()[0] in ":：(（"):
                continue
            return Heading(section, index, _heading_tail(tail), m.group(1))
        if last and len(key) >= 4 and title.startswith(key):
            return Heading(section, index, "", m.group(1), truncated=True)
    return None


def _heading_tail(tail: str) -> str:
    """Text after the title: '：无' -> '无'; a parenthetical note such as '（单位：件）' is dropped."""
    tail = tail.strip()
    if tail.startswith(("(", "（")) and tail.endswith((")", "）")):
        return ""
    return tail.lstrip(":：").strip()


def find_headings(lines: list[Line]) -> dict[SectionKey, Heading]:
    last = max((i for i, ln in enumerate(lines) if (ln.text.strip() or ln.cells)), default=-1)
    found = [h for i, ln in enumerate(lines) if (h := match_heading(ln, i, i == last))]
    found = _drop_contents_list(found, lines)
    headings: dict[SectionKey, Heading] = {}
    for h in found:
        headings.setdefault(h.section, h)  # a repeated title (table caption) is not a new part
    return headings


def _drop_contents_list(found: list[Heading], lines: list[Line]) -> list[Heading]:
    """Headings with nothing between them are a table of contents or a side menu when there
    are three or more of them, or when every one of them appears again later."""
    runs: list[list[Heading]] = []
    for h in found:
        if runs and all(not line_text(lines[i]) for i in range(runs[-1][-1].line + 1, h.line)):
            runs[-1].append(h)
        else:
            runs.append([h])
    kept: list[Heading] = []
    for run in runs:
        later = {h.section for h in found if h.line > run[-1].line}
        if len(run) >= 3 or (len(run) >= 2 and all(h.section in later for h in run)):
            continue
        kept.extend(run)
    return kept or found


def find_anchors(lines: list[Line], headings: dict[SectionKey, Heading]) -> dict[TableId, int]:
    """First line of each table whose section heading is missing."""
    anchors: dict[TableId, int] = {}
    for tid in TABLE_SECTIONS:
        if tid in headings:
            continue
        keys = anchor_keys(tid)
        for i, line in enumerate(lines):
            if any(t.key in keys for t in line_tokens(line, i) if t.kind == "label"):
                anchors[tid] = i
                break
    return anchors


def split_document(lines: list[Line]) -> Document:
    headings = find_headings(lines)
    doc = Document(lines, headings, find_anchors(lines, headings))
    if not _looks_like_report(doc):
        raise ReportReadError(
            "无法识别为政府信息公开工作年度报告：未找到“一、总体情况”“二、主动公开政府信息情况”等部分标题，"
            "也未找到“第二十条第（一）项”“一、本年新收政府信息公开申请数量”等表格栏目。"
            "请确认上传的是年度报告正文（网页、文本、Word 文档或本系统导出的 Markdown），"
            "而不是网站的栏目列表页或附件下载页。"
        )
    return doc


def _looks_like_report(doc: Document) -> bool:
    if doc.anchors or len(doc.headings) >= 2:
        return True
    if not doc.headings:
        return False
    return any("政府信息公开" in line_text(line) for line in doc.lines)


# ---------------------------------------------------------------------------- reading


def read_lines(
    lines: list[Line],
    source: SourceKind,
    diagnostics: list[Diagnostic] | None = None,
    page_date: date | None = None,
) -> ImportResult:
    """Build a report from document lines; raises ReportReadError for unrelated input."""
    doc = split_document(lines)
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
    diags += [_numeral_note(h) for h in doc.headings.values() if NUMERALS[SECTION_KEYS.index(h.section)] != h.numeral]
    for sid in SECTION_KEYS[: last + 1]:
        if sid not in doc.headings:
            diags.append(_missing_section(sid, sid in doc.anchors))
    trailing = [f"“{SECTION_TITLES[s]}”" for s in SECTION_KEYS[last + 1 :]]
    if trailing:
        msg = (
            f"未找到{'、'.join(trailing)}部分，原文可能在此之前中断。"
            "这些部分的内容为空、表格单元格留空，请对照原文补充。"
        )
        diags.append(Diagnostic(level="warning", message=msg, where="全文末尾"))
    return diags


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
        if heading is None or span is None or heading.truncated:
            continue
        lines = [heading.tail] if heading.tail else []
        lines += [t for i in range(*span) if (t := line_text(doc.lines[i]))]
        lines = drop_trailing_noise(lines)
        if sid == "s6" and front.closing_lines:
            lines = lines[: len(lines) - front.closing_lines]
        report.sections[sid] = "\n".join(lines)
