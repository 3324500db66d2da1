"""Portal HTML import: TRS-style pages, UTF-8 or GBK, tables with rowspan/colspan.

The page is reduced to the same ``Line``s as plain text: paragraphs become lines, each
table row becomes one line whose cells are its <td>/<th> texts (so an empty <td> is an
explicit blank cell). Merged cells are not repeated: labels are matched by content, so a
rowspan label simply appears once. The shared reader in ``text`` does the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PageElement, Tag

from gkassist.importers.normalise import decode_bytes, match_key, section_title_keys
from gkassist.importers.result import ImportResult, ReportReadError
from gkassist.importers.text import is_title, read_lines
from gkassist.importers.tokens import Line, anchor_keys
from gkassist.model import TABLE_IDS

CONTAINERS = (".TRS_Editor", "#zoom", ".xxgk_content")
MAX_TABLE_DEPTH = 8  # layout tables nest; deeper nesting is read as plain text
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "iframe", "object", "svg", "select", "button"})
_BLOCK = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "main",
        "blockquote", "pre", "center", "form", "header", "footer", "dl", "dt", "dd", "tr", "caption", "hr",
    }
)  # fmt: skip
_BREAKS = _BLOCK | {"br", "table"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def import_html(data: bytes | str) -> ImportResult:
    """Read a report from a saved portal page (bytes in any of UTF-8/GBK/GB18030, or text)."""
    if isinstance(data, bytes):
        text, diags = decode_bytes(data, declared_charset(data))
    else:
        text, diags = data, []
    soup = _parse(text)
    container = find_container(soup)
    lines = html_lines(container)
    title = page_title(soup)
    if title and not any(is_title(ln.text) for ln in lines[:5]):
        lines.insert(0, Line(title))
    return read_lines(lines, source="html", diagnostics=diags, page_date=page_date(soup))


def declared_charset(data: bytes) -> str | None:
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", errors="replace") if m else None


def _parse(text: str) -> BeautifulSoup:
    try:
        return BeautifulSoup(_CONTROL.sub("", text), "lxml")
    except Exception as err:  # the parser's own failures vary by version; report them uniformly
        raise ReportReadError(
            f"网页无法解析（{type(err).__name__}），请从原网站重新保存网页（“网页，仅HTML”）后再导入。"
        ) from err


# ---------------------------------------------------------------------------- container


_CANDIDATES = frozenset({"div", "td", "article", "section", "main", "body"})


@dataclass
class _Scan:
    """Per element: which report parts its text contains, and how much text it holds.

    Computed in one bottom-up pass, so even absurdly nested pages cost linear time."""

    marks: dict[int, frozenset[str]] = field(default_factory=dict)
    sizes: dict[int, int] = field(default_factory=dict)
    order: list[Tag] = field(default_factory=list)  # parents before children

    def of(self, el: Tag) -> tuple[int, int]:
        return len(self.marks.get(id(el), ())), self.sizes.get(id(el), 0)


def _string_marks(text: str) -> set[str]:
    key = match_key(text)
    if not key:
        return set()
    found: set[str] = {sid for sid, title in section_title_keys() if title in key}
    found |= {f"t{tid}" for tid in TABLE_IDS if key in anchor_keys(tid)}
    return found


def _scan(root: Tag) -> _Scan:
    scan = _Scan()
    stack = [root]
    while stack:
        el = stack.pop()
        scan.order.append(el)
        stack.extend(c for c in el.contents if isinstance(c, Tag) and c.name not in _SKIP)
    for el in reversed(scan.order):
        marks: set[str] = set()
        size = 0
        for child in el.contents:
            if isinstance(child, Tag):
                marks |= scan.marks.get(id(child), frozenset())
                size += scan.sizes.get(id(child), 0)
            elif type(child) is NavigableString:
                size += len(child.strip())
                marks |= _string_marks(child)
        scan.marks[id(el)], scan.sizes[id(el)] = frozenset(marks), size
    return scan


def find_container(soup: BeautifulSoup) -> Tag:
    """The element holding the report: a TRS content container, else the smallest element
    holding every report part the page has, else the body."""
    body = soup.body or soup
    scan = _scan(body)
    marked = [el for sel in CONTAINERS for el in soup.select(sel)]
    if marked:  # most report parts; among equals the innermost (TRS_Editor inside #zoom)
        best = max(marked, key=lambda el: (scan.of(el)[0], -scan.of(el)[1]))
        if scan.of(best)[0]:
            return best
    wanted = scan.marks.get(id(body), frozenset())
    if not wanted:
        return body
    hits = [el for el in scan.order if el.name in _CANDIDATES and scan.marks.get(id(el)) == wanted]
    return min(hits, key=lambda el: scan.sizes.get(id(el), 0), default=body)


# ---------------------------------------------------------------------------- lines


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def html_lines(root: Tag, depth: int = 0) -> list[Line]:
    """Paragraphs and table rows of an element, in document order (an explicit stack, so
    deeply nested junk cannot exhaust the recursion limit)."""
    out: list[Line] = []
    buf: list[str] = []
    stack: list[PageElement | None] = [root]
    while stack:
        node = stack.pop()
        if node is None or (isinstance(node, Tag) and node.name in _BREAKS):
            _flush(buf, out)
        if isinstance(node, Tag):
            _visit(node, stack, out, depth)
        elif type(node) is NavigableString:
            buf.append(str(node))
    _flush(buf, out)
    return out


def _flush(buf: list[str], out: list[Line]) -> None:
    text = _squash("".join(buf))
    buf.clear()
    if text:
        out.append(Line(text))


def _visit(node: Tag, stack: list[PageElement | None], out: list[Line], depth: int) -> None:
    if node.name == "table":
        out.extend(table_lines(node, depth))
    elif node.name != "br" and node.name not in _SKIP:
        if node.name in _BLOCK:
            stack.append(None)  # marks the end of the block: the paragraph ends there
        stack.extend(reversed(node.contents))


def _rows(table: Tag) -> list[Tag]:
    """The table's own rows (not those of tables nested in its cells)."""
    rows: list[Tag] = []
    for child in table.children:
        if not isinstance(child, Tag):
            continue
        if child.name == "tr":
            rows.append(child)
        elif child.name in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child.children if isinstance(c, Tag) and c.name == "tr")
    return rows


