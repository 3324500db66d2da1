"""Prompt files are strict: unknown keys and missing or unused variables are load errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gkassist.drafting import draft_section
from gkassist.drafting.inputs import prompt_values
from gkassist.drafting.prompts import (
    KNOWN_VARIABLES,
    SECTION_PROMPTS,
    PromptLoadError,
    PromptRenderError,
    list_prompts,
    load_prompt,
    load_prompt_file,
    prompt_for_section,
)
from gkassist.examples import load_example
from gkassist.paths import prompts_dir

VALID = {
    "id": "sample",
    "version": 1,
    "section": "s1",
    "description": "测试用提示词。",
    "input_variables": ["year", "facts"],
    "system": "你是文字人员，起草{year}年度报告。字面花括号写作{{这样}}。",
    "human": "<facts>\n{facts}\n</facts>",
    "reask": "发现以下问题：\n{findings}\n请修改。",
}


def write(tmp_path: Path, data: object, name: str = "sample") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_every_prompt_file_loads_and_covers_its_section() -> None:
    specs = {s.id: s for s in list_prompts()}
    assert set(SECTION_PROMPTS.values()) <= set(specs)
    for sid, pid in SECTION_PROMPTS.items():
        spec = prompt_for_section(sid)
        assert spec.id == pid and spec.section == sid and spec.version >= 1
        assert set(spec.input_variables) <= KNOWN_VARIABLES and "facts" in spec.input_variables


def test_prompts_render_for_an_example_report() -> None:
    report = load_example("example-2021")
    for sid, pid in SECTION_PROMPTS.items():
        system, human = load_prompt(pid).render(prompt_values(report, sid, "", {}))
        assert "{" not in system + human.replace("{{", "")
        assert "本年新收政府信息公开申请：30件" in human
        assert "某某市生态环境局" in system


def test_valid_file_loads(tmp_path: Path) -> None:
    spec = load_prompt_file(write(tmp_path, VALID))
    assert spec.render({"year": "2024", "facts": "- 事实"})[0].endswith("字面花括号写作{这样}。")
    assert spec.render_reask("- 问题一") == "发现以下问题：\n- 问题一\n请修改。"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"temperature": 0.2}, "不认识的键“temperature”"),
        ({"reask": None}, "reask"),
        ({"human": "{facts}{agency}"}, "未在 input_variables 中声明的变量 ['agency']"),
        ({"input_variables": ["year", "facts", "agency"]}, "没有使用的变量 ['agency']"),
        ({"input_variables": ["year", "facts", "weather"], "human": "{facts}{weather}"}, "不是起草程序提供的变量"),
        ({"human": "{facts.value}"}, "不是简单的变量名"),
        ({"human": "{facts"}, "模板格式错误"),
        ({"reask": "请修改。"}, "{findings}"),
        ({"version": 0}, "version"),
        ({"section": "s2"}, "section"),
        ({"id": "other"}, "应与文件名"),
    ],
)
def test_strictness(tmp_path: Path, change: dict[str, object], words: str) -> None:
    data = {**VALID, **change}
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(PromptLoadError) as info:
        load_prompt_file(write(tmp_path, data))
    assert "sample.yaml" in str(info.value) and words in str(info.value)


def test_yaml_errors_and_missing_files(tmp_path: Path) -> None:
    bad = tmp_path / "sample.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(PromptLoadError, match=r"sample\.yaml"):
        load_prompt_file(bad)
    with pytest.raises(PromptLoadError, match="找不到提示词文件"):
        load_prompt("nothing", tmp_path)


def test_missing_variable_at_render_time(tmp_path: Path) -> None:
    spec = load_prompt_file(write(tmp_path, VALID))
    with pytest.raises(PromptRenderError, match="缺少变量"):
        spec.render({"year": "2024"})


def test_broken_prompt_directory_ends_in_a_chinese_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = sorted(prompts_dir().glob("*.yaml"))
    assert sources
    for src in sources:
        (tmp_path / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    data = yaml.safe_load((tmp_path / "overview.yaml").read_text(encoding="utf-8"))
    data["human"] += "{unknown_thing}"
    write(tmp_path, data, "overview")
    monkeypatch.setenv("GKASSIST_PROMPTS_DIR", str(tmp_path))
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    result = draft_section(
        load_example("example-2021"), "s1", "llm", chat_model=FakeListChatModel(responses=["不应被调用。"])
    ).result
    assert "overview.yaml" in (result.error_message_zh or "")
    assert result.alternative_template_text
