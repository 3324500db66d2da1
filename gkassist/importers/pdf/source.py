"""The PDF file itself: open it safely and read what each page holds.

pdfplumber (on pdfminer.six) interprets each page's content once; from that one parse we
keep the glyphs, the ruling lines and the images, and run pdfplumber's table finder on
the ruling lines only (never on text alignment: the official tables are always ruled).
Everything downstream works on these plain values.

Hostile files are normal input: size, page count, decompressed content, drawing operators and
characters of the whole file and time are bounded (gkassist/limits.py), and every way pdfminer
can fail becomes a Chinese ``ReportReadError``.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import logging
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gkassist.importers.budget import check_budget
from gkassist.importers.pdf.glyphs import Glyph
from gkassist.importers.result import ReportReadError
from gkassist.limits import ADVICE_PDF, ADVICE_WRONG_FILE, LIMITS, human_size, over_limit

# The bounds are gkassist/limits.py's (read once here; tests lower these names with monkeypatch).
MAX_BYTES = LIMITS.file_bytes
MAX_PAGES = LIMITS.pdf_pages
MAX_CONTENT = LIMITS.pdf_content_bytes  # decompressed page content of the whole file
MAX_GLYPHS = LIMITS.pdf_page_glyphs  # per page
MAX_TOTAL_GLYPHS = LIMITS.pdf_glyphs  # the whole file: the glyphs of every page are kept until the end
MAX_PATHS = LIMITS.pdf_paths  # the whole file: pdfplumber makes an object of each
THIN = 2.0  # a filled rectangle at most this thick is a drawn rule
SNAP = 3.0  # rules this close are one line (pdfplumber's default tolerance)
MAX_GRID = 6000  # horizontal × vertical rules on a page: a report's tables have a few hundred
RULE_SLACK = 1.0  # a line this far from horizontal/vertical still counts as a rule

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass
class PageData:
    """What one page holds, in points from the page's top-left corner."""

    number: int
    width: float
    height: float
    glyphs: list[Glyph] = field(default_factory=list)
    tables: list[list[Box]] = field(default_factory=list)  # cell boxes of each ruled table
    image_area: float = 0.0  # share of the page covered by images (0..1)
    unmapped: int = 0  # glyphs whose text the font does not tell ("(cid:12)")
    too_many_rules: bool = False  # tables not looked for: the grid would take too long to work out


_MESSAGE_TAIL = "请改为上传该报告的 Word 文档（.docx）或门户网站上的网页（.html），或用 Word/WPS 重新导出 PDF 后再试。"


def _fail(reason: str) -> ReportReadError:
    return ReportReadError(f"{reason}{_MESSAGE_TAIL}")


def read_pages(data: bytes) -> list[PageData]:
    """Every page of the PDF; raises ReportReadError (Chinese) when it cannot be read."""
    import pdfplumber  # imported here: only a PDF needs it, and it takes a while to load

    if len(data) > MAX_BYTES:
        raise ReportReadError(over_limit("PDF 文件大小", human_size(len(data)), human_size(MAX_BYTES)))
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # malformed files log a warning per object
    header = data.find(b"%PDF-", 0, 1024)
    if header > 0:  # bytes before the header (a mail or download wrapper): offsets count from it
        data = data[header:]
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as err:  # pdfminer's failures vary widely with the damage; report them all alike
        raise _open_error(err) from None
    try:
        return _pages(pdf)
    finally:
        _close(pdf)


def _open_error(err: Exception) -> ReportReadError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = err.args[0] if err.args and isinstance(err.args[0], Exception) else err
    if isinstance(cause, PDFPasswordIncorrect):
        return _fail("这个 PDF 文件设置了打开密码，无法读取。")
    if isinstance(cause, PDFEncryptionError):
        return _fail("这个 PDF 文件使用了无法识别的加密方式，无法读取。")
    return _fail("PDF 文件已损坏或不完整（可能下载中断），无法读取。")


def _close(pdf: Any) -> None:
    with contextlib.suppress(Exception):  # closing a half-read damaged file can fail again
        pdf.close()


# A keyword as pdfminer's tokenizer ends it: at white space or a delimiter.
_DELIMITED = rb"(?<![^\s()<>\[\]{}/%%])(?:%s)(?![^\s()<>\[\]{}/%%])"
_PATH_OPS = re.compile(_DELIMITED % rb"re|m|l|c|v|y")  # the pieces of lines, boxes and curves
_DO = re.compile(_DELIMITED % rb"Do")  # draw a form (or an image): its content is interpreted again


