"""PDF text geometry on synthetic glyphs: spelling a line (justification spaces), joining
wrapped lines into paragraphs, and removing page numbers and running headers/footers."""

from __future__ import annotations

import pytest

from gkassist.importers.pdf.furniture import is_page_number, strip_furniture
from gkassist.importers.pdf.glyphs import Glyph, TextLine, block_text, join_wrapped, rotated_text, spell
from gkassist.importers.pdf.paragraphs import measure, paragraphs
from tests.pdf_helpers import glyph_run, line, lines_of

# ---------------------------------------------------------------------------- spelling a line


def test_justified_chinese_is_rejoined() -> None:
    # justified text: room between every character, sometimes as space glyphs
    assert spell(glyph_run("政府信息公开", 74, 100, gap=4.0))[0] == "政府信息公开"
    assert spell(glyph_run("政 府 信 息", 74, 100, gap=1.0))[0] == "政府信息"


def test_spaces_between_numbers_and_chinese_go_but_latin_words_keep_theirs() -> None:
    assert spell(glyph_run("2024 年 1 月", 74, 100))[0] == "2024年1月"
    assert spell(glyph_run("ISO 9001 Page 2", 74, 100))[0] == "ISO 9001 Page 2"
    assert spell(glyph_run("电话：0517-83605210", 74, 100))[0] == "电话：0517-83605210"


def test_numbers_spread_by_distributed_alignment_stay_one_number() -> None:
    assert spell(glyph_run("2024年", 74, 100, gap=12.0))[0] == "2024年"


def test_a_layout_gap_is_kept_and_marked() -> None:
    label = glyph_run("一、本年新收政府信息公开申请数量", 74, 100)
    values = glyph_run("3001", 420, 100) + glyph_run("53", 470, 100)
    text, wide = spell(label + values)
    assert text == "一、本年新收政府信息公开申请数量 3001 53"
    assert wide


def test_fonts_at_slightly_different_heights_share_a_line() -> None:
    # WPS sets Latin digits about a point lower than the Chinese around them
    glyphs = glyph_run("年，我市坚持", 141, 472) + glyph_run("2024", 106, 473.2) + glyph_run("指导", 74, 500)
    assert lines_of(glyphs) == ["2024年，我市坚持", "指导"]


def test_fake_bold_double_glyphs_are_read_once() -> None:
    glyphs = glyph_run("总体情况", 74, 100)
    doubled = sorted(
        glyphs + [Glyph(g.text, g.x0 + 0.3, g.x1 + 0.3, g.top, g.bottom, g.size) for g in glyphs], key=lambda g: g.x0
    )
    assert spell(doubled)[0] == "总体情况"


def test_wrapped_lines_join_without_a_space_except_between_latin_words() -> None:
    assert join_wrapped("全年主动公开政府", "信息356条") == "全年主动公开政府信息356条"
    assert join_wrapped("共受理申请", "3119件") == "共受理申请3119件"
    assert join_wrapped("电话：0517-", "83605210") == "电话：0517-83605210"
    assert join_wrapped("Microsoft", "Word") == "Microsoft Word"


def test_a_label_set_one_character_per_line_reads_as_one_word() -> None:
    glyphs = [
        g
        for i, ch in enumerate(["三、", "本", "年", "度", "办", "理", "结", "果"])
        for g in glyph_run(ch, 80, 400 + 14 * i, size=10.5)
    ]
    assert block_text(glyphs) == "三、本年度办理结果"
    wrapped = glyph_run("（二）部分公开（区分处理的，只计这一情", 100, 200, 10.5) + glyph_run(
        "形，不计其他情形）", 100, 213, 10.5
    )
    assert block_text(wrapped) == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"


def test_rotated_text_reads_down_the_page_right_column_first() -> None:
    def column(text: str, x: float) -> list[Glyph]:
        return [
            Glyph(ch, x, x + 10, 100 + 10 * i, 110 + 10 * i, 10, upright=False, downward=True)
            for i, ch in enumerate(text)
        ]

    assert rotated_text(column("无法提供", 60) + column("（四）", 75)) == "（四）无法提供"
    assert block_text(column("不予处理", 60)) == "不予处理"


