"""Standalone HTML export: official merged headers, escaping, metadata block, draft banner, gate."""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup
from bs4.element import Tag

from gkassist.examples import load_example
from gkassist.export.gate import acknowledge_codes, export_markdown, export_report
from gkassist.export.html import META_SCRIPT_ID, render_html
from gkassist.model import Acknowledgement

EVIL = '<script>alert("x")</script>'


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def _cell(soup: BeautifulSoup, table_id: str, text: str) -> Tag:
    table = soup.find("table", id=f"table-{table_id}")
    assert isinstance(table, Tag)
    found = [c for c in table.find_all(["th", "td"]) if c.get_text() == text]
    assert found, text
    return found[0]


def _spans(cell: Tag) -> tuple[int, int]:
    return int(str(cell.get("rowspan", 1))), int(str(cell.get("colspan", 1)))


def test_table_three_header_tree_and_row_groups_2021() -> None:
    soup = _soup(render_html(load_example("example-2021")))
    assert _spans(_cell(soup, "s3", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")) == (3, 3)
    assert _spans(_cell(soup, "s3", "申请人情况")) == (1, 7)
    assert _spans(_cell(soup, "s3", "自然人")) == (2, 1)
    assert _spans(_cell(soup, "s3", "法人或其他组织")) == (1, 5)
    assert _spans(_cell(soup, "s3", "总计")) == (2, 1)
    assert _spans(_cell(soup, "s3", "三、本年度办理结果")) == (22, 1)
    assert _spans(_cell(soup, "s3", "（三）不予公开")) == (8, 1)
    assert _spans(_cell(soup, "s3", "（四）无法提供")) == (3, 1)
    assert _spans(_cell(soup, "s3", "（五）不予处理")) == (5, 1)
    assert _spans(_cell(soup, "s3", "（六）其他处理")) == (3, 1)
    assert _spans(_cell(soup, "s3", "（七）总计")) == (1, 2)
    assert _spans(_cell(soup, "s3", "一、本年新收政府信息公开申请数量")) == (1, 3)
    table = soup.find("table", id="table-s3")
    assert isinstance(table, Tag)
    assert len(table.find_all("tr")) == 3 + 25


def test_table_three_2019_and_table_four_tree() -> None:
    soup = _soup(render_html(load_example("example-2019")))
    assert _spans(_cell(soup, "s3", "三、本年度办理结果")) == (20, 1)
    assert _spans(_cell(soup, "s3", "（六）其他处理")) == (1, 2)  # a data row in 2019
    assert _spans(_cell(soup, "s4", "行政复议")) == (2, 5)
    assert _spans(_cell(soup, "s4", "行政诉讼")) == (1, 10)
    assert _spans(_cell(soup, "s4", "未经复议直接起诉")) == (1, 5)
    assert _spans(_cell(soup, "s4", "复议后起诉")) == (1, 5)
    table = soup.find("table", id="table-s4")
    assert isinstance(table, Tag)
    rows = table.find_all("tr")
    assert [len(r.find_all(["th", "td"])) for r in rows] == [2, 2, 15, 15]


def test_table_two_blocks_with_headings_and_widened_last_column() -> None:
    soup = _soup(render_html(load_example("example-2021")))
    for head in ("第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"):
        assert _spans(_cell(soup, "s2", head)) == (1, 4)
    assert _spans(_cell(soup, "s2", "本年处理决定数量")) == (1, 3)
    assert _spans(_cell(soup, "s2", "本年收费金额（单位：万元）")) == (1, 3)


def test_user_text_is_escaped_everywhere() -> None:
    report = load_example("example-2021")
    report.sections["s1"] = f"第一行{EVIL}\n第二行"
    report.meta.opening = f"开头{EVIL}"
    report.meta.agency = f"某某局{EVIL}"
    report.highlights["政务公开"] = EVIL
    report.table("s3").set("new", "natural", EVIL)
    report.acknowledgements = [Acknowledgement(code="F4", key="*", note="</script><script>alert(1)</script>")]
    html = render_html(report)
    assert "<script>alert" not in html
    assert html.count("<script") == 1  # only our JSON block
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    soup = _soup(html)
    block = soup.find("script", id=META_SCRIPT_ID)
    assert isinstance(block, Tag) and block.get("type") == "application/json"
    raw = block.string or ""
    assert "</" not in raw and "<" not in raw
    data = json.loads(raw)
    assert data["agency"] == f"某某局{EVIL}"
    assert data["acknowledgements"][0]["note"] == "</script><script>alert(1)</script>"
    assert EVIL in soup.get_text()  # shown as text


def test_standalone_page_without_external_resources_and_with_meta_tags() -> None:
    html = render_html(load_example("example-2021"))
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert not re.search(r"\b(src|href)\s*=|@import|url\(", html)
    soup = _soup(html)
    names = {str(m.get("name")): str(m.get("content")) for m in soup.find_all("meta") if m.get("name")}
    assert names["ArticleTitle"] == "某某市生态环境局2024年政府信息公开工作年度报告"
    assert names["PubDate"] == "2025-01-20" and names["gkassist-status"] == "checked"
    data = json.loads(soup.find("script", id=META_SCRIPT_ID).string)  # type: ignore[union-attr]
    assert data["contact"]["phone"] == "010-12345678" and data["format"] == "gk2021"
    assert render_html(load_example("example-2021")) == html  # deterministic


def test_draft_banner_lists_open_findings_and_gate_refuses_checked_html() -> None:
    report = load_example("example-2021")
    report.table("s3").set("new", "natural", "21")
    refused = export_report(report, "html")
    assert not refused.allowed and refused.text is None and refused.content is None
    assert {f.code for f in refused.errors} >= {"A1"}
    draft = export_report(report, "html", draft=True)
    assert draft.text is not None and draft.fmt == "html"
    banner = _soup(draft.text).find("div", class_="draft")
    assert isinstance(banner, Tag)
    assert "草稿，未经校验，不得发布。" in banner.get_text() and "A1" in banner.get_text()
    meta = json.loads(_soup(draft.text).find("script", id=META_SCRIPT_ID).string)  # type: ignore[union-attr]
    assert meta["status"] == "draft" and any(f["code"] == "A1" for f in meta["open_findings"])


def test_gate_warnings_need_acknowledgement_for_html_and_markdown_still_works() -> None:
    report = load_example("example-2021")
    report.meta.publication_date = None  # F4 warning
    assert not export_report(report, "html").allowed
    acked = acknowledge_codes(report, ["F4"])
    outcome = export_report(acked, "html")
    assert outcome.text is not None and '"code": "F4"' in outcome.text
    assert export_markdown(acked).text == export_report(acked, "md").text
