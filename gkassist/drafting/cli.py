"""``gkassist draft PATH --section 总体情况 [--drafter template|llm] [-o OUT]``.

Streams the draft to stdout, then prints provenance, notes and remaining findings (Chinese).
Exit codes: 0 drafted (findings are printed, not fatal); 1 the LLM drafter failed and the
template draft was offered instead; 2 the input cannot be read, the section is unknown or
the output file cannot be written (3, an internal error, comes from gkassist.cli.main).
langchain is only imported when the LLM drafter runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from gkassist.cli_output import refuse_output, write_output
from gkassist.drafting.types import SECTION_NAMES, DraftResult, UnknownSectionError, resolve_section
from gkassist.findings import render_finding
from gkassist.model import Report

EXIT_OK, EXIT_FAILED, EXIT_UNREADABLE = 0, 1, 2


def add_draft_parser(subparsers: Any) -> None:
    """Register the ``draft`` sub-command on an argparse subparsers object."""
    p = subparsers.add_parser("draft", help="起草总体情况、存在的主要问题及改进情况或其他需要报告的事项")
    p.add_argument("path", help="年度报告文件（已保存的 JSON、网页、文本或 Markdown）")
    p.add_argument("--section", required=True, help=f"要起草的部分：{'|'.join(SECTION_NAMES)}")
    p.add_argument(
        "--drafter",
        choices=("template", "llm"),
        default=None,
        help="起草方式：template（内置模板）或 llm（大模型）；默认在设置了 GKASSIST_LLM_BASE_URL 时用 llm，否则用 template",
    )
    p.add_argument("-o", "--output", help="把起草的正文保存到此文件（UTF-8）")
    p.set_defaults(func=run_draft)


def _load_report(path: str) -> Report | None:
    from gkassist.cli_input import read_report_file

    result = read_report_file(path, show_diagnostics=False)
    return result[0] if result is not None else None


def print_result(result: DraftResult, out: TextIO) -> None:
    """Provenance, notes and findings in Chinese."""
    p = result.provenance
    drafter = "内置模板" if p.drafter == "template" else "大模型"
    print(f"\n—— 起草信息 ——\n起草方式：{drafter}", file=out)
    if p.drafter == "llm":
        prompt = f"{p.prompt_id} 第{p.prompt_version}版" if p.prompt_id else "（未加载）"
        est = "（估算）" if p.tokens_estimated else ""
        print(f"模型：{p.model}；提示词：{prompt}；起草次数：{p.attempts}", file=out)
        print(f"令牌数{est}：输入{p.prompt_tokens}，输出{p.completion_tokens}", file=out)
    print(f"用时：{p.elapsed_seconds:.2f}秒", file=out)
    for note in result.notes:
        print(f"说明：{note}", file=out)
    if result.error_message_zh:
        print(f"起草失败：{result.error_message_zh}", file=out)
    if result.findings:
        print(f"校验发现{len(result.findings)}个问题：", file=out)
        for f in result.findings:
            print(render_finding(f), file=out)
    else:
        print("校验结果：本部分未发现问题。", file=out)


def run_draft(args: argparse.Namespace) -> int:
    from gkassist.drafting import default_drafter, draft_section

    try:
        section = resolve_section(args.section)
    except UnknownSectionError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    if args.output and refuse_output(args.output):
        return EXIT_UNREADABLE
    report = _load_report(args.path)
    if report is None:
        return EXIT_UNREADABLE
    drafter = args.drafter or default_drafter()
    stream = draft_section(report, section, drafter=drafter)
    for chunk in stream:
        if chunk.restart:
            print(f"\n\n—— 第{chunk.attempt}次起草（根据校验意见修改）——", flush=True)
        print(chunk, end="", flush=True)
    result = stream.result
    print()
    print_result(result, sys.stdout)
    text = result.text
    if result.error_message_zh and result.alternative_template_text:
        print("\n—— 可改用的模板草稿 ——")
        print(result.alternative_template_text)
        if not text.strip():
            text = result.alternative_template_text
    if args.output:
        if not write_output(args.output, (text + "\n").encode("utf-8")):
            return EXIT_UNREADABLE
        kind = "模板草稿" if text is result.alternative_template_text else "草稿"
        print(f"已将{kind}保存到 {args.output}")
    return EXIT_FAILED if result.error_message_zh else EXIT_OK