# ---------------------------------------------------------------------------- paragraphs


LEFT, RIGHT = 74.0, 518.0


def _body(text: str, top: float, page: int = 1, indent: bool = False, full: bool = True) -> TextLine:
    x0 = LEFT + 32 if indent else LEFT
    return line(text, x0, top, page, x1=RIGHT if full else None)


def _paragraphs(lines: list[TextLine]) -> list[str]:
    return paragraphs(lines, measure(lines))


def test_lines_wrapped_mid_sentence_are_joined_and_paragraphs_start_with_an_indent() -> None:
    lines = [
        _body("一、总体情况", 100, indent=True, full=False),
        _body("2024年，我市坚持以习近平新时代中国特色社会主义思想为", 128, indent=True),
        _body("指导，认真学习宣传贯彻党的二十大和二十届二中、三中全会精", 156),
        _body("神，圆满完成了各项任务。", 184, full=False),
        _body("（一）主动公开情况。全年主动公开政府信息5500余条，全年新", 212, indent=True),
        _body("增公开市政府规章1件。", 240, full=False),
    ]
    assert _paragraphs(lines) == [
        "一、总体情况",
        "2024年，我市坚持以习近平新时代中国特色社会主义思想为指导，认真学习宣传贯彻党的二十大和二十届二中、三中全会精神，圆满完成了各项任务。",
        "（一）主动公开情况。全年主动公开政府信息5500余条，全年新增公开市政府规章1件。",
    ]


def test_a_sentence_carries_over_a_page_break() -> None:
    lines = [
        _body("对照上级新要求和公众新期待，还有一些需要加强和改进的", 758, indent=True),
        _body("地方。主要表现在：一是政策解读质量仍需提升。", 90, page=2, full=False),
        _body("针对存在问题，我市将加强解读。", 118, page=2, indent=True, full=False),
        *[_body(f"第{i}行正文内容正文内容正文内容正文内容正文内容正文内", 146 + 28 * i, page=2) for i in range(3)],
    ]
    out = _paragraphs(lines)
    assert out[0] == "对照上级新要求和公众新期待，还有一些需要加强和改进的地方。主要表现在：一是政策解读质量仍需提升。"
    assert out[1] == "针对存在问题，我市将加强解读。"


def test_a_heading_after_a_full_line_ending_a_sentence_starts_a_paragraph() -> None:
    # block style: no first-line indents, a sentence ends exactly at the right margin
    lines = [
        _body("全年共受理政府信息公开申请3119件，均在法定期限内予以答复。", 100),
        _body("（二）政府信息管理情况", 128, full=False),
        _body("规范审查程序，建立健全重要事项公开保密审查协调机制。", 156, full=False),
    ]
    assert _paragraphs(lines)[:2] == [
        "全年共受理政府信息公开申请3119件，均在法定期限内予以答复。",
        "（二）政府信息管理情况",
    ]


def test_a_line_ended_early_by_a_long_word_is_still_joined() -> None:
    full = [_body("本报告由淮安市人民政府办公室根据《中华人民共和国政府信息公开", 100 + 28 * i) for i in range(3)]
    full.append(_body("条例》规定编制。", 184, full=False))
    early = line("如对本报告有疑问，请与办公室联系（电子邮箱：", LEFT, 212, x1=RIGHT - 60)
    lines = [*full, early, _body("hazwgkc@163.com）。", 240, full=False)]
    assert _paragraphs(lines)[-1].endswith("如对本报告有疑问，请与办公室联系（电子邮箱：hazwgkc@163.com）。")
    short = [*full, line("联系电话：0517-83605210", LEFT, 212), _body("邮编：223001", 240, full=False)]
    assert _paragraphs(short)[-2:] == ["联系电话：0517-83605210", "邮编：223001"]  # short lines stay apart


