"""Untrusted text is text in every export: hostile strings in every user- or import-supplied
field of a report, rendered as markdown (then through CommonMark), HTML and .docx.

* markdown: a CommonMark render (markdown-it-py, strict preset; and with GFM tables,
  strikethrough and linkify) has only the elements our template writes, no attribute at all
  (so no href/src), the visible text still holds every string verbatim, and our importer
  reads the file back to the same report;
* HTML: no element or attribute beyond the page template's, the text verbatim;
* .docx: text only (no hyperlink, picture, field or external relationship), and control
  characters never crash the writer.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from gkassist.cells import Cell
from gkassist.examples import load_example
from gkassist.export.docx import render_docx
from gkassist.export.html import META_SCRIPT_ID, render_html
from gkassist.export.markdown import render_markdown
from gkassist.findings import Finding
from gkassist.importers.markdown import import_markdown
from gkassist.mdtext import escape_cell, escape_inline, escape_line, escape_paragraphs, split_table_row, unescape
from gkassist.model import Acknowledgement, Contact, DeclaredFigure, ExtraRow, Report

HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[a](javascript:alert(1))",
    "![](http://evil.example/x.png)", "<http://evil.example/>", "<a@b.example>", "http://bare.example/x",
    "https://evil.example", "//localhost/x", "http://localhost:8501/x", "www.example.com", "admin@example.com", "//evil.example/p", "mailto:a@b",
    "javascript:alert(1)", "例子.com", "пример.рф", "*", "**b**", "_", "__u__", "#", "## ", "> ", "|", "| a | b |",
    "|---|---|", "`", "```", "~~~", "~~d~~", "&amp;", "&#60;", "&#x3C;", "&lt;", "&copy;", "1. ", "1) ", "- ",
    "+ ", "* ", "---", "***", "___", "===", ":", ": ", "\n", "\n\n", "\t", "    ", "\\", "\\*", "$x$", "$$",
    "[^1]", "[x]: http://evil.example/", "[x]", ":smile:", ":material/home:", "<!-- c -->", "-->",
    "<a href=x>", "</p>", "\"", "'", "(", ")", "!", "{{x}}", "%", "@", "=", "+", "\u3000", "\u2028",
]
_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn")), max_size=6
)
hostile = st.lists(st.one_of(st.sampled_from(HOSTILE), _TEXT), min_size=1, max_size=6).map("".join)
nonblank = hostile.filter(lambda s: s.strip() != "")


def multiline(s: str) -> str:
    """Narrative as the model keeps it: no empty lines at the very start or end."""
    return s.strip("\n") or "无"


# ---------------------------------------------------------------------------- the report


@dataclass
class Fields:
    agency: str
    contact: list[str]
    opening: str | None
    sections: list[str]
    extra_label: str
    cell: str
    unit: str
    declared: str
    note: str
    finding: str
    visible: list[str] = field(default_factory=list)  # strings the body shows


fields = st.builds(
    Fields,
    agency=nonblank,
    contact=st.lists(nonblank, min_size=4, max_size=4),
    opening=st.one_of(st.none(), hostile.map(multiline)),
    sections=st.lists(hostile.map(multiline), min_size=3, max_size=3),
    extra_label=nonblank,
    cell=nonblank,
    unit=nonblank,
    declared=nonblank,
    note=hostile,
    finding=nonblank,
)


def hostile_report(f: Fields) -> tuple[Report, list[Finding]]:
    report = load_example("example-2021")
    meta = report.meta
    meta.agency = f.agency
    meta.contact = Contact(office=f.contact[0], address=f.contact[1], postcode=f.contact[2], phone=f.contact[3])
    meta.opening = f.opening
    report.sections = {"s1": f.sections[0], "s5": f.sections[1], "s6": f.sections[2]}
    s3 = report.table("s3")
    first_row = report.layout_of("s3").blocks[0].rows[0]
    first_col = report.layout_of("s3").blocks[0].columns[0]
    s3.set(first_row.id, first_col.id, f.cell)
    s3.extra_rows.append(ExtraRow(parent=first_row.id, label=f.extra_label, cells={first_col.id: Cell.parse(f.cell)}))
    s2 = report.table("s2")
    unit_col = report.layout_of("s2").blocks[-1].columns[-1]
    s2.column_units[unit_col.id] = f.unit
    report.declared = [DeclaredFigure(label=f.declared, value=1, unit=f.declared)]  # type: ignore[arg-type]
    report.acknowledgements = [Acknowledgement(code="F4", key=f.note, message=f.finding, note=f.note)]
    findings = [Finding(code="X8", severity="warning", message=f.finding)]
    f.visible = [f.agency, f.extra_label, Cell.parse(f.cell).raw, f.unit, *f.sections]
    f.visible += [f.opening] if f.opening is not None else [c for c in f.contact if c.strip()]
    return report, findings


def squash(text: str) -> str:
    """Whitespace as a browser shows it: runs collapsed (markdown and HTML trim line edges)."""
    return " ".join(text.split())


# ---------------------------------------------------------------------------- HTML reading


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.in_script_or_style = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag in ("script", "style"):
            self.in_script_or_style += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.in_script_or_style -= 1

    def handle_data(self, data: str) -> None:
        if not self.in_script_or_style:
            self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append(("!--", []))


def elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


# ---------------------------------------------------------------------------- markdown

# What our markdown template writes: headings, paragraphs, the draft banner (a quote with a
# list), bold block heads and row groups, tables, the rule before the closing and its line
# break. The YAML front matter shows as a paragraph or list under a setext heading.
MARKDOWN_ELEMENTS = {"h1", "h2", "p", "blockquote", "ul", "li", "strong", "hr", "br",
                     "table", "thead", "tbody", "tr", "th", "td"}
COMMONMARK = MarkdownIt("commonmark")
GFM_LINKIFY = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "strikethrough", "linkify"])


@pytest.mark.slow  # 150 examples, each rendered by two markdown parsers
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(f=fields, draft=st.booleans())
def test_markdown_export_renders_no_markup_from_user_text(f: Fields, draft: bool) -> None:
    report, findings = hostile_report(f)
    md = render_markdown(report, status="draft" if draft else "checked", open_findings=findings)
    for renderer in (COMMONMARK, GFM_LINKIFY):
        parsed = elements(renderer.render(md))
        tags = {t for t, _ in parsed.tags}
        assert tags <= MARKDOWN_ELEMENTS, (tags - MARKDOWN_ELEMENTS, md)
        assert all(not attrs for _, attrs in parsed.tags), [t for t in parsed.tags if t[1]]
        shown = squash("".join(parsed.text))
        for text in f.visible + ([f.finding] if draft else []):
            assert squash(text) in shown, (text, md)
    back = import_markdown(md).report
    assert back is not None
    assert back.model_dump() == report.model_dump()


def test_markdown_of_known_attacks_is_inert() -> None:
    """The issue's examples, spelled out: nothing of them survives as markup."""
    f = Fields(
        agency="<script>alert(1)</script>局", contact=["<img src=x onerror=alert(1)>", "[a](javascript:alert(1))",
                                                    "![](http://evil.example/x.png)", "<http://evil.example>"],
        opening=None, sections=["# 标题\n    缩进\n1. 列表\n- 条目\n> 引用\n---\nwww.example.com *强调* `代码`", "无", "无"],
        extra_label="行政检查|竖线", cell="=1+1", unit="万元", declared="发布", note="已核实 </script>",
        finding="“<b>粗体</b>”",
    )
    report, findings = hostile_report(f)
    md = render_markdown(report, status="draft", open_findings=findings)
    html = GFM_LINKIFY.render(md)
    assert "<script" not in html and "<img" not in html and "<a " not in html and "<b>" not in html
    assert "<pre" not in html and "<code" not in html and "<ol" not in html and "<em" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;局" in html
    assert "www.example.com <strong>" not in html and "www.example.com *强调* `代码`" in html
    assert "| 其中：行政检查\\|竖线 |" in md  # a pipe in a label stays inside its cell
    assert import_markdown(md).report.model_dump() == report.model_dump()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("2024年,我局发布信息76条(地址:某路8号)。", "2024年,我局发布信息76条(地址:某路8号)。"),  # prose unchanged
        ("# 不是标题", "\\# 不是标题"),
        ("1. 不是列表", "1\\. 不是列表"),
        ("2024.全年", "2024.全年"),
        ("    不是代码", "&#32;&#32;&#32;&#32;不是代码"),
        ("<b>", "\\<b\\>"),
        ("a&amp;b a&b", "a\\&amp;b a&b"),
        ("http://x.cn", "http\\:\\/\\/x\\.cn"),
        ("snake_case", "snake\\_case"),
    ],
)
def test_escape_line_only_where_markdown_would_read(text: str, written: str) -> None:
    assert escape_line(text) == written
    assert unescape(written) == text


