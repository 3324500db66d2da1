"""Portal HTML import: TRS-style pages, UTF-8 or GBK, tables with rowspan/colspan.

The page is reduced to the same ``Line``s as plain text: paragraphs become lines, each
table row becomes one line whose cells are its <td>/<th> texts (so an empty <td> is an
explicit blank cell). Merged cells are not repeated: labels are matched by content, so a
rowspan label simply appears once. The shared reader in ``text`` does the rest.

The page is parsed with lxml (libxml2's HTML parser) and walked directly: portal pages
are mostly navigation, scripts and footers, so only the report's container is scanned
for report parts when the page marks it (TRS_Editor, #zoom); other pages are scanned
whole, once, bottom-up. In lxml an element's text is ``el.text`` plus the ``tail`` of
each child (the text after the child's end tag belongs to the parent); comments are kept
as nodes so that their tails stay separate strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from lxml import etree

from gkassist import limits
from gkassist.importers.budget import check_budget
from gkassist.importers.front import is_title
from gkassist.importers.normalise import decode_bytes, match_key, section_title_keys
from gkassist.importers.result import ImportResult, ReportReadError
from gkassist.importers.text import read_lines
from gkassist.importers.tokens import Line, anchor_keys
from gkassist.limits import ADVICE_RESAVE_HTML, ADVICE_WRONG_FILE, human_size, over_limit
from gkassist.model import TABLE_IDS

Element = Any  # lxml.etree._Element (lxml ships no type information)

CONTAINERS = (".TRS_Editor", "#zoom", ".xxgk_content")
MAX_TABLE_DEPTH = 8
MAX_COLSPAN = 20  # an empty cell spreads over at most this many columns  # layout tables nest; deeper nesting is read as plain text
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "iframe", "object", "svg", "select", "button"})
# Text that is never page text, even inside a table cell (scripts, styles, ruby annotations).
_NO_TEXT = frozenset({"script", "style", "template", "rt", "rp"})
_WALK_SKIP = _SKIP | _NO_TEXT
_BLOCK = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "main",
        "blockquote", "pre", "center", "form", "header", "footer", "dl", "dt", "dd", "tr", "caption", "hr",
    }
)  # fmt: skip
_BREAKS = _BLOCK | {"br", "table"}
_HEADINGS = frozenset({"h1", "h2", "h3"})
_TITLE_CLASSES = frozenset({"title", "article-title"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_TITLE_META = re.compile("^ArticleTitle$", re.IGNORECASE)
_DATE_META = re.compile("^(PubDate|publishdate|firstpublishedtime)$", re.IGNORECASE)
_EMPTY_PAGE = "<html><body></body></html>"
_CACHED_LEN = 200  # strings up to this length have their report marks cached


def import_html(data: bytes | str) -> ImportResult:
    """Read a report from a saved portal page (bytes in any of UTF-8/GBK/GB18030, or text).
    The page's size and markup are bounded before it is parsed, its nesting after."""
    check_markup(data)
    if isinstance(data, bytes):
        text, diags = decode_bytes(data, declared_charset(data))
    else:
        text, diags = data, []
    root = parse_html(text)
    check_depth(root)
    check_budget()
    container = find_container(root)
    check_budget()
    lines = html_lines(container)
    title = page_title(root)
    if title and not any(is_title(ln.text) for ln in lines[:5]):
        lines.insert(0, Line(title))
    return read_lines(lines, source="html", diagnostics=diags, page_date=page_date(root))


_HTML_ADVICE = ADVICE_WRONG_FILE + ADVICE_RESAVE_HTML