def _page_work(page_obj: Any, cap: int) -> tuple[int, int]:
    """What interpreting the page will cost: the decompressed bytes of its content and the path
    operators in them, a form counted each time the page draws it. At most ``cap`` + 1 bytes of
    each stream are decompressed (a small file can inflate to gigabytes)."""
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.psparser import literal_name

    contents = [s for s in (resolve1(c) for c in (page_obj.contents or [])) if isinstance(s, PDFStream)]
    forms = []
    xobjects = resolve1((page_obj.resources or {}).get("XObject")) or {}
    if isinstance(xobjects, dict):
        for ref in xobjects.values():
            stream = resolve1(ref)
            if isinstance(stream, PDFStream) and literal_name(stream.get("Subtype")) == "Form":
                forms.append(stream)
    size = paths = draws = 0
    for stream in contents:
        data = _inflated(stream, cap - size + 1)
        size, paths, draws = size + len(data), paths + len(_PATH_OPS.findall(data)), draws + len(_DO.findall(data))
        if size > cap:
            return size, paths
    heaviest = max(((len(d), len(_PATH_OPS.findall(d))) for d in (_inflated(f, cap + 1) for f in forms)), default=(0, 0))
    return size + max(draws, 1 if forms else 0) * heaviest[0], paths + max(draws, 1 if forms else 0) * heaviest[1]


def _inflated(stream: Any, limit: int) -> bytes:
    """The stream's content as pdfminer will read it, at most ``limit`` bytes of it (a stream with
    other filters is taken as it is stored)."""
    raw = stream.rawdata if stream.rawdata is not None else stream.data
    if raw is None:
        return b""
    filters = [str(f) for f, _ in stream.get_filters()]
    if not filters or not any("Flate" in f for f in filters[:1]):
        return bytes(raw[: max(limit, 1)])
    try:
        return zlib.decompressobj().decompress(raw, max(limit, 1))
    except zlib.error:
        return bytes(raw[: max(limit, 1)])  # pdfminer reports the damage itself, or reads what it can


def _pages(pdf: Any) -> list[PageData]:
    from pdfplumber.page import Page

    out: list[PageData] = []
    doctop = 0.0
    glyphs = content = paths = 0
    for number, page_obj in enumerate(_page_objects(pdf), start=1):
        check_budget()
        if number > MAX_PAGES:
            raise ReportReadError(
                f"这个 PDF 超过 {MAX_PAGES} 页，不像是一份政府信息公开工作年度报告（通常 5—15 页）。"
                "请确认上传的文件是否正确；如果是多份报告合订在一起，请分开后逐份上传。"
            )
        size, drawn = _page_work(page_obj, MAX_CONTENT - content)
        content, paths = content + size, paths + drawn
        if content > MAX_CONTENT:
            raise ReportReadError(
                over_limit("PDF 的页面内容（解压后）", f"读到第{number}页已超过 {human_size(MAX_CONTENT)}", human_size(MAX_CONTENT),
                           ADVICE_WRONG_FILE + ADVICE_PDF)
            )
        if paths > MAX_PATHS:
            raise ReportReadError(
                over_limit("PDF 中的图形（线条、方框、曲线）", f"读到第{number}页已有 {paths:,} 段", f"{MAX_PATHS:,} 段",
                           ADVICE_WRONG_FILE + ADVICE_PDF)
            )
        try:
            page = Page(pdf, page_obj, page_number=number, initial_doctop=doctop)
            out.append(_read_page(page, number))
        except ReportReadError:
            raise
        except Exception:  # a damaged page stream: pdfminer raises many different errors
            raise _fail(f"PDF 第{number}页已损坏，无法读取。") from None
        doctop += float(page.height)
        glyphs += len(out[-1].glyphs) + out[-1].unmapped
        if glyphs > MAX_TOTAL_GLYPHS:
            raise ReportReadError(
                over_limit("PDF 中的文字", f"读到第{number}页已有 {glyphs:,} 个字符", f"{MAX_TOTAL_GLYPHS:,} 个字符",
                           ADVICE_WRONG_FILE + ADVICE_PDF)
            )
    if not out:
        raise _fail("这个 PDF 文件没有任何页面。")
    return out


def _page_objects(pdf: Any) -> Iterator[Any]:
    """The pages in order, without building all of them first (a file may claim millions)."""
    from pdfminer.pdfpage import PDFPage

    pages = PDFPage.create_pages(pdf.doc)
    while True:
        try:
            yield next(pages)
        except StopIteration:
            return
        except Exception:  # a broken page tree
            raise _fail("PDF 文件的页面目录已损坏，无法读取。") from None


