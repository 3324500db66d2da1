"""Website furniture in a page's text: a crawler's metadata block, breadcrumbs and links
around the report, and a closing signature run into the last paragraph.

Archive crawlers save a page as a block of ``key: value`` lines (标题, 发布时间, 原文链接, …)
and a separator line, followed by the page text on one or few lines. That text starts with
the page's breadcrumb and buttons ("当前位置： 首页… 相关链接： -->") and ends with its
attachment links ("附件下载"). None of this is the report; the title and the publication
date are kept.
"""

from __future__ import annotations

import re
import unicodedata

from gkassist.importers.normalise import load_aliases
from gkassist.importers.scan import is_page_number
from gkassist.importers.tokens import Line

_SEPARATOR = re.compile(r"^\s*[=＝\-—_*]{3,}[^=＝\-—_*]{0,12}[=＝\-—_*]{3,}\s*$")
_META = re.compile(r"^\s*([^\s:：]{1,8})\s*[:：]\s*(.*?)\s*$")
_TITLE_KEYS = frozenset({"标题", "题目", "文章标题", "title"})
_DATE_KEYS = frozenset({"发布时间", "发布日期", "成文日期", "日期", "时间"})
_HEADER_LINES = 20
_DATE = r"(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零一二三四五六七八九○Ｏ]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月\s*[一二三四五六七八九十]{1,3}\s*日)"
# The date follows a space or a stop, or an office name printed right against it ('…局2024年1月29日').
_DATE_AT_END = re.compile(r"(?<=[\s。！？!?；;室局科股处心办委会府所队站院部组厅])\s*(" + _DATE + r")\s*$")
_SIGNATURE_AT_END = re.compile(r"(?:^|(?<=[。！？!?；;\s]))\s*([^\s。！？!?；;，,]{2,40})\s*$")
_OFFICE_ENDS = ("室", "局", "科", "股", "处", "中心", "办", "委", "会", "府", "所", "队", "站", "院", "部", "组", "厅")
# After the dated signature, portals print the document's issuing note ('某某办公室 2020年1月2日印发')
# and the drafter's contact ('（联系人：…，联系方式：…）'): page furniture, not part of 六.
_ISSUE_NOTE = re.compile(r"\s*[^\s。！？!?；;，,]{2,40}\s*" + _DATE + r"\s*印发\s*$")
_CONTACT_NOTE = re.compile(r"\s*[（(]\s*(?:联系人|联系电话|联系方式)[^（）()]{0,80}[）)]\s*$")
_TITLE_IN_TEXT = re.compile(r"[^\s，。：:]{2,40}?(?:19|20)\d{2}\s*年度?政府信息公开(?:工作)?年度报告")


def strip_page_header(lines: list[Line]) -> list[Line]:
    """Drop a crawler's metadata block; its title and date stay as lines of their own."""
    end = next(
        (i for i, ln in enumerate(lines[:_HEADER_LINES]) if ln.cells is None and _SEPARATOR.match(ln.text)), None
    )
    if end is None:
        return lines
    fields = [m for ln in lines[:end] if ln.cells is None and (m := _META.match(ln.text))]
    if len(fields) < 2:
        return lines
    kept: list[Line] = []
    for m in fields:
        key, value = m.group(1), m.group(2)
        if key in _TITLE_KEYS and value:
            kept.append(Line(value))
        elif key in _DATE_KEYS and value:
            kept.append(Line(f"发布时间：{value}"))
    return kept + lines[end + 1 :]


def strip_chrome(text: str) -> tuple[str, str | None]:
    """Cut a breadcrumb and buttons off the start of a page's text; returns the rest and a
    report title found in the cut part (portals repeat the title in the breadcrumb)."""
    markers = load_aliases().page_chrome
    first_stop = text.find("。")
    head = text if first_stop < 0 else text[:first_stop]
    cut = max((head.rfind(m) + len(m) for m in markers if m in head), default=-1)
    if cut < 0:
        return text, None
    title = _TITLE_IN_TEXT.search(text[:cut])
    return text[cut:].strip(), (title.group().strip() if title else None)


