"""``gkassist draft``: streaming to stdout, provenance and findings, -o, exit codes."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from gkassist.drafting.cli import add_draft_parser, run_draft
from gkassist.examples import EXAMPLES_DIR
from tests.fakes.llm_server import FakeLLMServer, Reply, closed_port

EXAMPLE = str(EXAMPLES_DIR / "example-2021.json")
LLM_VARS = (
    "GKASSIST_LLM_BASE_URL",
    "GKASSIST_LLM_MODEL",
    "GKASSIST_LLM_API_KEY",
    "GKASSIST_LLM_RETRIES",
    "GKASSIST_LLM_BACKOFF",
    "GKASSIST_LLM_TIMEOUT",
)


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="gkassist")
    add_draft_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["draft", *argv])
    assert args.func is run_draft
    code: int = args.func(args)
    return code


@pytest.fixture(autouse=True)
def no_llm_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in LLM_VARS:
        monkeypatch.delenv(var, raising=False)


def test_template_draft_to_stdout_and_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s1.txt"
    assert run(EXAMPLE, "--section", "总体情况", "-o", str(out)) == 0
    printed = capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert text.startswith("2024年，某某市生态环境局") and "（五）监督保障" in text
    assert text.strip() in printed
    assert "起草方式：内置模板" in printed and "本部分未发现问题" in printed


def test_unreadable_input_and_unknown_section(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(tmp_path / "missing.json"), "--section", "总体情况") == 2
    assert "无法读取" in capsys.readouterr().err
    assert run(EXAMPLE, "--section", "主动公开政府信息情况") == 2
    assert "只能起草" in capsys.readouterr().err


def test_llm_is_the_default_when_configured(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reply = (
        "（一）信息处理费收取情况\n本年度共向申请人发出信息处理费收费通知1份，申请人逾期未缴纳，"
        "未实际收取信息处理费。\n（二）其他事项\n无。"
    )
    monkeypatch.setenv("GKASSIST_LLM_BACKOFF", "0.01")
    with FakeLLMServer() as srv:
        srv.queue(Reply(reply))
        monkeypatch.setenv("GKASSIST_LLM_BASE_URL", srv.base_url)
        monkeypatch.setenv("GKASSIST_LLM_MODEL", "fake-model")
        monkeypatch.setenv("GKASSIST_LLM_API_KEY", "sk-cli-SECRET-4321")
        code = run(EXAMPLE, "--section", "其他需要报告的事项")
    printed = capsys.readouterr().out
    assert code == 0
    assert reply in printed and "起草方式：大模型" in printed and "other_matters 第2版" in printed
    assert "SECRET" not in printed


def test_llm_fault_prints_message_and_saves_the_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GKASSIST_LLM_BASE_URL", f"http://127.0.0.1:{closed_port()}/v1")
    monkeypatch.setenv("GKASSIST_LLM_MODEL", "fake-model")
    monkeypatch.setenv("GKASSIST_LLM_RETRIES", "0")
    out = tmp_path / "s6.txt"
    code = run(EXAMPLE, "--section", "其他需要报告的事项", "--drafter", "llm", "-o", str(out))
    printed = capsys.readouterr().out
    assert code == 1
    assert "起草失败：无法连接大模型服务" in printed and "可改用的模板草稿" in printed
    assert "信息处理费" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("behaviour", "words"),
    [(Reply("（一）信息处理费收取情况\n本年度未收取。", finish=None, done=False), "中途中断"),
     (Reply("（一）信息处理费收取情况\n本年度未收取。", finish="length"), "GKASSIST_LLM_MAX_TOKENS")],
)
def test_an_unfinished_stream_saves_the_template_not_the_fragment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], behaviour: Reply, words: str
) -> None:
    out = tmp_path / "s6.txt"
    with FakeLLMServer(default=behaviour) as srv:
        monkeypatch.setenv("GKASSIST_LLM_BASE_URL", srv.base_url)
        monkeypatch.setenv("GKASSIST_LLM_MODEL", "fake-model")
        code = run(EXAMPLE, "--section", "其他需要报告的事项", "-o", str(out))
    printed = capsys.readouterr().out
    assert code == 1
    assert "起草失败：" in printed and words in printed and "不能作为草稿" in printed
    from gkassist.drafting import draft_section
    from gkassist.examples import load_example

    template = draft_section(load_example("example-2021"), "s6", "template").result.text
    assert "已将模板草稿保存到" in printed and out.read_text(encoding="utf-8") == template + "\n"
