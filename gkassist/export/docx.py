"""Word (.docx) export in official-document style (GB/T 9704 conventions).

* Title: 方正小标宋简体 二号 (22 pt), centred. Body: 仿宋_GB2312 三号 (16 pt), first line indented
  two characters, fixed 28 pt line spacing. Section headings 一、… in 黑体; lines like （一）… in
  楷体_GB2312. Tables in 宋体 (10.5 pt; 9 pt for the wide tables 三 and 四).
* Fonts missing on the reader's machine fall back through ``w:altName`` in the font table
  (方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体): Windows 10+ ships 仿宋/楷体 but not
  the _GB2312 faces.
* Tables merge exactly the cells of the official format; the layout comes from
  ``export.html.table_grid``, so HTML and .docx merge the same cells.
* A draft carries a red 草稿 banner (the open findings) at the top and a 草稿 page header.

Metadata (our choice, read back by importers/docx.py):
* core properties: title, author (= agency), subject, keywords, category (正式稿/草稿),
  language, created/modified (the publication date, else the end of the period);
* a custom XML part ``/customXml/gkassist-meta.xml`` whose root ``<gk:report-meta
  xmlns:gk="urn:gkassist:report-meta:1">`` holds, as text, the same JSON as the HTML
  ``gkassist-meta`` block (the markdown front matter: contact, layouts, column units,
  declared figures, acknowledgements; plus open findings for a draft). Word keeps custom XML
  parts when the document is edited and saved again.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor, Twips
from lxml import etree

from gkassist.export.html import Grid, draft_lines, is_subheading, meta_json, table_grid
from gkassist.export.markdown import generated_opening, zh_date
from gkassist.export.textsafe import xml_safe
from gkassist.findings import Finding
from gkassist.model import NARRATIVE_SECTIONS, TABLE_IDS, Report
from gkassist.names import SECTION_TITLES

META_NS = "urn:gkassist:report-meta:1"
META_PARTNAME = "/customXml/gkassist-meta.xml"
META_ROOT = "report-meta"

STYLE_TITLE = "GK 标题"
STYLE_BODY = "GK 正文"
STYLE_SUBHEAD = "GK 二级标题"
STYLE_CLOSING = "GK 落款"
STYLE_DRAFT = "GK 草稿提示"
STYLE_CELL = "GK 表格"
STYLE_CELL_LEFT = "GK 表格左对齐"
HEADING = "Heading 1"
CUSTOM_STYLES = (STYLE_TITLE, STYLE_BODY, STYLE_SUBHEAD, STYLE_CLOSING, STYLE_DRAFT, STYLE_CELL, STYLE_CELL_LEFT)

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING = "黑体"
FONT_SUBHEAD = "楷体_GB2312"
FONT_TABLE = "宋体"
LATIN = "Times New Roman"
FALLBACKS = {FONT_TITLE: "宋体", FONT_BODY: "仿宋", FONT_SUBHEAD: "楷体", FONT_HEADING: "SimHei", FONT_TABLE: "SimSun"}
RED = RGBColor(0xC0, 0, 0)
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_TEXT_WIDTH_MM = 210 - 28 - 26


def _set_font(obj: Any, east_asia: str, size: float | None = None, bold: bool | None = None) -> None:
    """Latin and East Asian font of a style or run (python-docx has no API for w:eastAsia)."""
    obj.font.name = LATIN
    rfonts = obj.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asia)
    for attr in _THEME_ATTRS:  # theme fonts would override the named ones
        rfonts.attrib.pop(qn(attr), None)
    if size is not None:
        obj.font.size = Pt(size)
    if bold is not None:
        obj.font.bold = bold


def _paragraph_style(doc: Any, name: str, font: str, size: float, *, indent: bool = False, base: str = "Normal") -> Any:
    style = doc.styles.add_style(name, 1)  # WD_STYLE_TYPE.PARAGRAPH
    style.base_style = doc.styles[base]
    style.quick_style = True
    _set_font(style, font, size, bold=False)
    fmt = style.paragraph_format
    fmt.first_line_indent = Pt(2 * size) if indent else Pt(0)
    return style


def _setup_styles(doc: Any) -> None:
    normal = doc.styles["Normal"]
    _set_font(normal, FONT_BODY, 16)
    nf = normal.paragraph_format
    nf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    nf.line_spacing = Pt(28)
    nf.space_before = nf.space_after = Pt(0)
    nf.widow_control = False

    heading = doc.styles[HEADING]
    _set_font(heading, FONT_HEADING, 16, bold=False)
    heading.font.color.rgb = RGBColor(0, 0, 0)
    hf = heading.paragraph_format
    hf.first_line_indent = Pt(32)
    hf.space_before = hf.space_after = Pt(0)
    hf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    hf.line_spacing = Pt(28)
    hf.keep_with_next = True

    title = _paragraph_style(doc, STYLE_TITLE, FONT_TITLE, 22)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(28)
    _paragraph_style(doc, STYLE_BODY, FONT_BODY, 16, indent=True)
    _paragraph_style(doc, STYLE_SUBHEAD, FONT_SUBHEAD, 16, indent=True)
    closing = _paragraph_style(doc, STYLE_CLOSING, FONT_BODY, 16)
    closing.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    draft = _paragraph_style(doc, STYLE_DRAFT, FONT_HEADING, 12)
    draft.font.color.rgb = RED
    draft.paragraph_format.line_spacing = Pt(18)
    for name, align in ((STYLE_CELL, WD_ALIGN_PARAGRAPH.CENTER), (STYLE_CELL_LEFT, WD_ALIGN_PARAGRAPH.LEFT)):
        cell = _paragraph_style(doc, name, FONT_TABLE, 10.5)
        cell.paragraph_format.alignment = align
        cell.paragraph_format.line_spacing = 1.0  # single: not the body's fixed 28 pt


def _font_fallbacks(doc: Any) -> None:
    """Add the Chinese official fonts to the font table with a w:altName fallback."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for name, alt in FALLBACKS.items():
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alt})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})  # GB2312
        etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": "modern" if name == FONT_HEADING else "roman"})
        etree.SubElement(font, f"{{{w}}}pitch", {f"{{{w}}}val": "variable"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_setup(doc: Any, draft: bool) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(footer.add_run("— "), FONT_TABLE, 14)
    _page_field(footer)
    _set_font(footer.add_run(" —"), FONT_TABLE, 14)
    if draft:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = header.add_run("草稿　未经校验，不得发布")
        _set_font(run, FONT_HEADING, 12)
        run.font.color.rgb = RED


def _page_field(paragraph: Any) -> None:
    run = paragraph.add_run()
    _set_font(run, FONT_TABLE, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def _paragraph(doc: Any, text: str, style_id: str) -> Any:
    """A body paragraph; the style is set by id (python-docx's lookup by name is slow)."""
    p = doc.add_paragraph()
    p._p.style = style_id
    if text:
        p.add_run(xml_safe(text))
    return p


def _add_lines(doc: Any, text: str, style_ids: dict[str, str]) -> None:
    """One paragraph per source line (so the importer gets the text back exactly)."""
    for line in text.split("\n"):
        _paragraph(doc, line, style_ids[STYLE_SUBHEAD if is_subheading(line) else STYLE_BODY])


def _add_draft_banner(doc: Any, open_findings: list[Finding] | None, note: str = "") -> None:
    first, *items = draft_lines(open_findings, note)
    p = doc.add_paragraph(style=STYLE_DRAFT)
    run = p.add_run(xml_safe(first))
    run.font.bold = True
    run.font.size = Pt(16)
    _box(p)
    for item in items:
        _box(doc.add_paragraph(xml_safe("• " + item), style=STYLE_DRAFT))


def _box(paragraph: Any) -> None:
    """A red border and light shading around the banner paragraphs."""
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        for k, v in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", "C00000")):
            el.set(qn(k), v)
        border.append(el)
    shade = OxmlElement("w:shd")
    for k, v in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", "FFF2F2")):
        shade.set(qn(k), v)
    ppr.append(border)
    ppr.append(shade)


def _column_widths(grid: Grid, table_id: str) -> list[float]:
    """Millimetres per grid column: label columns wider than number columns."""
    n_label = min((c.col for c in grid.cells if c.kind == "value"), default=0)
    n_values = grid.n_cols - n_label
    label_share = {"s2": 0.34, "s3": 0.42}.get(table_id, 0.0) if n_label else 0.0
    if n_label == 3:  # 表三: group, sub-group, row label
        label_mm = [12.0, 14.0, _TEXT_WIDTH_MM * label_share - 26.0]
    else:
        label_mm = [_TEXT_WIDTH_MM * label_share / n_label] * n_label if n_label else []
    value_mm = (_TEXT_WIDTH_MM - sum(label_mm)) / n_values
    return label_mm + [value_mm] * n_values


def _xml_text(text: str) -> str:
    return xml_escape(xml_safe(text))


def _table_rows_xml(
    grid: Grid, widths_twips: list[int], style_ids: dict[str, str], size_half_points: int | None, repeat: bool
) -> str:
    """The <w:tr> elements of a grid, merges written directly (gridSpan / vMerge).

    Building the XML in one go is ~20× faster than python-docx's cell-by-cell merge."""
    top_left = {(c.row, c.col): c for c in grid.cells}
    continued: dict[tuple[int, int], int] = {}  # (row, col) under a vertical merge -> its colspan
    for c in grid.cells:
        for r in range(c.row + 1, c.row + c.rowspan):
            continued[(r, c.col)] = c.colspan
    rpr = (
        f'<w:rPr><w:sz w:val="{size_half_points}"/><w:szCs w:val="{size_half_points}"/></w:rPr>'
        if size_half_points
        else ""
    )
    rows: list[str] = []
    for r in range(grid.n_rows):
        tr = [
            "<w:tr>",
            "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
            if repeat and r in grid.header_rows
            else "<w:trPr><w:cantSplit/></w:trPr>",
        ]
        col = 0
        while col < grid.n_cols:
            cell = top_left.get((r, col))
            span = cell.colspan if cell else continued.get((r, col), 1)
            width = sum(widths_twips[col : col + span])
            props = f'<w:tcW w:w="{width}" w:type="dxa"/>' + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "")
            if cell is None:
                merge = "<w:vMerge/>" if (r, col) in continued else ""
                tr.append(f'<w:tc><w:tcPr>{props}{merge}<w:vAlign w:val="center"/></w:tcPr><w:p/></w:tc>')
            else:
                merge = '<w:vMerge w:val="restart"/>' if cell.rowspan > 1 else ""
                sid = style_ids[STYLE_CELL_LEFT if cell.kind in ("label", "extra") else STYLE_CELL]
                run = f'<w:r>{rpr}<w:t xml:space="preserve">{_xml_text(cell.text)}</w:t></w:r>' if cell.text else ""
                tr.append(
                    f'<w:tc><w:tcPr>{props}{merge}<w:vAlign w:val="center"/></w:tcPr>'
                    f'<w:p><w:pPr><w:pStyle w:val="{sid}"/></w:pPr>{run}</w:p></w:tc>'
                )
            col += span
        tr.append("</w:tr>")
        rows.append("".join(tr))
    return "".join(rows)


def _add_table(doc: Any, report: Report, table_id: str, style_ids: dict[str, str]) -> None:
    grid = table_grid(report, table_id)
    table = doc.add_table(rows=0, cols=grid.n_cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [round(mm * 56.692) for mm in _column_widths(grid, table_id)]  # twentieths of a point
    for j, col in enumerate(table.columns):
        col.width = Twips(widths[j])
    size = 18 if grid.n_cols > 6 else None  # 9 pt for the wide tables 三 and 四
    # 表二's block heading rows are not repeated on every page; the header trees of 三 and 四 are.
    xml = _table_rows_xml(grid, widths, style_ids, size, repeat=table_id != "s2")
    wrapper = parse_xml(f"<w:tbl {nsdecls('w')}>{xml}</w:tbl>")
    for tr in list(wrapper):
        table._tbl.append(tr)
    _paragraph(doc, "", style_ids[STYLE_CELL])  # Word needs a paragraph between two tables


def _meta_part(doc: Any, report: Report, status: str, open_findings: list[Finding] | None) -> None:
    root = etree.Element(f"{{{META_NS}}}{META_ROOT}", nsmap={"gk": META_NS})
    root.set("version", "1")
    root.text = xml_safe(meta_json(report, status, open_findings))  # JSON escapes controls; not lone surrogates
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    part = Part(PackURI(META_PARTNAME), "application/xml", blob, doc.part.package)
    doc.part.relate_to(part, RT.CUSTOM_XML)


def _core_properties(doc: Any, report: Report, status: str) -> None:
    meta = report.meta
    props = doc.core_properties
    props.title = xml_safe(report.meta.title)
    props.author = xml_safe(meta.agency)
    props.last_modified_by = "gkassist"
    props.subject = "政府信息公开工作年度报告"
    props.keywords = xml_safe(f"政府信息公开;年度报告;{meta.year};{meta.format}")
    props.category = "草稿" if status == "draft" else "正式稿"
    props.comments = "由 gkassist 生成。" + ("草稿，未经校验，不得发布。" if status == "draft" else "已通过导出校验。")
    props.language = "zh-CN"
    props.revision = 1
    stamp = meta.publication_date or meta.period_end
    when = datetime(stamp.year, stamp.month, stamp.day) if stamp else datetime(meta.year + 1, 1, 1)
    props.created = props.modified = when


def render_docx(report: Report, *, status: str = "checked", open_findings: list[Finding] | None = None,
                draft_note: str = "") -> bytes:
    """The report as a .docx file (bytes)."""
    meta = report.meta
    doc = Document()
    _setup_styles(doc)
    _font_fallbacks(doc)
    _page_setup(doc, status == "draft")
    ids = {name: doc.styles[name].style_id for name in (*CUSTOM_STYLES, HEADING)}
    if status == "draft":
        _add_draft_banner(doc, open_findings, draft_note)
    _paragraph(doc, report.meta.title, ids[STYLE_TITLE])
    _add_lines(doc, meta.opening if meta.opening is not None else generated_opening(report), ids)
    for sid in ("s1", "s2", "s3", "s4", "s5", "s6"):
        _paragraph(doc, SECTION_TITLES[sid], ids[HEADING])
        if sid in NARRATIVE_SECTIONS:
            text = report.section(sid)
            if text:
                _add_lines(doc, text, ids)
        elif sid in TABLE_IDS:
            _add_table(doc, report, sid, ids)
    _paragraph(doc, "", ids[STYLE_CLOSING])
    _paragraph(doc, meta.agency, ids[STYLE_CLOSING])
    if meta.publication_date:
        _paragraph(doc, zh_date(meta.publication_date), ids[STYLE_CLOSING])
    _core_properties(doc, report, status)
    _meta_part(doc, report, status, open_findings)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
