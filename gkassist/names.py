"""The Chinese names of the report's parts, in one place: section titles, table numerals (表三
is the table of part 三), the opening paragraph, and the aspects of 一、总体情况.

The names are policy data (rules/names.yaml), loaded once and checked at load. Severity names
live with the findings (gkassist/findings.py), format names in the layouts (rules/layouts/).
"""

from __future__ import annotations

from collections.abc import Callable, ItemsView, Iterator, KeysView, Mapping, ValuesView
from functools import cache
from typing import Literal

from pydantic import Field, model_validator

from gkassist.paths import rules_dir
from gkassist.strict import Strict
from gkassist.yamlio import load_model

SECTION_IDS = ("s1", "s2", "s3", "s4", "s5", "s6")
OPENING = "opening"  # pseudo-section id of the opening paragraph
_NUMERALS = "一二三四五六七八九十"


class Names(Strict):
    version: Literal[1]
    sections: dict[str, str]
    opening: str = Field(min_length=2)
    aspects: tuple[str, ...] = Field(min_length=1)
    problem_parts: tuple[str, ...] = Field(min_length=1)
    other_matters: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _every_section_numbered(self) -> Names:
        if tuple(self.sections) != SECTION_IDS:
            raise ValueError(f"sections must be exactly {', '.join(SECTION_IDS)} in this order")
        for i, (sid, title) in enumerate(self.sections.items()):
            if not title.startswith(f"{_NUMERALS[i]}、") or len(title) < 4:
                raise ValueError(f"section {sid}: title {title!r} must start with {_NUMERALS[i]}、")
        for words in (self.aspects, self.problem_parts, self.other_matters):
            if len(set(words)) != len(words) or not all(w.strip() for w in words):
                raise ValueError(f"names {words} must be distinct and not empty")
        every = (*self.aspects, *self.problem_parts, *self.other_matters)
        if len(set(every)) != len(every):  # one highlight key means one thing
            raise ValueError("aspects, problem_parts and other_matters must not share a name")
        return self


@cache
def names() -> Names:
    return load_model(rules_dir() / "names.yaml", Names)


class _Lazy(Mapping[str, str]):
    """A read-only mapping derived from rules/names.yaml on first use (importing reads no file)."""

    def __init__(self, build: Callable[[Names], dict[str, str]]) -> None:
        self._build = build
        self._source: Names | None = None
        self._data: dict[str, str] = {}

    def _current(self) -> dict[str, str]:
        source = names()
        if source is not self._source:  # first use, or the names were reloaded
            self._data, self._source = self._build(source), source
        return self._data

    def __getitem__(self, key: str) -> str:
        return self._current()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._current())

    def __len__(self) -> int:
        return len(self._current())

    # the dict's own methods: Mapping's generic ones go through __getitem__ and KeyError
    def __contains__(self, key: object) -> bool:
        return key in self._current()

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return self._current().get(key, default)

    def keys(self) -> KeysView[str]:
        return self._current().keys()

    def values(self) -> ValuesView[str]:
        return self._current().values()

    def items(self) -> ItemsView[str, str]:
        return self._current().items()


def _titles(source: Names) -> dict[str, str]:
    return dict(source.sections)


def _numerals(source: Names) -> dict[str, str]:
    return {sid: title.split("、", 1)[0] for sid, title in source.sections.items()}


SECTION_TITLES: Mapping[str, str] = _Lazy(_titles)  # s1 → 一、总体情况
TABLE_NUMERALS: Mapping[str, str] = _Lazy(_numerals)  # s3 → 三 (表三); every part has its numeral


def section_name(section: str) -> str:
    """A section's title, or the opening paragraph's name (section id ``opening``)."""
    return names().opening if section == OPENING else SECTION_TITLES[section]


def aspects() -> tuple[str, ...]:
    """The aspects of 一、总体情况, in the order the section is written."""
    return names().aspects


def problem_parts() -> tuple[str, ...]:
    """The two parts of 五、存在的主要问题及改进情况 (问题, 措施)."""
    return names().problem_parts


def other_matters() -> tuple[str, ...]:
    """The matters of 六、其他需要报告的事项 besides the information-processing fee (highlight keys)."""
    return names().other_matters


def aspect_heading(index: int) -> str:
    """（一）主动公开: the sub-heading of the aspect at ``index`` in 一、总体情况."""
    return f"（{_NUMERALS[index]}）{aspects()[index]}"
