"""Word export: merged cells as in the official format, official fonts, metadata, draft, gate."""

from __future__ import annotations

import io
import json
import re
import zipfile

from docx import Document

from gkassist.examples import load_example
from gkassist.export.docx import META_NS, render_docx
from gkassist.export.gate import acknowledge_codes, export_report
from gkassist.importers.docx import read_meta


def _xml(data: bytes, member: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(member).decode("utf-8")


def _tables_xml(data: bytes) -> list[str]:
    return re.findall(r"<w:tbl>.*?</w:tbl>", _xml(data, "word/document.xml"), flags=re.S)


def test_merged_cells_in_the_xml_match_the_official_layout_2021() -> None:
    s2, s3, s4 = _tables_xml(render_docx(load_example("example-2021")))
    # 表三: corner 3×3 (and its 2 continuation cells), 申请人情况 7, 法人或其他组织 5,
    # 一、二、四 spanning 3 label columns, (一)(二)(七) spanning 2
    assert s3.count("<w:gridSpan ") == 3 + 1 + 1 + 3 + 3
    assert s3.count('<w:vMerge w:val="restart"/>') == 1 + 2 + 5  # corner; 自然人, 总计; 三、(三)(四)(五)(六)
    # continuation cells: corner 2, 自然人 1, 总计 1, 三、 21, (三) 7, (四) 2, (五) 4, (六) 2
    assert s3.count("<w:vMerge/>") == 2 + 1 + 1 + 21 + 7 + 2 + 4 + 2
    # 表四: 行政复议 5×2 (restart + continuation), 行政诉讼 10, 未经复议直接起诉 5, 复议后起诉 5
    assert s4.count("<w:gridSpan ") == 5 and s4.count('<w:vMerge w:val="restart"/>') == 1
    assert s4.count("<w:vMerge/>") == 1
    # 表二: 4 block headings spanning the table; the single column of （五）（六）（八）: 3 headers + 4 values span 3
    assert s2.count('<w:gridSpan w:val="4"/>') == 4 and s2.count('<w:gridSpan w:val="3"/>') == 3 + 4


def test_merges_survive_reread_with_python_docx() -> None:
    doc = Document(io.BytesIO(render_docx(load_example("example-2019"))))
    s2, s3, s4 = doc.tables
    assert s3.cell(0, 0)._tc is s3.cell(2, 2)._tc
    assert s3.cell(0, 3)._tc is s3.cell(0, 9)._tc and s3.cell(0, 3).text == "申请人情况"
    assert s3.cell(1, 4)._tc is s3.cell(1, 8)._tc and s3.cell(1, 4).text == "法人或其他组织"
    group = s3.cell(5, 0)
    assert group.text == "三、本年度办理结果"
    assert all(s3.cell(r, 0)._tc is group._tc for r in range(5, 5 + 20))
    assert s3.cell(7, 1).text == "（三）不予公开" and s3.cell(14, 1)._tc is s3.cell(7, 1)._tc
    assert s4.cell(0, 0).text == "行政复议" and s4.cell(1, 4)._tc is s4.cell(0, 0)._tc
    assert s4.cell(0, 5).text == "行政诉讼" and s4.cell(0, 14)._tc is s4.cell(0, 5)._tc
    assert [s4.cell(1, c).text for c in (5, 10)] == ["未经复议直接起诉", "复议后起诉"]
    assert s2.cell(0, 0).text == "第二十条第（一）项" and len(s2.rows) == 5 * 2 + 8


def test_official_fonts_and_fallbacks() -> None:
    data = render_docx(load_example("example-2021"))
    styles = _xml(data, "word/styles.xml")
    for font in ("仿宋_GB2312", "黑体", "方正小标宋简体", "楷体_GB2312", "宋体"):
        assert f'w:eastAsia="{font}"' in styles
    assert "w:eastAsiaTheme" not in re.search(r'<w:style [^>]*w:styleId="Heading1".*?</w:style>', styles, re.S).group(0)  # type: ignore[union-attr]
    doc = Document(io.BytesIO(data))
    assert doc.styles["Normal"].font.size.pt == 16  # type: ignore[union-attr]
    assert doc.styles["GK 标题"].font.size.pt == 22  # type: ignore[union-attr]
    fonts = _xml(data, "word/fontTable.xml")
    assert re.search(r'w:name="仿宋_GB2312">\s*<w:altName w:val="仿宋"/>', fonts)
    assert re.search(r'w:name="方正小标宋简体">\s*<w:altName w:val="宋体"/>', fonts)
    body = [p for p in doc.paragraphs if p.text]
    assert body[0].style.name == "GK 标题" and body[0].text == "某某市生态环境局2024年政府信息公开工作年度报告"  # type: ignore[union-attr]
    assert next(p.text for p in body if p.style.name == "Heading 1") == "一、总体情况"  # type: ignore[union-attr]
    assert any(p.style.name == "GK 二级标题" and p.text.startswith("（一）") for p in body)  # type: ignore[union-attr]
    assert [p.text for p in body[-2:]] == ["某某市生态环境局", "2025年1月20日"]


def test_metadata_in_core_properties_and_custom_xml_part() -> None:
    report = load_example("example-2021")
    report.meta.publication_date = None
    acked = acknowledge_codes(report, ["F4"])
    outcome = export_report(acked, "docx")
    assert outcome.data is not None and outcome.text is None and outcome.content == outcome.data
    doc = Document(io.BytesIO(outcome.data))
    props = doc.core_properties
    assert props.title == "某某市生态环境局2024年政府信息公开工作年度报告"
    assert props.author == "某某市生态环境局" and props.category == "正式稿" and props.language == "zh-CN"
    assert META_NS in _xml(outcome.data, "customXml/gkassist-meta.xml")
    meta = read_meta(doc)
    assert meta is not None and meta["status"] == "checked"
    assert meta["acknowledgements"][0]["code"] == "F4" and meta["contact"]["postcode"] == "100000"


def test_draft_banner_header_and_gate_refusal() -> None:
    report = load_example("example-2021")
    report.table("s3").set("new", "natural", "21")
    refused = export_report(report, "docx")
    assert not refused.allowed and refused.data is None and "不能导出正式稿" in refused.refusal_zh()
    draft = export_report(report, "docx", draft=True)
    assert draft.data is not None
    doc = Document(io.BytesIO(draft.data))
    banner = [p.text for p in doc.paragraphs if p.style.name == "GK 草稿提示"]  # type: ignore[union-attr]
    assert banner[0] == "草稿，未经校验，不得发布。" and any("A1" in t for t in banner[1:])
    assert "草稿" in doc.sections[0].header.paragraphs[0].text
    assert doc.core_properties.category == "草稿"
    assert json.loads(json.dumps(read_meta(doc)))["open_findings"]


def test_control_characters_and_markup_in_text_do_not_break_the_file() -> None:
    report = load_example("example-2021")
    report.sections["s5"] = "含有\x0b控制字符\x01和<w:t>标记&符号"
    report.table("s2").set("rules", "made", "<b>")
    data = render_docx(report)
    doc = Document(io.BytesIO(data))
    assert any(p.text == "含有控制字符和<w:t>标记&符号" for p in doc.paragraphs)
    assert doc.tables[0].cell(2, 1).text == "<b>"
