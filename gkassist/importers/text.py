"""Plain-text import, and the document reader shared with the HTML and Word importers.

A document is a list of ``Line``s. It is split at the six section headings (canonical
titles or the aliases of rules/aliases.yaml) into: front matter, sections 一…六 and the
closing. This module finds the parts and reads their bodies: tables 二/三/四 through
``tokens.read_table`` and the narrative of 一/五/六. The title, opening, closing and the
report's meta data are read by ``front``.
"""

from __future__ import annotations

from collections.abc import Sequence
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
from gkassist.importers.headings import Candidate, find_parts, line_text_of
from gkassist.importers.normalise import SECTION_KEYS, SectionKey, load_aliases
from gkassist.importers.page import join_wrapped, split_closing, strip_page_header
from gkassist.importers.reader import read_table
from gkassist.importers.result import Diagnostic, ImportResult, ReportReadError, SourceKind
from gkassist.importers.scan import is_page_number
from gkassist.importers.tokens import (
    Line,
    Token,
    detect_format,
    line_text,
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


def import_text(text: str) -> ImportResult:
    """Read a report from plain text (a page copied from a portal, or the seed's flattened form)."""
    return read_lines(join_wrapped(text_lines(text)), source="text")


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
    printed: str = ""  # the heading as printed, when its title is not an accepted one
    similar: bool = False


@dataclass
class Document:
    lines: list[Line]
    headings: dict[SectionKey, Heading]
    anchors: dict[SectionKey, int] = field(default_factory=dict)  # parts found without a heading
    by_content: dict[SectionKey, str] = field(default_factory=dict)  # narrative parts found by their words

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

    def boundaries_sections(self) -> set[SectionKey]:
        return {sid for _, sid, _ in self.boundaries()}


def _heading_tail(tail: str) -> str:
    """Text after the title: '：无' -> '无'; a parenthetical note such as '（单位：件）' is dropped."""
    tail = tail.strip().strip("*#").strip()
    if tail.startswith(("(", "（")) and tail.endswith((")", "）")) and len(tail) <= 20:
        return ""
    return tail.lstrip(":：").strip()


@dataclass(frozen=True)
class _Cut:
    """Where a part starts inside a line: a heading from ``start`` to ``end``, or (``end`` is
    None) a part found without a heading that starts at ``start``."""

    section: SectionKey
    line: int
    start: int
    end: int | None
    heading: Candidate | None = None


@dataclass(frozen=True)
class _Part:
    """A stretch of a cut line: text, a heading, a heading's tail, or where a part starts."""

    start: int
    end: int
    role: str  # "text", "tail", "heading", "anchor"
    cut: _Cut | None = None


def _line_parts(text: str, here: list[_Cut]) -> list[_Part]:
    parts: list[_Part] = []
    pos = 0
    for cut in here:
        if cut.start > pos:
            parts.append(_Part(pos, cut.start, "text"))
        if cut.end is None:
            parts.append(_Part(cut.start, cut.start, "anchor", cut))
            pos = max(pos, cut.start)
            continue
        parts.append(_Part(cut.start, cut.end, "heading", cut))
        tail_end = min((k.start for k in here if k.start >= cut.end), default=len(text))
        if tail_end > cut.end:
            parts.append(_Part(cut.end, tail_end, "tail"))
        pos = tail_end
    if pos < len(text):
        parts.append(_Part(pos, len(text), "text"))
    return parts


def _reflow(lines: list[Line], cuts: list[_Cut]) -> tuple[list[Line], dict[SectionKey, Heading], dict[SectionKey, int]]:
    """Cut lines so that every part starts on a line of its own: a heading becomes its own
    line, the text before it stays on the line before, its tail goes on the line after."""
    by_line: dict[int, list[_Cut]] = {}
    for cut in cuts:
        by_line.setdefault(cut.line, []).append(cut)
    out: list[Line] = []
    headings: dict[SectionKey, Heading] = {}
    anchors: dict[SectionKey, int] = {}
    for i, line in enumerate(lines):
        here = sorted(by_line.get(i, []), key=lambda c: c.start)
        if not here:
            out.append(line)
            continue
        text = line_text_of(line) or ""
        parts = _line_parts(text, here)
        texts = [k for k, p in enumerate(parts) if p.role in ("text", "tail")]
        for k, part in enumerate(parts):
            if part.role == "anchor" and part.cut is not None:
                anchors[part.cut.section] = len(out)
            elif part.role == "heading" and part.cut is not None and part.cut.heading is not None:
                c = part.cut.heading
                shown = c.printed if (c.similar or not c.numeral) else ""
                headings[c.section] = Heading(c.section, len(out), "", c.numeral, c.truncated, shown, c.similar)
                out.append(Line(text[part.start : part.end]))
            else:
                body = text[part.start : part.end]
                if part.role == "tail":  # spaces before the next cut may be blank cells
                    cleaned = _heading_tail(body)
                    body = cleaned + body[len(body.rstrip()) :] if cleaned and k < len(parts) - 1 else cleaned
                if body.strip():  # a line cut out of running text has no line break at the cut
                    first, last = k == texts[0] and k == 0, k == texts[-1] and k == len(parts) - 1
                    out.append(
                        Line(body, broken_before=first and line.broken_before, broken_after=last and line.broken_after)
                    )
    return out, headings, anchors


def split_document(lines: list[Line]) -> Document:
    parts = find_parts(lines)
    cuts = [_Cut(s, c.line, c.start, c.end, c) for s, c in parts.headings.items()]
    cuts += [_Cut(s, at[0], at[1], None) for s, at in parts.anchors.items()]
    new_lines, headings, anchors = _reflow(lines, cuts)
    doc = Document(new_lines, headings, anchors)
    _find_by_content(doc)
    if not _looks_like_report(doc):
        raise ReportReadError(
            "无法识别为政府信息公开工作年度报告：未找到“一、总体情况”“二、主动公开政府信息情况”等部分标题，"
            "也未找到“第二十条第（一）项”“一、本年新收政府信息公开申请数量”等表格栏目。"
            "请确认上传的是年度报告正文（网页、文本、Word 文档或本系统导出的 Markdown），"
            "而不是网站的栏目列表页或附件下载页。"
        )
    return doc


def _find_by_content(doc: Document) -> None:
    """Parts 五 and 六 whose heading was lost, recognised by their words: text about
    problems and improvements after table 四, a last paragraph about fees."""
    markers = load_aliases().section_markers
    if "s5" not in doc.headings and "s4" in doc.boundaries_sections():
        start = _after_table_four(doc)
        word = _marker(doc, start, markers.get("s5", ()))
        if start is not None and word:
            doc.anchors["s5"], doc.by_content["s5"] = start, word
    if "s6" not in doc.headings:
        last = doc.boundaries()[-1][1] if doc.boundaries() else None
        span = doc.region(last) if last in ("s4", "s5") else None
        if span is None:
            return
        start = _after_table_four(doc) if last == "s4" else span[0]
        if start is None:
            return
        at = _last_paragraph(doc, start, span[1])
        word = _marker(doc, at, markers.get("s6", ()))
        if at is not None and word:
            doc.anchors["s6"], doc.by_content["s6"] = at, word


def _marker(doc: Document, line: int | None, markers: Sequence[str]) -> str:
    if line is None:
        return ""
    text = line_text(doc.lines[line])
    return next((m for m in markers if m in text), "")


def _after_table_four(doc: Document) -> int | None:
    """The first line after table 四's last line of numbers, if any text follows."""
    span = doc.region("s4")
    if span is None:
        return None
    last = max((t.line for t in tokenize(doc.lines, *span) if t.kind == "value"), default=None)
    if last is None:
        return None
    return next((i for i in range(last + 1, span[1]) if line_text(doc.lines[i])), None)


def _last_paragraph(doc: Document, start: int, end: int) -> int | None:
    """The last paragraph between ``start`` and ``end`` before the closing date and
    signature, when at least one paragraph comes before it."""
    filled = [i for i in range(start, end) if line_text(doc.lines[i])]
    while filled and _closing_line(line_text(doc.lines[filled[-1]])):
        filled.pop()
    return filled[-1] if len(filled) >= 2 else None


def _closing_line(text: str) -> bool:
    """A date, or a short line that is not a sentence (the signing agency)."""
    return bool(parse_date_line(text)) or (len(text) <= 30 and not text.endswith(("。", "；", ";", "！", "!")))


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
    doc = split_document(split_closing(strip_page_header(lines)))
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
            lines = lines[: len(lines) - front.closing_lines]
        report.sections[sid] = "\n".join(lines)