def table_lines(table: Tag, depth: int) -> list[Line]:
    """One Line per <tr>, one cell per <td>/<th>; a cell holding a table is read as blocks."""
    out: list[Line] = []
    for tr in _rows(table):
        cells = tr.find_all(["td", "th"], recursive=False)
        if not cells:
            continue
        if depth < MAX_TABLE_DEPTH and any(c.find("table") for c in cells):
            for cell in cells:
                out.extend(html_lines(cell, depth + 1))
            continue
        texts = tuple(_squash(c.get_text(" ")) for c in cells)
        out.append(Line(" | ".join(t for t in texts if t), cells=texts))
    return out


# ---------------------------------------------------------------------------- page meta


def page_title(soup: BeautifulSoup) -> str | None:
    """The report title from the page head or heading elements (often outside the container)."""
    found: list[str] = []
    meta = soup.find("meta", attrs={"name": re.compile("^ArticleTitle$", re.IGNORECASE)})
    if isinstance(meta, Tag):
        found.append(str(meta.get("content") or ""))
    for el in soup.select("h1, .title, #title, .article-title, h2, h3"):
        found.append(_squash(el.get_text(" ")))
    if soup.title is not None:
        found.extend(re.split(r"[_|]| - ", soup.title.get_text()))
    return next((t.strip() for t in found if is_title(t.strip())), None)


def page_date(soup: BeautifulSoup) -> date | None:
    """The publication date TRS pages put in <meta name="PubDate">."""
    meta = soup.find("meta", attrs={"name": re.compile("^(PubDate|publishdate|firstpublishedtime)$", re.IGNORECASE)})
    if not isinstance(meta, Tag):
        return None
    m = _DATE.search(str(meta.get("content") or ""))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
