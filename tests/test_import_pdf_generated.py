"""Property tests of the PDF reader on generated PDFs (slow: LibreOffice, about 2 s each).

Each example is a report with random cell values and random blank cells, written as an
official-style .docx (export/docx.py: merged header cells, vertically merged group labels,
page numbers "— 1 —" in the footer), then varied the way real reports vary: narrower or
wider label columns (labels wrap over two or three lines, group labels one character per
line), justified body text, rows allowed to break across pages, header rows repeated or
not on the next page, page numbers worded "— 1 —", "第1页 共5页", "-1-" or bare, a running
header on every page or none, and narrative of random length so that the page breaks fall
at different rows of 表三. LibreOffice prints it to PDF; the PDF import must give back every
cell exactly (a blank stays blank) and the narrative paragraph for paragraph.

Run only these: ``pytest tests/test_import_pdf_generated.py``.
"""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from gkassist.export.docx import render_docx
from gkassist.importers import ReportReadError, import_bytes
from gkassist.layouts import FormatId
from gkassist.model import Contact, Report
from tests.test_docx_pdf import _env
from tests.tools import require_tool

pytestmark = pytest.mark.office

TABLES = ("s2", "s3", "s4")
ARTEFACTS = Path(__file__).resolve().parent.parent / "out" / "artefacts"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PHRASES = (
    "全年主动公开政府信息", "2024年", "3119件", "依法依规做好政府信息公开工作", "《中华人民共和国政府信息公开条例》",
    "，", "、", "进一步优化政务公开专栏设置", "截至目前", "共计95个", "合格率为100%", "电子邮箱hazwgkc@163.com",
    "ISO 9001", "不断提高全市政务公开工作人员的工作能力和水平", "“先审查、后公开”", "（含上年度结转申请34件）",
)  # fmt: skip


@dataclass(frozen=True)
class Variation:
    """How one generated document departs from our own export's layout."""

    label_scale: float  # the row-label columns' width, relative to the export's
    group_scale: float  # the group-label columns' width (表三)
    justify: bool
    rows_split: bool  # rows may break across a page
    repeat_header: bool
    footer: str  # the page number as printed: "— {} —", "第{}页 共{}页", "-{}-"
    running_header: bool  # a running header with the report's name on every page


@st.composite
def paragraphs(draw: st.DrawFn, most: int) -> str:
    count = draw(st.integers(1, most))
    texts = ["".join(draw(st.lists(st.sampled_from(PHRASES), min_size=2, max_size=30))) + "。" for _ in range(count)]
    return "\n".join(t.lstrip("，、") for t in texts)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    fmt: FormatId = draw(st.sampled_from(["gk2021", "gk2019"]))
    year = 2024 if fmt == "gk2021" else 2020
    report = Report.new("某某市测试局", year, fmt)
    report.meta.publication_date = date(year + 1, 1, 20)
    report.meta.contact = Contact(
        office="某某市测试局办公室", address="某某市建设路8号", postcode="100001", phone="010-87654321"
    )
    for tid in TABLES:
        for row_id, col_id in report.layout_of(tid).cell_ids():  # type: ignore[arg-type]
            blank = draw(st.integers(0, 5)) == 0
            value = None if blank else str(draw(st.integers(0, 99999)))
            report.table(tid).set(row_id, col_id, value)  # type: ignore[arg-type]
    report.sections = {"s1": draw(paragraphs(8)), "s5": draw(paragraphs(3)), "s6": draw(paragraphs(2))}
    return report


variations = st.builds(
    Variation,
    label_scale=st.floats(0.7, 1.25),
    group_scale=st.floats(0.7, 1.3),
    justify=st.booleans(),
    rows_split=st.booleans(),
    repeat_header=st.booleans(),
    footer=st.sampled_from(["— {} —", "第{}页 共{}页", "-{}-", "{}"]),
    running_header=st.booleans(),
)
RUNNING_HEADER = "某某市测试局政府信息公开工作年度报告（2024）"