@settings(max_examples=300, deadline=None)
@given(text=hostile)
def test_unescape_inverts_every_escape(text: str) -> None:
    assert unescape(escape_inline(text)) == text
    assert "\n" not in escape_inline(text) and "\r" not in escape_inline(text)
    assert unescape(escape_line(text)) == text
    assert [unescape(c) for c in split_table_row(f"| {escape_cell(text)} | {escape_cell(text)} |")] == [text, text]
    assert "\n".join(unescape(p) for p in escape_paragraphs(text).split("\n\n")) == text


# ---------------------------------------------------------------------------- HTML

HTML_ELEMENTS = {"html", "head", "meta", "title", "style", "script", "body", "div", "strong", "ul", "li",
                 "article", "h1", "h2", "p", "table", "tr", "th", "td", "br"}
HTML_ATTRIBUTES = {"lang", "charset", "name", "content", "type", "id", "class", "role", "rowspan", "colspan"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(f=fields, draft=st.booleans())
def test_html_export_has_no_tag_or_attribute_from_user_text(f: Fields, draft: bool) -> None:
    report, findings = hostile_report(f)
    page = render_html(report, status="draft" if draft else "checked", open_findings=findings)
    parsed = elements(page)
    tags = [t for t, _ in parsed.tags]
    assert set(tags) <= HTML_ELEMENTS, set(tags) - HTML_ELEMENTS
    assert tags.count("script") == 1 and tags.count("style") == 1 and tags.count("title") == 1
    for tag, attrs in parsed.tags:
        assert {k for k, _ in attrs} <= HTML_ATTRIBUTES, (tag, attrs)
        if tag == "script":
            assert dict(attrs) == {"type": "application/json", "id": META_SCRIPT_ID}
        if tag == "meta":
            assert set(dict(attrs)) <= {"charset", "name", "content"}
    shown = squash("".join(parsed.text))
    for text in f.visible + ([f.finding] if draft else []):
        assert squash(text) in shown, text
    meta_block = re.search(r'<script type="application/json" id="gkassist-meta">(.*?)</script>', page, re.S)
    assert meta_block is not None and json.loads(meta_block.group(1))["agency"] == f.agency


# ---------------------------------------------------------------------------- .docx

CONTROL = "".join(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)) + "\ufffe\uffff\udcff"