def check_markup(data: bytes | str) -> None:
    """Size and tag count (every element starts with "<") before parsing: libxml2 builds the whole
    tree, about 300 bytes per element, so a page of 20 MB of "<p>" would take gigabytes."""
    cap = limits.LIMITS.html_bytes
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "replace"))
    if size > cap:
        raise ReportReadError(over_limit("网页文件大小", human_size(size), human_size(cap), _HTML_ADVICE))
    tags = data.count(b"<") if isinstance(data, bytes) else data.count("<")
    if tags > limits.LIMITS.html_tags:
        cap_tags = limits.LIMITS.html_tags
        raise ReportReadError(over_limit("网页中的标签数量", f"约 {tags:,} 个", f"{cap_tags:,} 个", _HTML_ADVICE))


@lru_cache(maxsize=4)
def _below(depth: int) -> Any:
    """An XPath finding the elements ``depth`` levels under its context element (one C pass)."""
    return etree.XPath("*/" * (depth - 1) + "*")


def check_depth(root: Element) -> None:
    """Elements nested deeper than the limit (libxml2 itself silently drops what is past 256)."""
    cap = limits.LIMITS.html_depth
    if _below(cap + 1)(root):
        raise ReportReadError(over_limit("网页中标签的嵌套层数", f"至少 {cap + 1} 层", f"{cap} 层", _HTML_ADVICE))


def declared_charset(data: bytes) -> str | None:
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", errors="replace") if m else None


def parse_html(text: str) -> Element:
    """The page's <html> element (the text is already decoded, so a <meta charset> in the
    page is ignored); raises ReportReadError when libxml2 gives up."""
    text = _CONTROL.sub("", text)
    parser = etree.HTMLParser(encoding="utf-8", recover=True, no_network=True)
    try:
        root = etree.fromstring(text.encode("utf-8", "replace"), parser) if text.strip() else None
    except Exception as err:  # the parser's own failures vary by version; report them uniformly
        raise ReportReadError(
            f"网页无法解析（{type(err).__name__}）。请在浏览器中打开原网页，"
            "用“另存为 → 网页，仅HTML”重新保存后再导入，或把报告正文复制到文本文件中导入。"
        ) from err
    if root is None:
        return etree.fromstring(_EMPTY_PAGE, etree.HTMLParser())
    if root.getnext() is None:
        return root
    # Broken markup can end <html> early; libxml2 then starts more top-level elements.
    # One element holding them all keeps the rest of the page readable.
    document = etree.Element("document")
    document.extend([root, *root.itersiblings()])
    return document


def _tag(el: Element) -> str:
    """The element's name; '' for comments and processing instructions."""
    tag = el.tag
    return tag if isinstance(tag, str) else ""


def _classes(el: Element) -> list[str]:
    value = el.get("class")
    return value.split() if value else []


# ---------------------------------------------------------------------------- container


_CANDIDATES = frozenset({"div", "td", "article", "section", "main", "body"})


@dataclass
class _Scan:
    """Per element: which report parts its text contains, and how much text it holds.

    Computed in one bottom-up pass, so even absurdly nested pages cost linear time."""

    marks: dict[Element, frozenset[str]] = field(default_factory=dict)
    sizes: dict[Element, int] = field(default_factory=dict)
    order: list[Element] = field(default_factory=list)  # parents before children


def _string_marks(text: str) -> frozenset[str]:
    """Report parts a piece of text names (a section title or a table's own label)."""
    return _short_string_marks(text) if len(text) <= _CACHED_LEN else _marks_of(text)


@lru_cache(maxsize=4096)
def _short_string_marks(text: str) -> frozenset[str]:  # menus and table cells repeat on every page
    return _marks_of(text)


def _marks_of(text: str) -> frozenset[str]:
    key = match_key(text)
    if not key:
        return frozenset()
    found: set[str] = {sid for sid, title in section_title_keys() if title in key}
    found |= {f"t{tid}" for tid in TABLE_IDS if key in anchor_keys(tid)}
    return frozenset(found)


def _add_text(text: str | None, marks: set[str]) -> int:
    """Adds the report parts a string names to ``marks``; returns its length without edge spaces."""
    if not text:
        return 0
    size = len(text.strip())
    if size:
        marks |= _string_marks(text)
    return size