def vary(docx: bytes, v: Variation) -> bytes:
    """The document with the variation applied (column widths, alignment, row flags)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document(io.BytesIO(docx))
    q = f"{{{W_NS}}}"
    for table in doc.tables:
        tbl = table._tbl
        grid = [int(c.get(f"{q}w")) for c in tbl.iter(f"{q}gridCol")]
        widths = _scaled(grid, v)
        for col, width in zip(tbl.iter(f"{q}gridCol"), widths, strict=True):
            col.set(f"{q}w", str(width))
        for tr in tbl.iter(f"{q}tr"):
            at = 0
            for tc in tr.iter(f"{q}tc"):
                span_el = next(tc.iter(f"{q}gridSpan"), None)
                span = int(span_el.get(f"{q}val")) if span_el is not None else 1
                next(tc.iter(f"{q}tcW")).set(f"{q}w", str(sum(widths[at : at + span])))
                at += span
            for flag, keep in (("cantSplit", not v.rows_split), ("tblHeader", v.repeat_header)):
                for el in list(tr.iter(f"{q}{flag}")):
                    if not keep:
                        el.getparent().remove(el)
    _page_furniture(doc, v)
    if v.justify:
        for p in doc.paragraphs:
            if p.alignment is None and p.text and len(p.text) > 20:
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_furniture(doc: Any, v: Variation) -> None:
    """The footer's page number in the variation's wording; the running header if wanted."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section = doc.sections[0]
    footer = section.footer.paragraphs[0]
    for run in list(footer.runs):
        run._r.getparent().remove(run._r)
    pieces = v.footer.split("{}")
    for i, piece in enumerate(pieces):
        if piece:
            footer.add_run(piece)
        if i < len(pieces) - 1:
            _field(footer, "PAGE" if i == 0 else "NUMPAGES")
    if v.footer == "-{}-":
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if v.running_header:
        section.header.paragraphs[0].text = RUNNING_HEADER
        section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _field(paragraph: Any, code: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()._r
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), ("text", "1"), ("end", None)):
        if kind in ("begin", "separate", "end"):
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif kind is None:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run.append(el)


def _scaled(grid: list[int], v: Variation) -> list[int]:
    """Label columns scaled, value columns sharing what is left (same table width)."""
    total = sum(grid)
    value_width = min(grid)
    labels = [i for i, w in enumerate(grid) if w > value_width * 1.05]
    if not labels:
        return grid
    new = list(grid)
    for i in labels:
        new[i] = round(grid[i] * (v.group_scale if grid[i] < total * 0.1 else v.label_scale))
    values = [i for i in range(len(grid)) if i not in labels]
    rest = (total - sum(new[i] for i in labels)) // max(len(values), 1)
    for i in values:
        new[i] = rest
    return new


@pytest.fixture(scope="module")
def office(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, dict[str, str]]:
    soffice = require_tool(request, "soffice")
    tmp = tmp_path_factory.mktemp("lo")
    return soffice, tmp, _env(tmp)


def to_pdf(office: tuple[str, Path, dict[str, str]], docx: bytes, name: str = "report") -> bytes:
    soffice, tmp, env = office
    src = tmp / f"{name}.docx"
    src.write_bytes(docx)
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp), str(src)],
        check=True, env=env, capture_output=True, timeout=180,
    )  # fmt: skip
    return src.with_suffix(".pdf").read_bytes()


@settings(
    max_examples=8,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: each example is a LibreOffice run
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(report=reports(), variation=variations)
@pytest.mark.slow
def test_every_cell_and_paragraph_comes_back(
    office: tuple[str, Path, dict[str, str]], report: Report, variation: Variation
) -> None:
    docx = vary(render_docx(report), variation)
    pdf = to_pdf(office, docx)
    try:
        _check(report, pdf)
    except AssertionError:  # keep the documents for a look (hypothesis does not shrink these)
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        (ARTEFACTS / "pdf-generated-failed.docx").write_bytes(docx)
        (ARTEFACTS / "pdf-generated-failed.pdf").write_bytes(pdf)
        raise


def _check(report: Report, pdf: bytes) -> None:
    result = import_bytes(pdf, name="report.pdf")
    got = result.report
    assert got is not None and result.source == "pdf"
    assert (got.meta.agency, got.meta.year, got.meta.format) == ("某某市测试局", report.meta.year, report.meta.format)
    wrong = []
    for tid in TABLES:
        for row_id, col_id in report.layout_of(tid).cell_ids():  # type: ignore[arg-type]
            want = report.table(tid).get(row_id, col_id)  # type: ignore[arg-type]
            have = got.table(tid).get(row_id, col_id)  # type: ignore[arg-type]
            if (have.state, have.raw.strip()) != (want.state, want.raw.strip()):
                wrong.append((tid, row_id, col_id, have.raw, want.raw))
    assert wrong == []
    for sid in ("s1", "s5", "s6"):
        assert got.sections[sid] == report.sections[sid], sid
    assert RUNNING_HEADER not in (got.meta.opening or "")
    notes = " ".join(d.message for d in result.diagnostics)
    assert "表三读自第" in notes and "表四读自第" in notes


def test_a_pdf_that_is_no_annual_report_is_refused(office: tuple[str, Path, dict[str, str]]) -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("关于召开2025年度工作会议的通知")
    doc.add_paragraph("各单位：定于下周一上午九时召开工作会议，请准时参加。")
    out = io.BytesIO()
    doc.save(out)
    with pytest.raises(ReportReadError, match="无法识别为政府信息公开工作年度报告"):
        import_bytes(to_pdf(office, out.getvalue(), "notice"), name="notice.pdf")
