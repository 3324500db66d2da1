"""What changed between two versions: cells by their printed names, fields, sentences per section."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from gkassist.model import DeclaredFigure, ExtraRow, Report
from gkassist.places import cell_name
from gkassist.storage.history import diff_reports


def _pair() -> tuple[Report, Report]:
    old = Report.new("某某市生态环境局", 2024)
    return old, old.model_copy(deep=True)


def test_same_report_has_no_changes() -> None:
    old, new = _pair()
    diff = diff_reports(old, new, 3, 4)
    assert diff.empty
    assert diff.summary_zh() == "第3版与第4版内容相同。"


def test_cells_are_named_as_printed_old_to_new_blank_as_kongbai() -> None:
    old, new = _pair()
    old.table("s3").set("new", "natural", "5")
    new.table("s3").set("new", "natural", "7")  # changed
    new.table("s3").set("carried_in", "total", "0")  # blank → 0
    old.table("s4").set("cases", "review_upheld", "3")  # 3 → blank
    new.table("s4").set("cases", "review_upheld", None)
    diff = diff_reports(old, new, 1, 2)
    changes = [(c.place, c.old, c.new) for c in diff.cells]
    assert (cell_name("gk2021", "s3", "new", "natural"), "5", "7") in changes
    assert (cell_name("gk2021", "s3", "carried_in", "total"), "空白", "0") in changes
    assert changes[0][0] == "表三“一、本年新收政府信息公开申请数量”行“申请人情况·自然人”列"
    assert len(changes) == 3
    assert any(place.startswith("表四") and (o, n) == ("3", "空白") for place, o, n in changes)
    assert diff.summary_zh() == "从第1版到第2版，改动了表格单元格3个。"


def test_a_typed_text_that_is_not_a_number_is_shown_as_typed() -> None:
    old, new = _pair()
    new.table("s3").set("new", "biz", "/")
    old.table("s3").set("new", "research", "12")
    new.table("s3").set("new", "research", "十二")
    changes = {c.new: c.old for c in diff_reports(old, new).cells}
    assert changes == {"/": "空白", "十二": "12"}


def test_agency_sub_rows_are_named_under_their_row() -> None:
    old, new = _pair()
    parent = next(r.id for r in new.layout_of("s2").rows())
    col = new.layout_of("s2").block_of(parent).columns[0].id
    new.table("s2").extra_rows.append(ExtraRow(parent=parent, label="行政检查", cells={col: "4"}))  # type: ignore[dict-item]
    [change] = diff_reports(old, new).cells
    assert change.place == cell_name("gk2021", "s2", parent, col, "行政检查")
    assert "行政检查" in change.place and (change.old, change.new) == ("空白", "4")


def test_basic_information_fields() -> None:
    old, new = _pair()
    new.meta.contact.phone = "010-12345678"
    new.meta.publication_date = date(2025, 1, 20)
    new.meta.agency = "某某市生态环境局（新）"
    fields = [(f.place, f.old, f.new) for f in diff_reports(old, new).fields]
    assert fields == [
        ("基本信息·机关名称", "某某市生态环境局", "某某市生态环境局（新）"),
        ("基本信息·发布日期", "空白", "2025-01-20"),
        ("基本信息·联系方式·电话", "空白", "010-12345678"),
    ]


def test_sentences_changed_per_section() -> None:
    old, new = _pair()
    old.sections["s1"] = "本机关主动公开信息120条。全年未发生行政复议。加强组织领导。"
    new.sections["s1"] = "本机关主动公开信息135条。全年未发生行政复议。完善工作机制。"
    new.sections["s6"] = "无其他需要报告的事项。"
    new.highlights["政策解读"] = "发布解读3篇。"
    diff = diff_reports(old, new, 5, 9)
    by_place = {t.place: t.sentences for t in diff.texts}
    assert list(by_place) == ["一、总体情况", "六、其他需要报告的事项", "工作亮点·政策解读"]
    s1 = by_place["一、总体情况"]
    assert all(s.status != "unchanged" for s in s1)  # the unchanged sentence is not listed
    changed = [s for s in s1 if s.status == "changed"]
    assert [(s.previous, s.text) for s in changed] == [("本机关主动公开信息120条。", "本机关主动公开信息135条。")]
    assert {s.status for s in s1} - {"changed"} <= {"new", "dropped"}
    assert "完善工作机制。" in {s.text for s in s1} and "加强组织领导。" in {s.text for s in s1}
    assert [(s.status, s.text) for s in by_place["六、其他需要报告的事项"]] == [("new", "无其他需要报告的事项。")]
    assert "文字3处" in diff.summary_zh()


def test_declared_figures_and_lists() -> None:
    old, new = _pair()
    old.declared.append(DeclaredFigure(label="发布信息", value=Decimal(76), unit="条"))
    new.declared.append(DeclaredFigure(label="发布信息", value=Decimal(80), unit="条"))
    new.declared.append(DeclaredFigure(label="政策解读", value=Decimal(3), unit="篇"))
    others = diff_reports(old, new).others
    assert others == ["已申报数字“发布信息”：76条 → 80条", "已申报数字“政策解读”：空白 → 3篇"]
