"""Plain-text import, and the document reader shared with the HTML importer.

A document is a list of ``Line``s. It is split at the six section headings (canonical
titles or the aliases of rules/aliases.yaml) into: title, opening paragraph, sections
一…六 and the closing (agency, date). Meta data comes from the title and the opening;
tables 二/三/四 are read by ``tokens.read_table``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from gkassist.importers.normalise import SECTION_KEYS, SectionKey, keyed, load_aliases, section_title_keys
from gkassist.importers.result import Diagnostic, ImportResult, ReportReadError, SourceKind
from gkassist.importers.tokens import Line, Token, anchor_keys, detect_format, line_tokens, read_table, tokenize
from gkassist.layouts import FormatId, TableId, format_for_year, get_layout, table_layout
from gkassist.model import NARRATIVE_SECTIONS, SECTION_TITLES, Contact, Report, Table

TABLE_SECTIONS: tuple[TableId, ...] = ("s2", "s3", "s4")
NUMERALS = "一二三四五六"
_HEADING = re.compile(r"^[#*>\s]*第?([一二三四五六七八九十])(?:部分)?\s*[、,，.．:：\s]\s*")
_REPORT_NAME = re.compile(r"政府信息公开(?:工作)?年度报告")
_NAME_IN_TEXT = re.compile(
    r"(?:现向社会公布|现予以公布|现予公布|现公布|特编制|现发布|编制|发布|公布)"
    r"(?P<body>[^。;；,，:：()（）\n]{2,60}?)政府信息公开(?:工作)?年度报告"
)
_YEAR = re.compile(r"((?:19|20|１９|２０)\d{2})\s*年")  # int() reads full-width digits too
_PERIOD = re.compile(
    r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*起?\s*(?:至|到|—|-|~)+\s*"
    r"(?:((?:19|20)\d{2})\s*年)?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
_DATE_LINE = re.compile(
    r"^((?:19|20)\d{2}|[〇零一二三四五六七八九○Ｏ]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月\s*([\d一二三四五六七八九十]{1,3})\s*日$"
)
_PAGE_DATE = re.compile(r"(?:发布时间|发布日期)\s*:?\s*((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_ADDRESS = re.compile(r"(?:通讯地址|联系地址|办公地址|地址)\s*:?\s*(?P<v>[^,;。)\n]+)")
_POSTCODE = re.compile(r"(?:邮编|邮政编码)\s*:?\s*(?P<v>\d{6})")
_PHONE = re.compile(
    r"(?:联系电话|咨询电话|电话|联系方式)\s*:?\s*(?P<v>\(?0\d{2,3}\)?[-\s]?\d{7,8}(?:[-转]\d{1,6})?|1\d{10}|\d{7,8})"
)
_OFFICE = re.compile(r"(?:请联系|请与|联系)(?P<v>[^,;。:()\s]{2,40}?)(?:联系)?(?=[,;。:()]|$)")
_OFFICE_ENDS = ("室", "局", "科", "股", "处", "中心", "办", "委", "会", "府", "所", "队", "站", "院", "部", "组", "厅")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}


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
        if runs and all(not _line_text(lines[i]) for i in range(runs[-1][-1].line + 1, h.line)):
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


def _line_text(line: Line) -> str:
    if line.cells is not None:
        return " ".join(c.strip() for c in line.cells if c.strip())
    return line.text.strip()


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
            "请确认上传的是年度报告正文（网页、文本或本系统导出的 Markdown）。"
        )
    return doc


def _looks_like_report(doc: Document) -> bool:
    if doc.anchors or len(doc.headings) >= 2:
        return True
    if not doc.headings:
        return False
    return any("政府信息公开" in _line_text(line) for line in doc.lines)


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
    year, fmt, year_diags = _year_and_format(front, detected)
    diags += year_diags
    report = Report.new(front.agency, year, fmt)
    _apply_front(report, front)
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
    msg = f"“{SECTION_TITLES[h.section]}”部分在原文中的序号写作“{h.numeral}”，已按标题内容识别。"
    return Diagnostic(level="info", message=msg, where=SECTION_TITLES[h.section])


def _missing_section(sid: SectionKey, anchored: bool) -> Diagnostic:
    title = SECTION_TITLES[sid]
    if anchored:
        msg = f"未找到“{title}”标题，已根据表格栏目定位表{title[0]}。"
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
        lines += [t for i in range(*span) if (t := _line_text(doc.lines[i]))]
        lines = _drop_trailing_noise(lines)
        if sid == "s6" and front.closing_lines:
            lines = lines[: len(lines) - front.closing_lines]
        report.sections[sid] = "\n".join(lines)


def _drop_trailing_noise(lines: list[str]) -> list[str]:
    while lines and is_noise(lines[-1]):
        lines = lines[:-1]
    return lines


def is_noise(line: str) -> bool:
    """Portal furniture: 发布时间、浏览次数、【打印】… (short lines only)."""
    if len(line) > 80 or line.startswith("根据"):
        return False
    return any(mark in line for mark in load_aliases().portal_noise)


# ---------------------------------------------------------------------------- front matter


@dataclass
class Front:
    """What the title, opening and closing say about the report."""

    title: str | None = None
    opening: str | None = None
    agency: str = ""
    year: int | None = None
    year_source: str = ""
    period: tuple[date, date] | None = None
    contact: Contact = field(default_factory=Contact)
    publication_date: date | None = None
    closing_lines: int = 0  # lines at the end of 六 that are the signature and date
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_front(doc: Document, page_date: date | None) -> Front:
    pre = [t for i in range(doc.start()) if (t := _line_text(doc.lines[i]))]
    noise = [t for t in pre if is_noise(t)]
    text = [t for t in pre if not is_noise(t)]
    front = Front()
    at = next((i for i, line in enumerate(text[:4]) if is_title(line)), None)
    if at is not None:  # lines above the title are page furniture (breadcrumbs, site name)
        front.title, text = text[at], text[at + 1 :]
    front.opening = "\n".join(text) or None
    _read_name(front)
    s1 = _section_text(doc, "s1")
    front.period = find_period(front.opening or "") or find_period(s1)
    _read_year_fallbacks(front, s1)
    front.contact = find_contact(front.opening or "")
    _read_closing(front, doc, page_date or _page_date(noise))
    front.diagnostics += _front_diagnostics(front)
    return front


def _section_text(doc: Document, sid: SectionKey) -> str:
    span = doc.region(sid)
    return "" if span is None else "\n".join(_line_text(doc.lines[i]) for i in range(*span))


def is_title(line: str) -> bool:
    return len(line) <= 80 and not line.startswith("根据") and bool(_REPORT_NAME.search(line))


def parse_report_name(text: str) -> tuple[str, int | None]:
    """'XX局2024年' or '2024年XX局' (the words before 政府信息公开工作年度报告) -> (agency, year)."""
    found = _YEAR.search(text)
    year = int(found.group(1)) if found and 2000 <= int(found.group(1)) <= 2100 else None
    if found:
        text = text[: found.start()] + text[found.end() :].removeprefix("度")
    agency = re.sub(r"[(（][)）]", "", re.sub(r"\s", "", text)).strip("《》“”\"'【】[]#*、,，:：").removeprefix("关于")
    if agency.count("(") + agency.count("（") != agency.count(")") + agency.count("）"):
        agency = agency.strip("()（）")  # a bracket left over from "（2024年）"
    return agency, year


def _read_name(front: Front) -> None:
    if front.title:
        name = _REPORT_NAME.split(front.title, maxsplit=1)
        agency, year = parse_report_name(name[0])
        if year is None and len(name) > 1:
            _, year = parse_report_name(name[1])
        front.agency, front.year, front.year_source = agency, year, "标题"
    if front.opening and not (front.agency and front.year):
        m = _NAME_IN_TEXT.search(front.opening)
        if m:
            agency, year = parse_report_name(m.group("body"))
            front.agency = front.agency or agency
            if front.year is None and year is not None:
                front.year, front.year_source = year, "开头段落"


def _read_year_fallbacks(front: Front, s1: str) -> None:
    if front.year is None and front.period is not None:
        front.year, front.year_source = front.period[0].year, "统计期限"
    if front.year is None:
        counts = Counter(int(y) for y in _YEAR.findall(unicodedata.normalize("NFKC", f"{front.opening or ''}\n{s1}")))
        if counts:
            best = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            front.year, front.year_source = best[0], "正文中出现最多的年份"
    if front.year is not None and not 2000 <= front.year <= 2100:
        front.year = None


def find_period(text: str) -> tuple[date, date] | None:
    for m in _PERIOD.finditer(unicodedata.normalize("NFKC", text)):
        y1, m1, d1, y2, m2, d2 = m.groups()
        try:
            start = date(int(y1), int(m1), int(d1))
            end = date(int(y2 or y1), int(m2), int(d2))
        except ValueError:
            continue
        if start <= end:
            return start, end
    return None


def find_contact(text: str) -> Contact:
    text = unicodedata.normalize("NFKC", text)
    address, postcode, phone = (_first(p, text) for p in (_ADDRESS, _POSTCODE, _PHONE))
    office = next((v for m in _OFFICE.finditer(text) if (v := m.group("v")).endswith(_OFFICE_ENDS)), None)
    return Contact(office=office, address=address and address.strip().rstrip("("), postcode=postcode, phone=phone)


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text)
    return m.group("v").strip() if m else None


def _page_date(noise: list[str]) -> date | None:
    for line in noise:
        m = _PAGE_DATE.search(unicodedata.normalize("NFKC", line))
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def parse_date_line(line: str) -> date | None:
    """A closing date line: '2025年1月20日' or '二〇二五年一月二十日'."""
    m = _DATE_LINE.match(unicodedata.normalize("NFKC", line.strip()))
    if not m:
        return None
    try:
        return date(*(_cn_number(g) for g in m.groups()))
    except ValueError:
        return None


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 4:  # year written digit by digit
        return int("".join(str(_CN_DIGITS.get(c, 0)) for c in text))
    head, _, tail = text.partition("十")
    if "十" not in text:
        return _CN_DIGITS.get(text, 0)
    return (_CN_DIGITS.get(head, 1) if head else 1) * 10 + (_CN_DIGITS.get(tail, 0) if tail else 0)


def _read_closing(front: Front, doc: Document, page_date: date | None) -> None:
    """The date (and the agency signing it) at the end of 六."""
    span = doc.region("s6") if "s6" in doc.headings else None
    lines = [] if span is None else [t for i in range(*span) if (t := _line_text(doc.lines[i]))]
    lines = _drop_trailing_noise(lines)
    for back in range(1, min(3, len(lines)) + 1):
        found = parse_date_line(lines[-back])
        if found is None:
            continue
        front.publication_date, front.closing_lines = found, back
        signer = lines[-back - 1] if back < len(lines) else ""
        if _is_signature(signer, front.agency):
            front.closing_lines += 1
        return
    if page_date is not None:
        front.publication_date = page_date
        msg = "文末没有落款日期，发布日期取自网页上的发布时间，请核对。"
        front.diagnostics.append(Diagnostic(level="info", message=msg, where="基本信息·发布日期"))


def _is_signature(line: str, agency: str) -> bool:
    if not line or len(line) > 40 or line.endswith(("。", "；", ";")):
        return False
    return line == agency or line.endswith(_OFFICE_ENDS)


def _front_diagnostics(front: Front) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if front.year is not None and front.year_source in ("统计期限", "正文中出现最多的年份"):
        msg = f"标题中没有年份，报告年度按{front.year_source}识别为{front.year}年，请核对。"
        out.append(Diagnostic(level="info", message=msg, where="基本信息·报告年度"))
    if not front.agency:
        msg = "未能识别机关名称：标题和开头段落中都没有“XX局2024年政府信息公开工作年度报告”这样的写法。请在基本信息中填写机关名称。"
        out.append(Diagnostic(level="warning", message=msg, where="基本信息·机关名称"))
    if front.period is None:
        msg = "未找到统计期限（如“数据统计期限为2024年1月1日至2024年12月31日”），统计期限暂时留空，请在基本信息中填写。"
        out.append(Diagnostic(level="warning", message=msg, where="基本信息·统计期限"))
    if front.opening is None:
        msg = "未找到开头段落（“一、总体情况”之前的说明文字），导出时将按模板生成。"
        out.append(Diagnostic(level="info", message=msg, where="开头段落"))
    if not any((front.contact.address, front.contact.postcode, front.contact.phone)):
        msg = "开头段落中未找到联系方式（地址、邮编、电话），请在基本信息中填写。"
        out.append(Diagnostic(level="info", message=msg, where="基本信息·联系方式"))
    if front.publication_date is None:
        msg = "未找到落款日期，请在基本信息中填写发布日期。"
        out.append(Diagnostic(level="info", message=msg, where="基本信息·发布日期"))
    return out


def _year_and_format(front: Front, detected: dict[TableId, FormatId | None]) -> tuple[int, FormatId, list[Diagnostic]]:
    """meta.year and meta.format: the year decides the format; without a year, the tables do."""
    seen = [f for f in (detected.get("s2"), detected.get("s3")) if f]
    if front.year is not None:
        return front.year, format_for_year(front.year), []
    fmt: FormatId = seen[0] if seen else "gk2021"
    year = 2020 if fmt == "gk2019" else date.today().year - 1
    msg = (
        f"未能从标题、开头段落、统计期限或正文中识别报告年度，暂按{year}年处理"
        f"（格式按表格栏目识别为{get_layout(fmt).name}）。请在基本信息中核对报告年度。"
    )
    return year, fmt, [Diagnostic(level="error", message=msg, where="基本信息·报告年度")]


def _apply_front(report: Report, front: Front) -> None:
    meta = report.meta
    meta.period_start, meta.period_end = front.period if front.period else (None, None)
    meta.contact = front.contact
    meta.opening = front.opening
    meta.publication_date = front.publication_date