def _docx_parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith((".xml", ".rels"))}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(f=fields, control=st.text(alphabet=st.sampled_from(CONTROL), min_size=1, max_size=3))
def test_docx_export_is_text_only_and_survives_control_characters(f: Fields, control: str) -> None:
    f.agency = control + f.agency + control
    f.extra_label += control
    f.sections[0] += control
    report, findings = hostile_report(f)
    data = render_docx(report, status="draft", open_findings=findings)
    parts = _docx_parts(data)
    document = parts["word/document.xml"]
    for marker in ("<w:hyperlink", "<w:drawing", "<w:pict", "<w:object", "<w:fldSimple", "<w:instrText"):
        assert marker not in document, marker
    assert all('TargetMode="External"' not in xml for name, xml in parts.items() if name.endswith(".rels"))
    from docx import Document

    doc = Document(io.BytesIO(data))
    body = squash("\n".join(p.text for p in doc.paragraphs))
    strip = str.maketrans("", "", CONTROL)
    assert squash(f.agency.translate(strip)) in body
    assert squash(f.sections[0].translate(strip)) in body
    assert doc.core_properties.author == f.agency.translate(strip)


def test_docx_page_number_field_is_the_only_field() -> None:
    data = render_docx(load_example("example-2021"))
    parts = _docx_parts(data)
    fields_in = [re.findall(r"<w:instrText[^>]*>([^<]*)<", xml) for xml in parts.values()]
    assert [f.strip() for found in fields_in for f in found] == ["PAGE"]


def test_every_writer_survives_a_lone_surrogate_from_a_json_archive() -> None:
    from docx import Document

    archive = load_example("example-2021").model_dump_json().replace("某某市", "某\\udcff市")
    report = Report.model_validate(json.loads(archive))  # Python's json reads a lone \udcff escape
    assert report.meta.agency.startswith("某市")  # the model removes it at input (issue 11) …
    report.meta.__dict__["agency"] = "某\udcff市生态环境局"  # … the writers must survive one that got past
    assert "某\ufffd市" in render_markdown(report).encode("utf-8").decode("utf-8")
    assert "某\ufffd市" in render_html(report).encode("utf-8").decode("utf-8")
    doc = Document(io.BytesIO(render_docx(report)))
    assert "某市" in doc.paragraphs[-1].text + doc.paragraphs[-2].text