def test_a_blank_line_gap_ends_a_paragraph() -> None:
    lines = [_body("第一段正文内容正文内容正文内容正文内容正文内容正文内容正文", 100 + 28 * i) for i in range(3)]
    lines.append(_body("第二段开头不缩进但与上段隔一行空行的正文内容正文内容正文", 100 + 28 * 3 + 40))
    assert len(_paragraphs(lines)) == 2


def test_a_two_line_centred_title_is_one_title() -> None:
    title = [line("淮安市人民政府", 219, 160, size=22), line("2024年政府信息公开工作年度报告", 128.6, 189, size=22)]
    body = [
        _body("本报告由淮安市人民政府办公室根据《中华人民共和国政府信息公开", 276 + 28 * i, indent=i == 0)
        for i in range(4)
    ]
    assert _paragraphs(title + body)[0] == "淮安市人民政府2024年政府信息公开工作年度报告"


def test_tabular_text_lines_are_never_joined() -> None:
    rows = [
        TextLine("一、本年新收政府信息公开申请数量 3001 53 0", LEFT, RIGHT, 100, 116, 16, 1, wide_gap=True),
        TextLine("二、上年结转政府信息公开申请数量 34 0 0", LEFT, RIGHT, 128, 144, 16, 1, wide_gap=True),
    ]
    assert _paragraphs(rows) == [r.text for r in rows]


# ---------------------------------------------------------------------------- page furniture


@pytest.mark.parametrize(
    "text", ["— 1 —", "-1-", "- 1 -", "－ 12 －", "第1页 共5页", "第 1 页", "共5页 第2页", "1/5", "3", "Page 2 of 6"]
)
def test_page_number_shapes(text: str) -> None:
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["2024年", "一、总体情况", "3119件", "第二十条第（一）项"])
def test_text_that_is_not_a_page_number(text: str) -> None:
    assert not is_page_number(text)


def _page(number: int, body: list[str], foot: str | None = None, head: str | None = None) -> list[TextLine]:
    lines = [line(t, LEFT, 100 + 28 * i, number) for i, t in enumerate(body)]
    if head is not None:
        lines.insert(0, line(head, 200, 40, number, size=10.5))
    if foot is not None:
        lines.append(line(foot, 280, 794, number, size=12.9))
    return lines


def test_page_numbers_and_running_headers_are_removed() -> None:
    pages = [
        _page(
            n,
            [f"{'甲乙丙丁'[n - 1]}页正文第一行", "正文第二行"],
            foot=f"— {n} —",
            head="某某市人民政府2024年政府信息公开工作年度报告",
        )
        for n in range(1, 5)
    ]
    kept, running = strip_furniture(pages, [842.0] * 4)
    assert [[ln.text for ln in page] for page in kept] == [
        [f"{'甲乙丙丁'[n - 1]}页正文第一行", "正文第二行"] for n in range(1, 5)
    ]
    assert running == ["某某市人民政府2024年政府信息公开工作年度报告"]


def test_numbers_and_repeated_text_in_the_body_are_kept() -> None:
    # a bare number mid-page and a sentence that happens to recur are report text
    pages = [_page(n, [f"{'甲乙丙'[n - 1]}页正文", "12", *["正文"] * 10, "本页无正文内容"]) for n in range(1, 4)]
    kept, running = strip_furniture(pages, [842.0] * 3)
    assert all(
        [ln.text for ln in page] == [f"{'甲乙丙'[n - 1]}页正文", "12", *["正文"] * 10, "本页无正文内容"]
        for n, page in enumerate(kept, 1)
    )
    assert running == []


def test_a_running_footer_with_the_page_number_in_it_is_removed() -> None:
    pages = [_page(n, [f"{'甲乙丙'[n - 1]}页正文内容"], foot=f"淮安市人民政府办公室 第{n}页") for n in range(1, 4)]
    kept, running = strip_furniture(pages, [842.0] * 3)
    assert [[ln.text for ln in page] for page in kept] == [[f"{'甲乙丙'[n - 1]}页正文内容"] for n in range(1, 4)]
    assert running == ["淮安市人民政府办公室第1页"]
