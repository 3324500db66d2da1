"""Ruled tables on synthetic cell boxes: merged cells, vertical group labels, wrapped
labels, blank cells, and tables continued over a page break."""

from __future__ import annotations

from gkassist.importers.pdf.glyphs import Glyph
from gkassist.importers.pdf.tables import (
    Cell,
    GridTable,
    append_continuation,
    build_table,
    continues,
    row_line,
    table_kind,
    table_lines,
)
from tests.pdf_helpers import glyph_run

SIZE = 8.0
Spec = tuple[float, float, float, float, str]  # x0, top, x1, bottom, text


def _cell_glyphs(x0: float, top: float, x1: float, bottom: float, text: str) -> list[Glyph]:
    """The text set inside a cell box, wrapped to the box's width like Word wraps it."""
    per_line = max(1, int((x1 - x0 - 4) // SIZE))
    chunks = [text[i : i + per_line] for i in range(0, len(text), per_line)]
    start = (top + bottom) / 2 - len(chunks) * (SIZE + 1) / 2
    return [g for i, chunk in enumerate(chunks) for g in glyph_run(chunk, x0 + 2, start + i * (SIZE + 1), SIZE)]


def _table(specs: list[Spec], page: int = 1) -> GridTable:
    boxes = [(x0, top, x1, bottom) for x0, top, x1, bottom, _ in specs]
    glyphs = [g for x0, top, x1, bottom, text in specs if text for g in _cell_glyphs(x0, top, x1, bottom, text)]
    table, rest = build_table(boxes, glyphs, page)
    assert table is not None and rest == []
    return table


def _cells(table: GridTable) -> list[tuple[str, ...]]:
    return [line.cells or () for line in table_lines(table)]


COLS = (70.0, 95.0, 140.0, 250.0, 290.0, 330.0)  # group | sub-group | label | value | value
HEADER: list[Spec] = [(70, 80, 250, 100, "（本列数据的勾稽关系）"), (250, 80, 330, 100, "申请人情况")]


def test_merged_cells_count_once_and_empty_cells_stay_empty() -> None:
    table = _table(
        [
            *HEADER,
            (70, 100, 250, 120, "一、本年新收政府信息公开申请数量"),
            (250, 100, 290, 120, "3"),
            (290, 100, 330, 120, ""),
            (70, 120, 95, 180, "三、本年度"),  # a group label set one character per line
            (95, 120, 250, 140, "（一）予以公开"),
            (250, 120, 290, 140, "1"),
            (290, 120, 330, 140, "2"),
            (95, 140, 140, 180, "（三）不予公开"),  # wrapped by the narrow column
            (140, 140, 250, 160, "1.属于国家秘密"),
            (250, 140, 290, 160, ""),
            (290, 140, 330, 160, "0"),
            (140, 160, 250, 180, "2.其他法律行政法规禁止公开"),
            (250, 160, 290, 180, "4"),
            (290, 160, 330, 180, "5"),
        ]
    )
    assert _cells(table) == [
        ("（本列数据的勾稽关系）", "申请人情况"),
        ("一、本年新收政府信息公开申请数量", "3", ""),
        ("三、本年度", "（一）予以公开", "1", "2"),
        ("（三）不予公开", "1.属于国家秘密", "", "0"),
        ("2.其他法律行政法规禁止公开", "4", "5"),
    ]
    assert table_kind(table) == "s3"


def test_boxes_that_are_one_column_are_no_table() -> None:
    glyphs = glyph_run("（五）政府信息公开监督保障情况。", 80, 105, SIZE)
    table, rest = build_table([(74, 100, 518, 128), (74, 128, 518, 156)], glyphs, 1)
    assert table is None and rest == glyphs


def test_glyphs_outside_the_table_are_left_for_the_text() -> None:
    inside = glyph_run("规章", 72, 104, SIZE)
    outside = glyph_run("二、主动公开政府信息情况", 72, 60, SIZE)
    table, rest = build_table([(70, 100, 250, 120), (250, 100, 330, 120)], inside + outside, 1)
    assert table is not None and rest == outside


def test_row_line_leaves_out_blank_label_columns_but_keeps_blank_values() -> None:
    def cells(*texts: str) -> list[Cell]:
        return [Cell(0, i, 0, 0, 0, 0, t) for i, t in enumerate(texts)]

    line = row_line(cells("", "", "2.没有现成信息需要另行制作", "", "11"))
    assert line is not None and line.cells == ("2.没有现成信息需要另行制作", "", "11")
    line = row_line(cells("", "72", "", "178"))  # 表四's data row: no label, a leading blank is a value
    assert line is not None and line.cells == ("", "72", "", "178")
    assert row_line(cells("", "", "")) is None


def _page_one() -> GridTable:
    return _table(
        [
            *HEADER,
            (70, 100, 95, 140, "三、本年度"),
            (95, 100, 140, 120, "（三）不予公开"),
            (140, 100, 250, 120, "8.属于行政查询事项"),
            (250, 100, 290, 120, "5"),
            (290, 100, 330, 120, "6"),
            (95, 120, 140, 140, "（四）无"),
            (140, 120, 250, 140, "1.本机关不掌握相关政府信息"),
            (250, 120, 290, 140, "7"),
            (290, 120, 330, 140, "8"),
        ],
        page=1,
    )


def test_a_table_continued_on_the_next_page_drops_the_repeated_header_and_joins_a_cut_label() -> None:
    first = _page_one()
    second = _table(
        [
            *HEADER,
            (70, 100, 95, 140, ""),  # the rest of the vertical group label: empty on this page
            (95, 100, 140, 140, "法提供"),
            (140, 100, 250, 120, "2.没有现成信息需要另行制作"),
            (250, 100, 290, 120, "9"),
            (290, 100, 330, 120, ""),
            (140, 120, 250, 140, "3.补正后申请内容仍不明确"),
            (250, 120, 290, 140, "1"),
            (290, 120, 330, 140, "2"),
        ],
        page=2,
    )
    assert continues(first, second)
    append_continuation(first, second)
    assert first.pages == [1, 2]
    assert _cells(first) == [
        ("（本列数据的勾稽关系）", "申请人情况"),
        ("三、本年度", "（三）不予公开", "8.属于行政查询事项", "5", "6"),
        ("（四）无法提供", "1.本机关不掌握相关政府信息", "7", "8"),
        ("2.没有现成信息需要另行制作", "9", ""),
        ("3.补正后申请内容仍不明确", "1", "2"),
    ]
    assert any("重复了表头" in n for n in first.notes)
    assert any("“（四）无”（第1页）与“法提供”（第2页）" in n and "（四）无法提供" in n for n in first.notes)


def test_a_row_cut_by_the_page_break_is_one_row() -> None:
    first = _table(
        [
            *HEADER,
            (70, 100, 250, 120, "二、上年结转政府信息公开申请数量"),
            (250, 100, 290, 120, "4"),
            (290, 100, 330, 120, "0"),
            (70, 120, 250, 140, "一、本年新收政府信息公开"),
            (250, 120, 290, 140, ""),
            (290, 120, 330, 140, ""),
        ]
    )
    second = _table(
        [
            (70, 60, 250, 80, "申请数量"),
            (250, 60, 290, 80, "3"),
            (290, 60, 330, 80, ""),
            (70, 80, 250, 100, "（一）予以公开"),
            (250, 80, 290, 100, "1"),
            (290, 80, 330, 100, "2"),
        ],
        page=2,
    )
    append_continuation(first, second)
    assert _cells(first)[2:] == [("一、本年新收政府信息公开申请数量", "3", ""), ("（一）予以公开", "1", "2")]


def test_tables_with_different_sides_are_separate_tables() -> None:
    first = _page_one()
    other = _table([(120, 60, 300, 80, "行政复议"), (300, 60, 480, 80, "行政诉讼")], page=2)
    assert not continues(first, other)


def test_numbers_wrapped_in_a_row_cut_by_the_page_break_are_put_back_together() -> None:
    first = _table(
        [
            *HEADER,
            (70, 100, 250, 120, "二、上年结转政府信息公开申请数量"),
            (250, 100, 290, 120, "9373"),
            (290, 100, 330, 120, ""),
        ]
    )
    second = _table([(70, 60, 250, 80, ""), (250, 60, 290, 80, "6"), (290, 60, 330, 80, "12")], page=2)
    append_continuation(first, second)
    assert _cells(first)[1:] == [("二、上年结转政府信息公开申请数量", "93736", "12")]
    assert any("被分页截断" in n for n in first.notes)


def test_a_row_cut_inside_a_group_carries_its_label_numbers_and_group_label_pieces_back() -> None:
    """A row cut by the page break inside a group (its vertical label set in a merged cell that
    reaches the foot of the page): the next page's first row holds the rest of the group label,
    the rest of the row label and the last digits of the numbers that wrapped. All of it goes
    back to the cut row; no digit is lost and no extra row appears."""
    first = _table(
        [
            *HEADER,
            (70, 100, 95, 140, "（四）无"),  # the group label, merged down two rows to the foot of the page
            (95, 100, 250, 120, "1.本机关不掌握相关政府信息"),
            (250, 100, 290, 120, "5"),
            (290, 100, 330, 120, "6"),
            (95, 120, 250, 140, "2.没有现成信息需"),
            (250, 120, 290, 140, "8999"),
            (290, 120, 330, 140, "7"),
        ]
    )
    second = _table(
        [
            (70, 60, 95, 80, "法提"),
            (95, 60, 250, 80, "要另行制作"),
            (250, 60, 290, 80, "0"),
            (290, 60, 330, 80, ""),
            (70, 80, 95, 150, "（五）不予处理"),
            (95, 80, 250, 150, "1.信访举报投诉类申请"),
            (250, 80, 290, 150, "3"),
            (290, 80, 330, 150, "4"),
        ],
        page=2,
    )
    append_continuation(first, second)
    assert _cells(first)[1:] == [
        ("（四）无法提", "1.本机关不掌握相关政府信息", "5", "6"),
        ("2.没有现成信息需要另行制作", "89990", "7"),
        ("（五）不予处理", "1.信访举报投诉类申请", "3", "4"),
    ]
    assert any("被分页截断" in n for n in first.notes)


def test_a_new_group_at_the_top_of_the_next_page_is_not_joined_to_the_cut_group() -> None:
    first = _table(
        [
            *HEADER,
            (70, 100, 95, 180, "（四）无法提供"),
            (95, 100, 250, 140, "1.本机关不掌握相关政府信息"),
            (250, 100, 290, 140, "5"),
            (290, 100, 330, 140, "6"),
            (95, 140, 250, 180, "2.没有现成信息需要另行制作"),
            (250, 140, 290, 180, "7"),
            (290, 140, 330, 180, "8"),
        ]
    )
    second = _table(
        [
            (70, 60, 95, 130, "（五）不予处理"),
            (95, 60, 250, 130, "1.信访举报投诉类申请"),
            (250, 60, 290, 130, "3"),
            (290, 60, 330, 130, "4"),
        ],
        page=2,
    )
    append_continuation(first, second)
    assert _cells(first)[-1] == ("（五）不予处理", "1.信访举报投诉类申请", "3", "4")
    assert _cells(first)[-2] == ("2.没有现成信息需要另行制作", "7", "8")


def test_numbers_under_a_header_row_on_the_next_page_are_a_row_of_their_own() -> None:
    # 表四: the last row on the page is the column header, the data row is on the next page
    header = [(70, 100, 130, 120, "结果维持"), (130, 100, 190, 120, "结果纠正"), (190, 100, 250, 120, "总计")]
    first = _table([(70, 80, 250, 100, "行政复议"), *header])
    second = _table([(70, 60, 130, 80, ""), (130, 60, 190, 80, "3"), (190, 60, 250, 80, "3")], page=2)
    append_continuation(first, second)
    assert _cells(first)[-1] == ("", "3", "3")


def test_table_four_data_row_cut_by_the_page_break_is_one_row() -> None:
    header = [(70, 80, 130, 100, "结果维持"), (130, 80, 190, 100, "结果纠正"), (190, 80, 250, 100, "总计")]
    first = _table([*header, (70, 100, 130, 120, "809"), (130, 100, 190, 120, ""), (190, 100, 250, 120, "417")])
    second = _table([(70, 60, 130, 80, ""), (130, 60, 190, 80, ""), (190, 60, 250, 80, "0")], page=2)
    append_continuation(first, second)
    assert _cells(first) == [("结果维持", "结果纠正", "总计"), ("809", "", "4170")]


def test_ruling_lines_come_from_lines_thin_boxes_and_stroked_boxes_but_not_shading() -> None:
    from types import SimpleNamespace

    from gkassist.importers.pdf.source import rules

    def box(x0: float, top: float, x1: float, bottom: float, stroke: bool) -> dict[str, object]:
        return {"x0": x0, "top": top, "x1": x1, "bottom": bottom, "stroke": stroke, "fill": not stroke}

    page = SimpleNamespace(
        lines=[{"pts": [(70, 100), (330, 100)], "x0": 70, "top": 100, "x1": 330, "bottom": 100}],
        rects=[
            box(70, 119.7, 330, 120.3, stroke=False),  # a border drawn as a thin filled box
            box(249.8, 100, 250.2, 140, stroke=False),
            box(74, 200, 518, 228, stroke=False),  # shading behind a paragraph: no border
            box(70, 300, 330, 340, stroke=True),  # a stroked cell: four borders
        ],
        curves=[{"pts": [(70, 400), (330, 400), (330, 420)]}],  # a path: two straight pieces
    )
    found = sorted(
        (e["orientation"], round(e["x0"]), round(e["top"]), round(e["x1"]), round(e["bottom"])) for e in rules(page)
    )
    assert found == [
        ("h", 70, 100, 330, 100),
        ("h", 70, 120, 330, 120),
        ("h", 70, 300, 330, 300),
        ("h", 70, 340, 330, 340),
        ("h", 70, 400, 330, 400),
        ("v", 70, 300, 70, 340),
        ("v", 250, 100, 250, 140),
        ("v", 330, 300, 330, 340),
        ("v", 330, 400, 330, 420),
    ]


def test_a_label_cut_into_a_fragment_and_a_word_that_is_also_a_label_is_joined() -> None:
    """（七）总计 cut by the page break: （七） with the row's numbers at the foot of one page, 总计
    (itself a column label) alone at the top of the next. The fragment joins its rest; the
    numbers stay with the row, and the row after it is its own."""
    first = _table(
        [
            *HEADER,
            (70, 100, 95, 120, "三、本年度"),
            (95, 100, 250, 120, "（六）其他处理"),
            (250, 100, 290, 120, "5"),
            (290, 100, 330, 120, "6"),
            (95, 120, 250, 140, "（七）"),
            (250, 120, 290, 140, "7"),
            (290, 120, 330, 140, ""),
        ],
        page=1,
    )
    second = _table(
        [
            *HEADER,
            (70, 100, 95, 120, ""),
            (95, 100, 250, 120, "总计"),
            (250, 100, 290, 120, ""),
            (290, 100, 330, 120, ""),
            (70, 120, 250, 140, "四、结转下年度继续办理"),
            (250, 120, 290, 140, "3"),
            (290, 120, 330, 140, "4"),
        ],
        page=2,
    )
    assert continues(first, second)
    append_continuation(first, second)
    rows = [r for r in _cells(first) if any(r)]
    assert ("（七）总计", "7", "") in rows
    assert ("四、结转下年度继续办理", "3", "4") in rows
    assert not any(r and r[0] == "总计" for r in rows)
    assert any("“（七）”（第1页）与“总计”（第2页）" in n for n in first.notes)