def trim_chrome_tail(text: str) -> str:
    """Drop attachment links and buttons from the end of the last paragraph."""
    markers = load_aliases().page_chrome
    changed = True
    while changed:
        changed = False
        stripped = text.rstrip()
        for m in markers:
            if stripped.endswith(m) and len(stripped) > len(m):
                text, changed = stripped[: -len(m)], True
                break
    return text.rstrip()


def split_closing(lines: list[Line]) -> list[Line]:
    """A signature and date run into the last paragraph ('…情况。 某某局 2025年1月23日')
    become lines of their own, as printed."""
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].text.strip() or lines[i].cells), None)
    if last is None or lines[last].cells is not None:
        return lines
    text = _trim_closing_notes(trim_chrome_tail(lines[last].text))
    date = _DATE_AT_END.search(text)
    if date is None or not text[: date.start()].strip():
        return [*lines[:last], Line(text), *lines[last + 1 :]] if text != lines[last].text else lines
    before = text[: date.start()].rstrip()
    parts = [before]
    sign = _SIGNATURE_AT_END.search(before)
    if sign and sign.group(1).endswith(_OFFICE_ENDS) and before[: sign.start(1)].strip():
        parts = [before[: sign.start(1)].rstrip(), sign.group(1)]
    return [*lines[:last], *(Line(p) for p in parts), Line(date.group(1)), *lines[last + 1 :]]


_NOTE_SPAN = 160  # a closing note is short: only the end of a (possibly page-long) paragraph is searched


def _trim_closing_notes(text: str) -> str:
    while True:
        at = max(0, len(text) - _NOTE_SPAN)
        note = _ISSUE_NOTE.search(text, at) or _CONTACT_NOTE.search(text, at)
        if note is None or not text[: note.start()].strip():
            return text
        text = text[: note.start()].rstrip()


# ---------------------------------------------------------------------------- hard-wrapped text

_GAP = re.compile(r"\S\s{3,}\S")  # a table row of pdftotext -layout: cells apart
_INDENT = re.compile(r"^(?:\s{2,}|\u3000)")
_MIN_LINES = 8
_FULL = 0.85  # a line this close to the usual width was wrapped by the converter


def join_wrapped(lines: list[Line]) -> list[Line]:
    """Rejoin paragraphs that a PDF-to-text converter wrapped at the page width.

    Such text indents the first line of a paragraph and starts the wrapped lines at the
    margin. A margin line is joined to the line before when that line is prose filling the
    width; page numbers and blank lines between them are dropped. Text without that
    pattern is returned unchanged.
    """
    if len(lines) < _MIN_LINES or sum(1 for ln in lines if ln.cells is None and _INDENT.match(ln.text)) < 2:
        return lines
    prose = [ln.text for ln in lines if ln.cells is None and _is_prose(ln.text)]
    if len(prose) < _MIN_LINES:
        return lines
    indented = sum(1 for t in prose if _INDENT.match(t))
    if indented < 2 or len(prose) - indented < len(prose) * 0.3:
        return lines
    widths = sorted(_width(t) for t in prose)
    width = widths[max(0, int(len(widths) * 0.9) - 1)]
    full = width * _FULL
    if width < 30 or widths[-1] > width * 1.25 or sum(1 for w in widths if w >= full) < len(widths) * 0.3:
        return lines  # no common right margin: lines are paragraphs, not wrapped
    out: list[Line] = []
    joinable = False  # the last printed line was prose filling the width
    for line in lines:
        text = line.text
        if joinable and line.cells is None and (not text.strip() or is_page_number(text.strip())):
            continue  # a blank line or a page number inside a wrapped paragraph
        if joinable and line.cells is None and _is_prose(text) and not _INDENT.match(text):
            out[-1] = Line(out[-1].text.rstrip() + text.strip())
        else:
            out.append(line)
        joinable = line.cells is None and _is_prose(text) and _width(text) >= full
    return out


def _width(text: str) -> int:
    """Printed width: a Chinese character takes two columns, a Latin letter or digit one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text.strip())


def _is_prose(text: str) -> bool:
    return bool(text.strip()) and not _GAP.search(text) and "|" not in text and "\t" not in text
