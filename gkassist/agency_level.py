"""Who publishes a report: a department's own report (due 1月31日) or the report of a
本级人民政府 (due 3月31日). Detected on import; staff correct it on the 基本信息 page.

The words that decide are policy data in rules/agency_level.yaml. The evidence, strongest
first: the agency named in the title; who compiled the report, as the opening says
("本报告由某某市人民政府办公室……编制" is an office compiling its government's report);
how the text names its publisher (我市/我区 against 我局/本机关).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Literal

from pydantic import Field

from gkassist.paths import rules_dir
from gkassist.strict import Strict
from gkassist.yamlio import load_model

Level = Literal["department", "government"]


class LevelInfo(Strict):
    name: str = Field(min_length=2)  # 县级以上人民政府部门 / 本级人民政府
    choice: str = Field(min_length=2)  # the option in the 基本信息 selector
    deadline_month: int = Field(ge=1, le=12)
    deadline_day: int = Field(ge=1, le=31)


class LevelRules(Strict):
    levels: dict[Level, LevelInfo]
    government_endings: tuple[str, ...] = Field(min_length=1)
    place_endings: tuple[str, ...] = Field(min_length=1)
    government_offices: tuple[str, ...] = Field(min_length=1)
    department_endings: tuple[str, ...] = Field(min_length=1)
    government_self: tuple[str, ...] = Field(min_length=1)
    department_self: tuple[str, ...] = Field(min_length=1)


@cache
def level_rules() -> LevelRules:
    rules = load_model(rules_dir() / "agency_level.yaml", LevelRules)
    if set(rules.levels) != {"department", "government"}:
        raise ValueError("rules/agency_level.yaml: levels must be exactly department and government")
    return rules


@dataclass(frozen=True)
class LevelGuess:
    level: Level
    basis: str  # Chinese: what decided it, e.g. 标题中的机关名称“平潭综合实验区”
    certain: bool  # False: nothing in the text decided it (the default was taken)


_BRACKETED = re.compile(r"[（(][^（）()]*[)）]")
_COMPILER = (
    re.compile(r"由(?P<name>[\u4e00-\u9fff（）()]{2,30}?)(?:根据|依据|按照|依照|负责|汇总|牵头|组织)?编制"),
    re.compile(r"由(?P<name>[\u4e00-\u9fff（）()]{2,30}?)(?:根据|依据|按照|依照)"),
    re.compile(r"(?P<name>[\u4e00-\u9fff（）()]{2,30}?)(?:负责|汇总|牵头)?编制(?:完成)?了?本(?:年度)?报告"),
)


def classify_name(name: str) -> Literal["department", "government", "office"] | None:
    """By how an agency name ends: a government (or a bare place name), a department, the
    office of a government (``office``), or None when the name says nothing."""
    rules = level_rules()
    bare = _BRACKETED.sub("", re.sub(r"\s", "", name))
    if not bare:
        return None
    if bare.endswith(rules.government_offices):
        return "office"
    if bare.endswith(rules.government_endings):
        return "government"
    if bare.endswith(rules.department_endings):
        return "department"
    if bare.endswith(rules.place_endings):
        return "government"
    return None


def _compiler(opening: str) -> tuple[str, Literal["department", "government", "office"]] | None:
    """Who the opening says compiled the report ("本报告由X根据……编制", "X编制完成了本报告"),
    and what kind of body that is; the first name that says something."""
    text = re.sub(r"\s", "", opening)
    for pattern in _COMPILER:
        for m in pattern.finditer(text):
            kind = classify_name(m.group("name"))
            if kind is not None:
                return m.group("name"), kind
    return None


def _self_reference(text: str) -> Level | None:
    rules = level_rules()
    gov = sum(text.count(w) for w in rules.government_self)
    dept = sum(text.count(w) for w in rules.department_self)
    if gov == dept:
        return None
    return "government" if gov > dept else "department"


def detect_level(agency: str, opening: str | None, body: str = "") -> LevelGuess:
    """The level of a report from its agency (as the title names it), its opening paragraph
    and the start of its text."""
    kind = classify_name(agency) if agency else None
    if kind is not None:  # an office named in the title publishes its own report
        level: Level = "government" if kind == "government" else "department"
        return LevelGuess(level, f"标题中的机关名称“{agency}”", True)
    compiled = _compiler(opening or "")
    if compiled is not None:  # an office named only as the compiler compiles its government's report
        compiler, kind = compiled
        level = "department" if kind == "department" else "government"
        what = "代本级政府编制" if kind == "office" else "编制"
        return LevelGuess(level, f"开头段落写明由“{compiler}”{what}本报告", True)
    text = f"{opening or ''}\n{body[:2000]}"
    found = _self_reference(text)
    if found is not None:
        words = level_rules().government_self if found == "government" else level_rules().department_self
        used = "、".join(f"“{w}”" for w in words if w in text)
        return LevelGuess(found, f"正文中的自称{used}", True)
    return LevelGuess("department", "标题和开头段落都没有说明", False)


def deadline_text(level: Level) -> str:
    info = level_rules().levels[level]
    return f"次年{info.deadline_month}月{info.deadline_day}日前"


def deadline(level: Level, year: int) -> date:
    """The day a report of ``year`` is due: in the following year, on the level's day
    (rules/agency_level.yaml); a day past the month's end (2月30日) is the month's last day."""
    info = level_rules().levels[level]
    last_day = calendar.monthrange(year + 1, info.deadline_month)[1]
    return date(year + 1, info.deadline_month, min(info.deadline_day, last_day))


def import_note(guess: LevelGuess) -> str:
    """The import note (Chinese): which level was detected, from what, and how to change it."""
    info = level_rules().levels[guess.level]
    head = (
        f"按{guess.basis}，识别为{info.name}的年度报告" if guess.certain
        else f"{guess.basis}发布主体，暂按{info.name}的年度报告处理"
    )
    return f"{head}（应于{deadline_text(guess.level)}发布）。如有误，请在“基本信息”页的“报告主体”中更改。"
