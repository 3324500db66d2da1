"""Prompt files (prompts/*.yaml) parsed into a strict model.

A file has exactly: id, version, section, description, input_variables, system, human, reask.
Templates use f-string placeholders (``{facts}``; literal braces doubled). Unknown keys, a
placeholder not listed in input_variables (or listed but unused), a variable the drafter
does not supply, and a YAML error are all load errors naming the file.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import Field, ValidationError, model_validator

from gkassist.model import SectionId
from gkassist.paths import prompts_dir
from gkassist.strict import Strict
from gkassist.yamlio import parse_yaml

# Variables the drafter supplies; a prompt may use any subset.
KNOWN_VARIABLES: frozenset[str] = frozenset(
    {"agency", "year", "section_title", "format_name", "facts", "highlights", "last_year_text"}
)
REASK_VARIABLES: frozenset[str] = frozenset({"findings"})
SECTION_PROMPTS: dict[SectionId, str] = {"s1": "overview", "s5": "problems", "s6": "other_matters"}


class PromptLoadError(Exception):
    """A prompt file cannot be used; str() is a Chinese message naming the file and the problem."""


class PromptRenderError(Exception):
    """Rendering failed (a variable was not supplied); str() is a Chinese message."""


def placeholders(template: str) -> set[str]:
    """Names used as ``{name}`` in an f-string template. Raises ValueError on malformed braces,
    attribute/index access, conversions or format specs (only plain names are allowed)."""
    names: set[str] = set()
    for _literal, field, spec, conversion in string.Formatter().parse(template):
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise ValueError(f"占位符“{{{field}}}”不是简单的变量名")
        names.add(field)
    return names


class PromptSpec(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: int = Field(ge=1)
    section: SectionId
    description: str = Field(min_length=1)
    input_variables: tuple[str, ...] = Field(min_length=1)
    system: str = Field(min_length=1)
    human: str = Field(min_length=1)
    reask: str = Field(min_length=1)

    @model_validator(mode="after")
    def _variables_match(self) -> PromptSpec:
        try:
            used = placeholders(self.system) | placeholders(self.human)
            reask_used = placeholders(self.reask)
        except ValueError as exc:
            raise ValueError(f"模板格式错误：{exc}（字面的花括号请写成{{{{和}}}}）") from None
        declared = set(self.input_variables)
        if len(declared) != len(self.input_variables):
            raise ValueError("input_variables 中有重复的变量")
        unknown = declared - KNOWN_VARIABLES
        if unknown:
            raise ValueError(
                f"input_variables 中的 {sorted(unknown)} 不是起草程序提供的变量（可用：{sorted(KNOWN_VARIABLES)}）"
            )
        if used - declared:
            raise ValueError(f"模板使用了未在 input_variables 中声明的变量 {sorted(used - declared)}")
        if declared - used:
            raise ValueError(f"input_variables 声明了模板中没有使用的变量 {sorted(declared - used)}")
        if reask_used != REASK_VARIABLES:
            raise ValueError(f"reask 模板必须且只能使用变量 {{findings}}，现为 {sorted(reask_used)}")
        return self

    def render(self, values: Mapping[str, str]) -> tuple[str, str]:
        """(system, human) with every declared variable filled."""
        missing = [v for v in self.input_variables if v not in values]
        if missing:
            raise PromptRenderError(f"提示词“{self.id}”缺少变量 {missing} 的值，无法生成提示词。")
        subset = {k: values[k] for k in self.input_variables}
        return self.system.format(**subset), self.human.format(**subset)

    def render_reask(self, findings: str) -> str:
        return self.reask.format(findings=findings)


def _zh_errors(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_input=False, include_url=False):
        where = ".".join(str(p) for p in err["loc"]) or "文件"
        if err["type"] == "extra_forbidden":
            parts.append(f"不认识的键“{where}”")
        elif err["type"] == "missing":
            parts.append(f"缺少必填的键“{where}”")
        else:
            msg = err["msg"].removeprefix("Value error, ")
            parts.append(f"“{where}”：{msg}")
    return "；".join(parts)


def load_prompt_file(path: Path) -> PromptSpec:
    """Read on every call, so an edited prompt file takes effect at once; parsed once per content."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptLoadError(f"找不到提示词文件 {path}。请检查 GKASSIST_PROMPTS_DIR 或恢复该文件。") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PromptLoadError(
            f"提示词文件 {path.name} 无法读取（{type(exc).__name__}）。请检查 YAML 格式和 UTF-8 编码。"
        ) from None
    return _parse_prompt(text, path.name, path.stem)


@lru_cache(maxsize=64)
def _parse_prompt(text: str, name: str, stem: str) -> PromptSpec:
    try:
        data = parse_yaml(text)
    except yaml.YAMLError as exc:
        raise PromptLoadError(
            f"提示词文件 {name} 无法读取（{type(exc).__name__}）。请检查 YAML 格式和 UTF-8 编码。"
        ) from None
    if not isinstance(data, dict):
        raise PromptLoadError(f"提示词文件 {name} 的内容应是键值对（id、version、system、human 等）。")
    try:
        spec = PromptSpec.model_validate(data)
    except ValidationError as exc:
        raise PromptLoadError(f"提示词文件 {name} 有误：{_zh_errors(exc)}。请按 prompts/ 中的示例修改。") from None
    if spec.id != stem:
        raise PromptLoadError(f"提示词文件 {name} 的 id 是“{spec.id}”，应与文件名“{stem}”一致。")
    return spec


def load_prompt(prompt_id: str, directory: Path | None = None) -> PromptSpec:
    return load_prompt_file((directory or prompts_dir()) / f"{prompt_id}.yaml")


def prompt_for_section(section_id: SectionId, directory: Path | None = None) -> PromptSpec:
    spec = load_prompt(SECTION_PROMPTS[section_id], directory)
    if spec.section != section_id:
        raise PromptLoadError(f"提示词文件 {spec.id}.yaml 的 section 是 {spec.section}，应为 {section_id}。")
    return spec


def list_prompts(directory: Path | None = None) -> list[PromptSpec]:
    return [load_prompt_file(p) for p in sorted((directory or prompts_dir()).glob("*.yaml"))]
