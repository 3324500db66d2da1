"""Where the pages place review comments: on the cell, on the sentence they quoted (or apart, when
it has been rewritten), the open-comment line and the grid's comment marks."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine

from gkassist.model import Report
from gkassist.storage.comments import MAX_QUOTE, Anchor, Comment, open_count
from gkassist.ui import comments_view

AT = datetime(2026, 12, 1, 8, 0)
TEXT = "（一）主动公开\n全年主动公开信息120条。\n依法规范办理申请。\n（二）依申请公开\n依法规范办理申请。"


def comment(anchor: Anchor, body: str = "请核实。", resolved: bool = False, cid: int = 1) -> Comment:
    return Comment(id=cid, report_id=1, anchor=anchor, body=body, author="rev1", author_name="李审核", created_at=AT,
                   resolved_by="clerk1" if resolved else None, resolved_at=AT if resolved else None)


def test_a_cell_anchor_quotes_the_cells_name_and_value() -> None:
    report = Report.new("某某市生态环境局", 2024)
    report.table("s3").set("new", "natural", "12")
    anchor = comments_view.cell_anchor(report, "s3.new.natural")
    assert anchor.quote.startswith("表三“") and anchor.quote.endswith("”列：12")
    c = comment(anchor)
    assert comments_view.place_name(c) == anchor.quote.rsplit("：", 1)[0]
    assert comments_view.cell_value_then(c) == "12"
    report.table("s3").set("new", "natural", "")
    assert comments_view.cell_value_now(report, c) == comments_view.BLANK  # a blank is said, never shown as 0
    choices = comments_view.cell_choices(report, "s3")
    assert "s3.new.natural" in choices and len(choices) > 50
    assert all(address.startswith("s3.") for address in choices)


def test_sentence_comments_sit_on_the_sentence_they_quoted() -> None:
    sentences = comments_view.sentences(TEXT)
    repeated = [i for i, s in enumerate(sentences) if s == "依法规范办理申请。"]
    assert len(repeated) == 2
    first = comment(comments_view.sentence_anchor("s1", TEXT, repeated[0]), cid=1)
    second = comment(comments_view.sentence_anchor("s1", TEXT, repeated[1]), cid=2)
    other_section = comment(Anchor.sentence("s5", 0, "依法规范办理申请。"), cid=3)
    placed, gone = comments_view.for_section([first, second, other_section], "s1", TEXT)
    assert [[c.id for c in p.comments] for p in placed] == [[1], [2]]  # a repeated sentence: each at its own place
    assert [TEXT[p.start:p.end] for p in placed] == ["依法规范办理申请。", "依法规范办理申请。"]
    assert gone == []

    # a sentence inserted before: the comment follows its sentence, not its old index
    earlier = "新增的一句话。" + TEXT
    placed, _ = comments_view.for_section([first], "s1", earlier)
    assert placed[0].sentence == "依法规范办理申请。" and placed[0].start > TEXT.index("依法规范")

    rewritten = TEXT.replace("全年主动公开信息120条。", "全年主动公开信息130条。")
    on_figure = comment(comments_view.sentence_anchor("s1", TEXT, 1))
    placed, gone = comments_view.for_section([on_figure], "s1", rewritten)
    assert placed == [] and gone == [on_figure]
    assert comments_view.place_name(on_figure) == "一、总体情况第2句"


def test_a_very_long_sentence_is_quoted_by_its_beginning_and_still_found() -> None:
    text = "本机关" + "认真" * MAX_QUOTE + "。"
    anchor = comments_view.sentence_anchor("s1", text, 0)
    assert len(anchor.quote) == MAX_QUOTE
    placed, gone = comments_view.for_section([comment(anchor)], "s1", text)
    assert len(placed) == 1 and gone == []


def test_open_line_and_grid_marks() -> None:
    cell = Anchor.cell("s3.new.natural", "表三…：12")
    listed = [
        comment(cell, "第一条。", cid=1),
        comment(cell, "第二条。", cid=2),
        comment(Anchor.cell("s3.new.biz", "表三…：3"), resolved=True, cid=3),
        comment(Anchor.cell("s4.r_review.total", "表四…：1"), cid=4),
        comment(Anchor.report(), cid=5),
    ]
    here = comments_view.for_table(listed, "s3")
    assert [c.id for c in here] == [1, 2, 3]
    line = comments_view.open_line(listed, here, "本表")
    assert line.startswith("本报告有4条未解决的审核意见（本表2条）") and "不能通过审核" in line
    assert comments_view.open_line([listed[2]]) == ""
    notes = comments_view.sheet_notes(listed, "s3")
    assert list(notes) == ["s3.new.natural"]  # resolved comments leave no mark
    assert notes["s3.new.natural"] == "审核意见（李审核（rev1））：第一条。\n审核意见（李审核（rev1））：第二条。"
    assert comments_view.gist("很长" * 100).endswith("…") and len(comments_view.gist("很长" * 100)) == 80


def test_open_count_on_a_database_where_no_comment_was_ever_made(tmp_path: Path) -> None:
    """Asked inside the approval's transaction, before any comment table exists: nothing is open."""
    from gkassist.storage import ReportStore

    store = ReportStore(f"sqlite:///{tmp_path / 'gk.db'}")
    engine = create_engine(store.url)
    with engine.begin() as conn:
        assert open_count(conn, 1) == 0