def _scan(root: Element) -> _Scan:
    """Marks and sizes of every element under ``root`` (skipped parts not entered)."""
    scan = _Scan()
    order, marks_of, sizes_of = scan.order, scan.marks, scan.sizes
    stack = [root]
    while stack:
        el = stack.pop()
        order.append(el)
        stack.extend(c for c in el if c.tag.__class__ is str and c.tag not in _WALK_SKIP)
    for el in reversed(order):
        marks: set[str] = set()
        size = 0 if el.tag in _NO_TEXT else _add_text(el.text, marks)
        for child in el:
            found = marks_of.get(child)
            if found is not None:
                marks |= found
                size += sizes_of[child]
            size += _add_text(child.tail, marks)
        marks_of[el], sizes_of[el] = frozenset(marks), size
    return scan


def _summary(el: Element) -> tuple[int, int]:
    """(how many report parts, how much text) in one element: the same figures as _scan."""
    marks: set[str] = set()
    if next(el.iter(*_WALK_SKIP), None) is None:  # the usual case: itertext is exactly the text
        size = sum(_add_text(text, marks) for text in el.itertext())
        return len(marks), size
    scan = _scan(el)
    return len(scan.marks[el]), scan.sizes[el]


def _marked_containers(root: Element) -> list[Element]:
    """Elements matching CONTAINERS, selector by selector, each in document order."""
    found: tuple[list[Element], list[Element], list[Element]] = ([], [], [])
    for el in root.iter(etree.Element):
        if el.get("id") == "zoom":
            found[1].append(el)
        value = el.get("class")
        if value and ("TRS_Editor" in value or "xxgk_content" in value):
            classes = value.split()
            if "TRS_Editor" in classes:
                found[0].append(el)
            if "xxgk_content" in classes:
                found[2].append(el)
    return [*found[0], *found[1], *found[2]]


def _read_as_page_text(el: Element, body: Element) -> bool:
    """Whether the element is walked when the body is: inside it, and not in a skipped part."""
    if el is body:
        return True
    if _tag(el) in _SKIP:
        return False
    for parent in el.iterancestors():
        if parent is body:
            return True
        if parent.tag in _SKIP:
            return False
    return False


def find_container(root: Element) -> Element:
    """The element holding the report: a TRS content container, else the smallest element
    holding every report part the page has, else the body."""
    body = next(root.iter("body"), root)
    marked = [el for el in _marked_containers(root) if _read_as_page_text(el, body)]
    if marked:  # most report parts; among equals the innermost (TRS_Editor inside #zoom)
        summaries = {el: _summary(el) for el in marked}
        best = max(marked, key=lambda el: (summaries[el][0], -summaries[el][1]))
        if summaries[best][0]:
            return best
    scan = _scan(body)
    wanted = scan.marks.get(body, frozenset())
    if not wanted:
        return body
    hits = [el for el in scan.order if _tag(el) in _CANDIDATES and scan.marks.get(el) == wanted]
    return min(hits, key=lambda el: scan.sizes.get(el, 0), default=body)


# ---------------------------------------------------------------------------- lines


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def html_lines(root: Element, depth: int = 0) -> list[Line]:
    """Paragraphs and table rows of an element, in document order (an explicit stack, so
    deeply nested junk cannot exhaust the recursion limit)."""
    out: list[Line] = []
    buf: list[str] = []
    stack: list[Element | str | None] = [root]  # None: the end of a block, where a paragraph ends
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            buf.append(node)
            continue
        if node is None:
            _flush(buf, out)
            continue
        tag = _tag(node)
        if tag in _BREAKS:
            _flush(buf, out)
        if tag == "table":
            out.extend(table_lines(node, depth))
        elif tag and tag != "br" and tag not in _WALK_SKIP:
            if tag in _BLOCK:
                stack.append(None)
            for child in reversed(node):
                if child.tail:
                    stack.append(child.tail)
                stack.append(child)
            if node.text:
                stack.append(node.text)
    _flush(buf, out)
    return out


