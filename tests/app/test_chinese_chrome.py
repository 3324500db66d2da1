"""Chinese for Streamlit's own words (rules/streamlit_zh.yaml) and the finding → sentence links:
what can be checked without a browser (tests/e2e/test_chinese_everywhere.py and
test_sentence_select_browser.py check them in Chromium)."""

from __future__ import annotations

import json
import re

import pytest

from gkassist.storage import ReportStore
from gkassist.ui.chrome_zh import chrome_script, streamlit_zh
from gkassist.ui.sentence_select import box_key
from tests.app.support import open_app
from tests.app.test_drafting_desk import WITH_ERRORS, WRONG, a_report

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_streamlit_word_has_chinese() -> None:
    zh = streamlit_zh()
    assert zh.texts and zh.dialogs and zh.patterns
    for english, chinese in zh.texts.items():
        assert re.search("[A-Za-z]", english), english
        assert CJK.search(chinese), f"{english} → {chinese}"
    assert "Connection error" in {d.title for d in zh.dialogs}
    for dialog in zh.dialogs:
        assert CJK.search(dialog.title_zh) and CJK.search(dialog.body_zh)
        assert not re.search("[A-Za-z]", dialog.title_zh + dialog.body_zh)
    for english in ("yyyy", "mm", "dd", "Press Enter to apply"):  # the date placeholder and the key hint
        assert english in zh.texts


def test_patterns_translate_calendar_labels() -> None:
    """The JavaScript fills $n with the group, through words; the same rule in Python."""
    zh = streamlit_zh()

    def fill(match: re.Match[str], replace: str) -> str:
        def group(ref: re.Match[str]) -> str:
            value = match.group(int(ref.group(1))) or ""
            return zh.words.get(value, value)

        return re.sub(r"\$(\d)", group, replace)

    def translate(text: str) -> str:
        for p in zh.patterns:
            m = re.match(p.pattern, text)
            if m:
                return fill(m, p.replace)
        return text

    assert translate("December 2026") == "2026年12月"
    assert translate("Today, Tuesday, December 1, 2026") == "今天，2026年12月1日，星期二"
    assert translate("Friday, January 1, 2027") == "2027年1月1日，星期五"
    assert translate("Help for 起草方式") == "“起草方式”的说明"
    lost = translate("Failed to fetch dynamically imported module: http://localhost:8501/static/js/TextInput.MPWivlu9.js")
    assert lost.startswith("与服务器的连接已断开")


def test_script_carries_the_table_and_cannot_close_its_element() -> None:
    data = chrome_script().split("const zh = ", 1)[1].split(";\n", 1)[0]
    assert "</" not in data
    assert json.loads(data.replace("<\\/", "</")) == streamlit_zh().model_dump()


@pytest.mark.parametrize(
    ("text", "sentence", "expected"),
    [
        ("甲。乙句。", "乙句。", (2, 5)),
        ("😀甲。乙句。", "乙句。", (4, 7)),  # a character outside the BMP is two UTF-16 units
        ("甲。\r\n乙句。", "乙句。", (3, 6)),  # a text area turns \r\n into \n
    ],
)
def test_box_key_counts_as_the_browser_does(text: str, sentence: str, expected: tuple[int, int]) -> None:
    start = text.index(sentence)
    key = box_key(0, text, start, start + len(sentence), "section_1_0_s1")
    assert key == f"gksel-0-{expected[0]}-{expected[1]}-section_1_0_s1"


def test_box_key_names_the_text_area_as_streamlit_names_its_class() -> None:
    assert box_key(3, "甲。", 0, 2, "cand text:1").endswith("-cand-text-1")


def test_drafting_findings_sit_in_boxes_that_point_at_their_sentence(store: ReportStore) -> None:
    report = a_report()
    report.sections["s1"] = WITH_ERRORS
    at, rid = open_app(store, report, "drafting")
    start = WITH_ERRORS.index(WRONG)
    area_key = f"section_{rid}_{at.session_state['gen']}_s1"  # the text area of the section (drafting.py)
    assert at.text_area(key=area_key).value == WITH_ERRORS
    expected = box_key(0, WITH_ERRORS, start, start + len(WRONG), area_key)
    found = [n for n in _walk(at.main) if getattr(n, "key", None) == expected]
    assert found, f"no container keyed {expected}"
    assert "【错误 N2】" in " ".join(str(getattr(n, "value", "")) for n in _walk(found[0]))


def test_new_declared_rows_show_no_none(store: ReportStore) -> None:
    at, _ = open_app(store, a_report(), "highlights")
    editor = next(n for n in _walk(at.main) if getattr(n, "type", "") == "dataframe")
    assert editor.proto.HasField("placeholder") and editor.proto.placeholder == ""  # unset, the grid shows "None"


def _walk(node: object) -> list[object]:
    out = [node]
    for child in getattr(node, "children", {}).values():
        out += _walk(child)
    return out
