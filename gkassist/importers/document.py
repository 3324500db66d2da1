"""A report's text as a ``Document``: its lines, cut so that every part starts on a line of
its own, and where each of the six parts starts.

Parts are found by their headings (``headings``), tables without a heading by their labels,
and parts 五 and 六 whose heading was lost by their words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from gkassist.importers.dates import parse_date_line
from gkassist.importers.headings import Candidate, find_parts, line_text_of
from gkassist.importers.normalise import SectionKey, load_aliases
from gkassist.importers.result import ReportReadError
from gkassist.importers.tokens import Line, line_text, tokenize


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
        if i not in by_line:
            out.append(line)
            continue
        here = sorted(by_line[i], key=lambda c: c.start)
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