def _flush(buf: list[str], out: list[Line]) -> None:
    text = _squash("".join(buf))
    buf.clear()
    if text:
        out.append(Line(text))


def _rows(table: Element) -> list[Element]:
    """The table's own rows (not those of tables nested in its cells)."""
    rows: list[Element] = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if c.tag == "tr")
    return rows


def table_lines(table: Element, depth: int) -> list[Line]:
    """One Line per <tr>, one cell per <td>/<th>; a cell holding a table is read as blocks."""
    out: list[Line] = []
    nested = depth < MAX_TABLE_DEPTH and next(table.iterdescendants("table"), None) is not None
    plain = next(table.iterdescendants(*_NO_TEXT), None) is None  # no script or style in any cell
    for tr in _rows(table):
        cells = [c for c in tr if c.tag in ("td", "th")]
        if not cells:
            continue
        if nested and any(next(c.iterdescendants("table"), None) is not None for c in cells):
            for cell in cells:
                out.extend(html_lines(cell, depth + 1))
            continue
        texts = tuple(_squash(" ".join(c.itertext()) if plain else element_text(c, " ")) for c in cells)
        out.append(Line(" | ".join(t for t in texts if t), cells=_spread_blanks(cells, texts)))
    return out


def _spread_blanks(cells: list[Element], texts: tuple[str, ...]) -> tuple[str, ...]:
    """An empty cell spanning several columns is that many blank cells, so the cells after
    it keep their columns. (A filled cell stays one: a label spans columns in the header's
    shape, not in the data's.)"""
    if not any(c.get("colspan") for c in cells):
        return texts
    out: list[str] = []
    for cell, text in zip(cells, texts, strict=True):
        span = cell.get("colspan") or "1"
        wide = span.isdecimal() and len(span) <= 4 and int(span) > 1  # colspan="9999…" (5,000 digits): one cell
        width = min(int(span), MAX_COLSPAN) if wide and not text else 1
        out.extend([text] * width)
    return tuple(out)


def element_text(el: Element, sep: str = "") -> str:
    """All text inside an element, pieces joined by ``sep``; scripts, styles and comments
    do not count (their tails do)."""
    if next(el.iterdescendants(*_NO_TEXT), None) is None:
        return sep.join(el.itertext())
    pieces: list[str] = []
    stack: list[Element | str] = [el]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            pieces.append(node)
            continue
        tag = _tag(node)
        if not tag or tag in _NO_TEXT:
            continue
        for child in reversed(node):
            if child.tail:
                stack.append(child.tail)
            stack.append(child)
        if node.text:
            stack.append(node.text)
    return sep.join(pieces)


# ---------------------------------------------------------------------------- page meta


def _meta_content(root: Element, name: re.Pattern[str]) -> str | None:
    for meta in root.iter("meta"):
        if name.search(meta.get("name") or ""):
            return str(meta.get("content") or "")
    return None


def page_title(root: Element) -> str | None:
    """The report title from the page head or heading elements (often outside the container)."""
    return next((t.strip() for t in _title_candidates(root) if is_title(t.strip())), None)


def _title_candidates(root: Element) -> Iterator[str]:
    """<meta name="ArticleTitle">, then headings and title-classed elements in page order, then
    the parts of <title>. Lazy: most pages are settled by the first candidate."""
    meta = _meta_content(root, _TITLE_META)
    if meta is not None:
        yield meta
    for el in root.iter(etree.Element):
        if el.tag in _HEADINGS or el.get("id") == "title" or _TITLE_CLASSES & set(_classes(el)):
            yield _squash(element_text(el, " "))
    title = next(root.iter("title"), None)
    if title is not None:
        yield from re.split(r"[_|]| - ", element_text(title))


def page_date(root: Element) -> date | None:
    """The publication date TRS pages put in <meta name="PubDate">."""
    content = _meta_content(root, _DATE_META)
    if content is None:
        return None
    m = _DATE.search(content)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
