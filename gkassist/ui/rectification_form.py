"""What the 工作亮点 page shows and stores beyond the aspects of 一: the parts of 五, the matters
of 六, and a pair of fields (整改措施, 整改结果) per problem of last year's report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from gkassist.last_year.rectifications import rectification_items, set_rectification
from gkassist.model import Report
from gkassist.names import SECTION_TITLES, aspects, other_matters, problem_parts
from gkassist.ui.forms import refuse_control_chars


@dataclass(frozen=True)
class HighlightGroup:
    key: str  # widget key stem
    title: str
    caption: str
    names: tuple[str, ...]  # highlight keys (rules/names.yaml)


def highlight_groups() -> list[HighlightGroup]:
    return [
        HighlightGroup("s1", SECTION_TITLES["s1"], "按方面简要写出本年度的做法和成效，起草“一、总体情况”时会用到。", aspects()),
        HighlightGroup(
            "s5", SECTION_TITLES["s5"], "本年度存在的问题和下一步的改进措施，起草第五部分时优先采用。", problem_parts()
        ),
        HighlightGroup(
            "s6",
            SECTION_TITLES["s6"],
            "除信息处理费外需要报告的事项；有内容的事项才会写入草稿，没有的请留空。",
            other_matters(),
        ),
    ]


@dataclass(frozen=True)
class RectificationRow:
    problem: str
    measures: str
    result: str

    @property
    def key(self) -> str:
        """A widget key stem that follows the problem, not its place in the list."""
        return hashlib.sha1(self.problem.encode("utf-8")).hexdigest()[:10]


def rectification_rows(report: Report) -> list[RectificationRow]:
    """One row per problem of last year's 五 (and per problem the clerk entered beyond them)."""
    return [RectificationRow(i.problem, i.measures, i.result) for i in rectification_items(report)]


def rectification_hint(report: Report) -> str:
    if report.last_year is None:
        return "尚未导入上年度报告。请在“对照上年”页导入上年度报告，这里会列出上年报告第五部分提出的问题。"
    return "上年度报告第五部分没有找到列出的问题（如“一是……二是……”），无需在此填写；请在第五部分正文中说明整改情况。"


def save_rectification(report: Report, problem: str, measures: str, result: str) -> bool:
    """Store the two fields of one problem (control characters refused, in Chinese); True when changed."""
    measures = refuse_control_chars(measures, f"上年问题「{problem}」的整改措施")
    result = refuse_control_chars(result, f"上年问题「{problem}」的整改结果")
    return set_rectification(report, problem, measures, result)