def _read_page(page: Any, number: int) -> PageData:
    width, height = float(page.width), float(page.height)
    chars = page.chars
    if len(chars) > MAX_GLYPHS:
        raise ReportReadError(
            over_limit(f"PDF 第{number}页的文字", f"{len(chars):,} 个字符", f"每页 {MAX_GLYPHS:,} 个字符", ADVICE_WRONG_FILE + ADVICE_PDF)
        )
    data = PageData(number=number, width=width, height=height)
    for c in chars:
        text = str(c["text"])
        if text.startswith("(cid:"):
            data.unmapped += 1
            continue
        matrix = c.get("matrix") or (1, 0, 0, 1, 0, 0)
        data.glyphs.append(
            Glyph(
                text=text,
                x0=float(c["x0"]),
                x1=float(c["x1"]),
                top=float(c["top"]),
                bottom=float(c["bottom"]),
                size=float(c["size"]) or 1.0,
                upright=bool(c["upright"]),
                downward=float(matrix[1]) <= 0,
            )
        )
    data.image_area = _image_area(page.images, width, height)
    tables = _tables(page)
    data.tables, data.too_many_rules = (tables, False) if tables is not None else ([], True)
    return data


def _image_area(images: list[dict[str, Any]], width: float, height: float) -> float:
    area = 0.0
    for im in images:
        w = max(0.0, min(float(im["x1"]), width) - max(float(im["x0"]), 0.0))
        h = max(0.0, min(float(im["bottom"]), height) - max(float(im["top"]), 0.0))
        area += w * h
    return min(1.0, area / max(width * height, 1.0))


# ---------------------------------------------------------------------------- ruled tables


def _edge(x0: float, top: float, x1: float, bottom: float) -> dict[str, Any] | None:
    """A horizontal or vertical rule as pdfplumber's table finder takes it."""
    if abs(bottom - top) <= RULE_SLACK and x1 - x0 > RULE_SLACK:
        y = (top + bottom) / 2
        return {"object_type": "rule_edge", "orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y,
                "width": x1 - x0, "height": 0.0}  # fmt: skip
    if abs(x1 - x0) <= RULE_SLACK and bottom - top > RULE_SLACK:
        x = (x0 + x1) / 2
        return {"object_type": "rule_edge", "orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom,
                "width": 0.0, "height": bottom - top}  # fmt: skip
    return None


def rules(page: Any) -> list[dict[str, Any]]:
    """The page's ruling lines: drawn lines, thin filled rectangles (how many PDF makers draw
    cell borders), the sides of stroked rectangles and the straight pieces of paths.
    A filled, unstroked box is cell shading or a highlight, not a border."""
    found: list[dict[str, Any] | None] = []
    for ln in page.lines:
        found += _segments(ln.get("pts") or [(ln["x0"], ln["top"]), (ln["x1"], ln["bottom"])])
    for r in page.rects:
        x0, top, x1, bottom = (float(r[k]) for k in ("x0", "top", "x1", "bottom"))
        mid_x, mid_y = (x0 + x1) / 2, (top + bottom) / 2
        if bottom - top <= THIN:
            found.append(_edge(x0, mid_y, x1, mid_y))
        elif x1 - x0 <= THIN:
            found.append(_edge(mid_x, top, mid_x, bottom))
        elif r.get("stroke"):
            found += [
                _edge(x0, top, x1, top),
                _edge(x0, bottom, x1, bottom),
                _edge(x0, top, x0, bottom),
                _edge(x1, top, x1, bottom),
            ]
    for curve in page.curves:
        found += _segments(curve.get("pts") or [])
    return [e for e in found if e is not None]


def _segments(pts: list[tuple[float, float]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for (ax, ay), (bx, by) in itertools.pairwise(pts):
        edge = _edge(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
        if edge:
            out.append(edge)
    return out


def _tables(page: Any) -> list[list[Box]] | None:
    """Cell boxes of each ruled table on the page (pdfplumber's finder on our rules only);
    None when the page has so many rules that finding the cells would take too long."""
    from pdfplumber.table import TableFinder, merge_edges

    edges = merge_edges(rules(page), SNAP, SNAP, SNAP, SNAP)  # collinear pieces joined: the real grid
    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [e for e in edges if e["orientation"] == "h"]
    if len(vertical) < 2 or len(horizontal) < 2:
        return []  # no grid: the page is prose
    if len(vertical) * len(horizontal) > MAX_GRID:
        return None
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": vertical,
        "explicit_horizontal_lines": horizontal,
    }
    finder = TableFinder(page, settings)
    return [[tuple(float(v) for v in cell) for cell in table.cells] for table in finder.tables]  # type: ignore[misc]
