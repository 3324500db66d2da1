"""Publishing formats agree: report → .docx / HTML / markdown → import gives the same report;
the CLI picks the format from the output file's extension and reads .docx input."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from gkassist.cli import main
from gkassist.examples import load_example
from gkassist.export.docx import render_docx
from gkassist.export.gate import export_report
from gkassist.export.html import render_html
from gkassist.export.markdown import render_markdown
from gkassist.importers import ImportResult, ReportReadError, import_bytes
from gkassist.importers.docx import is_docx, table_lines
from gkassist.layouts import FormatId
from gkassist.model import Acknowledgement, Contact, DeclaredFigure, ExtraRow, Report

NARRATIVE = ("s1", "s5", "s6")


def distinctive_report(fmt: FormatId = "gk2021") -> Report:
    """A complete report whose every table cell holds a different 3-digit number (101, 102, …)."""
    year = 2024 if fmt == "gk2021" else 2020
    report = Report.new("某某市测试局", year, fmt)
    report.meta.publication_date = date(year + 1, 1, 18)
    report.meta.contact = Contact(
        office="某某市测试局办公室", address="某某市建设路8号", postcode="100001", phone="010-87654321"
    )
    n = 101
    for tid in ("s2", "s3", "s4"):
        for row_id, col_id in report.layout_of(tid).cell_ids():  # type: ignore[arg-type]
            report.table(tid).set(row_id, col_id, str(n))  # type: ignore[arg-type]
            n += 1
    report.sections = {
        "s1": "本年度，我局认真贯彻落实《条例》。\n（一）主动公开\n全年主动公开政府信息356条。\n（二）依申请公开\n依法答复申请。",
        "s5": "存在的主要问题：公开内容不够全面。\n改进措施：加强培训。",
        "s6": "本年度未收取信息处理费。",
    }
    return report


def odd_report() -> Report:
    """The example with blank and "/" cells, units, an extra row and awkward narrative lines."""
    report = load_example("example-2019")
    report.table("s3").set("new", "biz", None)
    report.table("s2").set("rules", "new_made", "/")
    report.table("s2").set("central_procurement", "proc_amount", "251000元")
    report.table("s2").set("licensing", "delta", "+12")
    report.table("s2").extra_rows.append(ExtraRow(parent="other_services", label="行政检查", cells={}))
    report.table("s2").extra_rows[0].cells = {"prev_items": report.table("s2").get("rules", "new_made")}
    report.sections["s5"] = "# 不是标题\n| 竖线开头\n\n空行之后\n- 短横线开头\n  前导空格"
    report.meta.opening = "自定义的开头段落。\n第二段。"
    report.declared = [DeclaredFigure(label="发布各类信息", value=76, unit="条")]  # type: ignore[arg-type]
    report.acknowledgements = [Acknowledgement(code="F4", key="*", message="未填写发布日期", note="已核实 </script>")]
    return report


def norm_text(text: str) -> str:
    """Narrative as a portal page keeps it: no empty lines, no leading or trailing spaces."""
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def read(data: bytes, name: str) -> ImportResult:
    result = import_bytes(data, name=name)
    assert result.report is not None
    return result


def cells_of(report: Report) -> dict[tuple[str, str, str], str]:
    return {
        (tid, r, c): report.table(tid).get(r, c).raw  # type: ignore[arg-type]
        for tid in ("s2", "s3", "s4")
        for r, c in report.layout_of(tid).cell_ids()  # type: ignore[arg-type]
    }


# ---------------------------------------------------------------------------- .docx


@pytest.mark.parametrize(
    "make", [lambda: load_example("example-2021"), lambda: load_example("example-2019"), distinctive_report, odd_report]
)
def test_docx_round_trip_is_lossless(make) -> None:  # type: ignore[no-untyped-def]
    report = make()
    back = read(render_docx(report), "报告.docx").report
    assert back is not None
    assert cells_of(back) == cells_of(report)
    assert {s: back.section(s) for s in NARRATIVE} == {s: report.section(s) for s in NARRATIVE}
    assert back.meta == report.meta
    assert back.model_dump(exclude={"sections"}) == report.model_dump(exclude={"sections"})


def test_docx_is_sniffed_without_a_name_and_draft_banner_is_not_read_as_text() -> None:
    report = distinctive_report()
    report.table("s3").set("new", "natural", "1")  # breaks the identities: a draft with open errors
    outcome = export_report(report, "docx", draft=True)
    assert outcome.data is not None and outcome.open_findings
    assert is_docx(outcome.data) and not is_docx(b"PK\x03\x04junk")
    back = read(outcome.data, "").report
    assert back is not None and cells_of(back) == cells_of(report)
    assert back.meta == report.meta
    assert not any("草稿" in back.section(s) for s in NARRATIVE)


def test_foreign_docx_without_our_metadata_is_read_from_the_body() -> None:
    """A .docx we did not write (here: ours with the metadata part removed, styles renamed)."""
    report = distinctive_report()
    doc = Document(io.BytesIO(render_docx(report)))
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/customXml"):
            doc.part.drop_rel(rid)
    for p in doc.paragraphs:
        p.style = doc.styles["Normal"]
    buf = io.BytesIO()
    doc.save(buf)
    result = read(buf.getvalue(), "去年的报告.docx")
    back = result.report
    assert back is not None and result.source == "docx"
    assert cells_of(back) == cells_of(report)
    assert back.meta.agency == "某某市测试局" and back.meta.year == 2024
    assert back.meta.contact.phone == "010-87654321"
    assert back.meta.publication_date == date(2025, 1, 18)
    assert back.section("s1") == report.section("s1")


def test_table_lines_keep_merged_cells_once_and_blanks_explicit() -> None:
    doc = Document()
    t = doc.add_table(rows=3, cols=4)
    t.cell(0, 0).merge(t.cell(2, 0)).text = "三、本年度办理结果"
    t.cell(0, 1).merge(t.cell(0, 3)).text = "申请人情况"
    t.cell(1, 1).text, t.cell(1, 3).text = "5", "7"  # (1, 2) stays blank
    t.cell(2, 1).text, t.cell(2, 2).text, t.cell(2, 3).text = "1", "2", "3"
    lines = table_lines(t)
    assert [ln.cells for ln in lines] == [("三、本年度办理结果", "申请人情况"), ("5", "", "7"), ("1", "2", "3")]


def test_damaged_docx_is_refused_in_chinese() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document>不完整")
    assert is_docx(buf.getvalue())
    with pytest.raises(ReportReadError, match="Word 文件"):
        import_bytes(buf.getvalue(), name="坏文件.docx")


# ---------------------------------------------------------------------------- HTML and agreement


@pytest.mark.parametrize("make", [lambda: load_example("example-2021"), distinctive_report, odd_report])
def test_html_round_trip_same_figures_and_text(make) -> None:  # type: ignore[no-untyped-def]
    report = make()
    back = read(render_html(report).encode("utf-8"), "报告.html").report
    assert back is not None
    assert cells_of(back) == cells_of(report)
    assert {s: back.section(s) for s in NARRATIVE} == {s: norm_text(report.section(s)) for s in NARRATIVE}
    assert (back.meta.agency, back.meta.year, back.meta.publication_date) == (
        report.meta.agency, report.meta.year, report.meta.publication_date,
    )  # fmt: skip
    extra = [
        (e.parent, e.label.removeprefix("其中："), {k: v for k, v in e.cells.items() if v.raw})
        for e in back.table("s2").extra_rows
    ]
    assert extra == [(e.parent, e.label, e.cells) for e in report.table("s2").extra_rows]


@pytest.mark.parametrize("make", [lambda: load_example("example-2021"), distinctive_report, odd_report])
def test_markdown_html_docx_agree_on_every_cell_and_section(make) -> None:  # type: ignore[no-untyped-def]
    report = make()
    files = {
        "md": render_markdown(report).encode("utf-8"),
        "html": render_html(report).encode("utf-8"),
        "docx": render_docx(report),
    }
    backs = {fmt: read(data, f"r.{fmt}").report for fmt, data in files.items()}
    reference = cells_of(report)
    assert len(reference) >= 200 or report.meta.format == "gk2019"
    for back in backs.values():
        assert back is not None
        assert cells_of(back) == reference
    texts = {fmt: tuple(b.section(s) for s in NARRATIVE) for fmt, b in backs.items() if b}
    assert texts["md"] == texts["docx"] == tuple(report.section(s) for s in NARRATIVE)
    assert texts["html"] == tuple(norm_text(t) for t in texts["md"])


# ---------------------------------------------------------------------------- CLI


def _save(report: Report, path: Path) -> Path:
    path.write_text(report.model_dump_json(), encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".md", ".html", ".docx"])
def test_cli_export_picks_format_by_extension(tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    src = _save(load_example("example-2021"), tmp_path / "r.json")
    out = tmp_path / f"报告{suffix}"
    assert main(["export", str(src), "-o", str(out)]) == 0
    data = out.read_bytes()
    if suffix == ".docx":
        assert data.startswith(b"PK\x03\x04") and is_docx(data)
    elif suffix == ".html":
        assert data.startswith(b"<!DOCTYPE html>")
    else:
        assert data.startswith(b"---\n")
    assert "已导出正式稿" in capsys.readouterr().out
    back = read(data, out.name).report
    assert back is not None and cells_of(back) == cells_of(load_example("example-2021"))


def test_cli_accepts_docx_input_and_refuses_unknown_suffix_and_open_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docx_path = tmp_path / "去年.docx"
    docx_path.write_bytes(render_docx(load_example("example-2021")))
    assert main(["check", str(docx_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) is not None
    assert main(["export", str(docx_path), "-o", str(tmp_path / "今年.html")]) == 0
    assert main(["export", str(docx_path), "-o", str(tmp_path / "今年.pdf")]) == 2
    assert ".docx" in capsys.readouterr().err
    bad = load_example("example-2021")
    bad.table("s3").set("new", "natural", "21")
    src = _save(bad, tmp_path / "bad.json")
    assert main(["export", str(src), "-o", str(tmp_path / "bad.docx")]) == 1
    assert not (tmp_path / "bad.docx").exists()
    assert "不能导出正式稿" in capsys.readouterr().err
    assert main(["export", str(src), "-o", str(tmp_path / "draft.docx"), "--draft"]) == 0
    assert is_docx((tmp_path / "draft.docx").read_bytes())
