"""Markdown export: determinism, lossless round trip, the gate, and the draft banner."""

from __future__ import annotations

import pytest

from gkassist.examples import load_example
from gkassist.export.gate import acknowledge_codes, export_markdown
from gkassist.export.markdown import render_markdown
from gkassist.importers.markdown import import_markdown
from gkassist.model import ExtraRow, Report


@pytest.mark.parametrize("name", ["example-2021", "example-2019"])
def test_round_trip_without_loss(name: str) -> None:
    report = load_example(name)
    text = render_markdown(report)
    back = import_markdown(text).report
    assert back is not None
    assert back.model_dump() == report.model_dump()
    assert render_markdown(back) == text


def test_round_trip_keeps_blank_na_extra_rows_and_odd_text() -> None:
    report = load_example("example-2019")
    report.table("s3").set("new", "biz", None)
    report.table("s2").set("rules", "new_made", "/")
    report.table("s2").set("central_procurement", "proc_amount", "251000元")
    report.table("s2").extra_rows.append(ExtraRow(parent="other_services", label="行政检查", cells={}))
    report.table("s2").extra_rows[0].cells = {"prev_items": report.table("s2").get("rules", "new_made")}
    report.sections["s5"] = "# 不是标题\n| 竖线开头\n\n空行之后\n- 短横线开头"
    report.meta.opening = "自定义的开头段落。\n第二段。"
    back = import_markdown(render_markdown(report)).report
    assert back is not None
    assert back.model_dump() == report.model_dump()


def test_deterministic_bytes() -> None:
    assert render_markdown(load_example("example-2021")) == render_markdown(load_example("example-2021"))


def test_export_has_title_sections_tables_and_closing() -> None:
    text = render_markdown(load_example("example-2021"))
    assert "# 某某市生态环境局2024年政府信息公开工作年度报告" in text
    for title in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                  "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert f"## {title}" in text
    assert "| 一、本年新收政府信息公开申请数量 | 20 | 5 | 1 | 1 | 1 | 2 | 30 |" in text
    assert "统计期限从2024年1月1日到2024年12月31日止" in text
    assert text.rstrip().endswith("2025年1月20日")


def test_gate_refuses_errors_and_lists_them() -> None:
    report = load_example("example-2021")
    report.table("s3").set("new", "natural", "21")
    outcome = export_markdown(report)
    assert not outcome.allowed
    assert {f.code for f in outcome.errors} >= {"A1", "A3"}
    assert "不能导出正式稿" in outcome.refusal_zh()


def test_gate_needs_warnings_acknowledged_and_records_them() -> None:
    report = load_example("example-2021")
    report.meta.publication_date = None  # F4 warning
    assert not export_markdown(report).allowed
    acked = acknowledge_codes(report, ["F4"])
    outcome = export_markdown(acked)
    assert outcome.text is not None
    assert "acknowledgements:" in outcome.text and "code: F4" in outcome.text


def test_draft_export_allowed_and_marked() -> None:
    report = load_example("example-2021")
    report.table("s3").set("new", "natural", "21")
    outcome = export_markdown(report, draft=True)
    assert outcome.text is not None
    assert "草稿，未经校验" in outcome.text and "A1" in outcome.text
    back = import_markdown(outcome.text).report
    assert isinstance(back, Report) and back.table("s3").get("new", "natural").raw == "21"


def test_markdown_import_survives_truncation_and_garbage() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from gkassist.importers.result import ReportReadError

    text = render_markdown(load_example("example-2021"))

    @settings(max_examples=150, deadline=None)
    @given(cut=st.integers(0, len(text)), junk=st.text(max_size=30))
    def run(cut: int, junk: str) -> None:
        try:
            import_markdown(text[:cut] + junk)
        except ReportReadError as exc:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc))

    run()
