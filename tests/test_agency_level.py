"""Who publishes a report (department: 1月31日; 本级人民政府: 3月31日), detected on import."""

from __future__ import annotations

import pytest

from gkassist.agency_level import classify_name, detect_level, level_rules
from gkassist.examples import SEED_TEXT
from gkassist.importers import import_bytes


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("平潭综合实验区", "government"),
        ("淮安市人民政府", "government"),
        ("某某县人民政府", "government"),
        ("某某经济技术开发区管理委员会", "government"),
        ("某某高新区管委会", "government"),
        ("某某市", "government"),
        ("某某区", "government"),
        ("某某市人民政府办公室", "office"),
        ("区管委会办公室", "office"),
        ("某某市城市管理委员会", "department"),
        ("平潭综合实验区交通与建设局", "department"),
        ("某某市发展和改革委员会", "department"),
        ("某某市卫生健康委", "department"),
        ("某某市人民政府国有资产监督管理委员会", "department"),
        ("某某市政务服务中心", "department"),
        ("某某市公安局某某分局（本级）", "department"),
        ("", None),
        ("某某", None),
    ],
)
def test_classify_name_by_its_ending(name: str, kind: str | None) -> None:
    assert classify_name(name) == kind


@pytest.mark.parametrize(
    ("agency", "opening", "body", "level"),
    [
        ("平潭综合实验区", "", "", "government"),  # a bare place name in the title
        ("某某市生态环境局", "本报告由某某市生态环境局编制。", "2024年，我局……", "department"),
        # the office named in the title publishes its own report
        ("某某市人民政府办公室", "本报告由某某市人民政府办公室编制。", "2024年，我办……", "department"),
        # the title names no agency; the government office compiled the government's report
        ("", "本报告由淮安市人民政府办公室根据《中华人民共和国政府\n信息公开条例》规定编\n制。", "2024年，我市……", "government"),
        ("", "根据《条例》要求，区管委会办公室编制完成了本报告。", "", "government"),
        ("", "根据《条例》要求，我区编制完成了本报告。", "", "government"),
        ("", "本报告由某某县交通运输局根据《条例》编制。", "", "department"),
        ("", "根据《条例》要求，编制本报告。", "2024年，我局共主动公开……我局还……", "department"),
        ("", "根据《条例》要求，编制本报告。", "2024年，我县坚持……全县……", "government"),
    ],
)
def test_detect_level(agency: str, opening: str, body: str, level: str) -> None:
    guess = detect_level(agency, opening, body)
    assert guess.level == level and guess.certain


def test_undecided_level_stays_department_and_says_so() -> None:
    guess = detect_level("", "根据《条例》要求编制本报告。", "")
    assert guess.level == "department" and not guess.certain


def test_deadlines_are_data() -> None:
    levels = level_rules().levels
    assert (levels["department"].deadline_month, levels["government"].deadline_month) == (1, 3)


def _seed_with(first_lines: str) -> bytes:
    text = SEED_TEXT.read_text(encoding="utf-8")
    _opening, rest = text.split("\n", 1)
    return f"{first_lines}\n{rest}".encode()


def test_import_sets_the_level_and_notes_it() -> None:
    title = "某某经济开发区2024年度政府信息公开工作年度报告"
    opening = "本报告由某某经济开发区管委会办公室编制。本年度报告数据统计期限为2024年1月1日起至2024年12月31日止。"
    result = import_bytes(_seed_with(f"{title}\n{opening}"), "report.txt")
    assert result.report is not None and result.report.meta.level == "government"
    (note,) = [d for d in result.diagnostics if d.where == "基本信息·报告主体"]
    assert note.level == "info" and "本级人民政府" in note.message and "3月31日" in note.message and "报告主体" in note.message


def test_import_of_a_department_report() -> None:
    result = import_bytes(SEED_TEXT.read_bytes(), "seed.txt")
    assert result.report is not None and result.report.meta.level == "department"
    assert any(d.where == "基本信息·报告主体" and "1月31日" in d.message for d in result.diagnostics)
