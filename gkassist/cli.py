"""Command line: gkassist import | check | export | draft | compare | audit | user | agency. Output in Chinese; --json for machines.

Exit codes, the same for every command: 0 clean, 1 findings (errors found, export refused),
2 an input or output problem (a Chinese message says which), 3 an internal error (one Chinese
line names the log file that holds the traceback; see gkassist.crashlog).
The check path imports neither streamlit nor langchain, so it starts fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from gkassist.cli_args import ChineseArgumentParser
from gkassist.cli_input import read_report_file
from gkassist.cli_output import refuse_output, write_output
from gkassist.findings import Finding, render_finding

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl+C, as shells report it


def finding_json(f: Finding) -> dict[str, object]:
    """A finding for machines: its place by ids (format, table, row, column / section, start,
    end / field), the address and key, and the place in words (``where``)."""
    loc = f.location
    data: dict[str, object] = {"code": f.code, "severity": f.severity, "message": f.message, "key": f.key,
                               "address": loc.address, "where": loc.describe()}
    data.update({k: v for k, v in loc.model_dump().items() if v is not None})
    if f.cells:
        data["cells"] = [c.model_dump(exclude_none=True) for c in f.cells]
    return data


def _print_findings(findings: list[Finding]) -> None:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    print(f"校验结果：错误{counts['error']}个，警告{counts['warning']}个，提示{counts['info']}个。")
    for f in findings:
        print(render_finding(f))


def cmd_import(args: argparse.Namespace) -> int:
    if args.output and refuse_output(args.output):
        return EXIT_UNREADABLE
    loaded = read_report_file(args.path)
    if loaded is None:
        return EXIT_UNREADABLE
    report, diagnostics = loaded
    for d in diagnostics:
        print(f"导入提示：{d.message}", file=sys.stderr)
    data = report.model_dump_json(indent=1)
    if args.output:
        if not write_output(args.output, (data + "\n").encode("utf-8")):
            return EXIT_UNREADABLE
        print(f"已保存到 {args.output}")
    else:
        print(data)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    loaded = read_report_file(args.path)
    if loaded is None:
        return EXIT_UNREADABLE
    from gkassist.checks import check_report

    report, diagnostics = loaded
    findings = check_report(report)
    if args.numbers:
        from gkassist.grounding.report import format_number_report

        print(format_number_report(report))
    if args.json:
        payload = {
            "findings": [finding_json(f) for f in findings],
            "diagnostics": [d.model_dump() for d in diagnostics],
        }
        print(json.dumps(payload["findings"] if not args.with_diagnostics else payload, ensure_ascii=False, indent=1))
    else:
        meta = report.meta
        print(f"{meta.agency or '（未识别机关名称）'}{meta.year}年政府信息公开工作年度报告")
        for d in diagnostics:
            print(f"导入提示：{d.message}")
        _print_findings(findings)
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from gkassist.export.gate import FORMAT_BY_SUFFIX

    if refuse_output(args.output):
        return EXIT_UNREADABLE
    out = Path(args.output)
    fmt = FORMAT_BY_SUFFIX.get(out.suffix.lower())
    if fmt is None:
        print(f"无法识别导出格式“{out.suffix or '（无扩展名）'}”：输出文件名请以 .md、.html 或 .docx 结尾。", file=sys.stderr)
        return EXIT_UNREADABLE
    loaded = read_report_file(args.path)
    if loaded is None:
        return EXIT_UNREADABLE
    from gkassist.export.gate import acknowledge_codes, export_report

    report, _diagnostics = loaded
    if args.accept_warnings:
        report = acknowledge_codes(report, [c.strip() for c in args.accept_warnings.split(",") if c.strip()])
    outcome = export_report(report, fmt, draft=args.draft)
    content = outcome.content
    if content is None:
        print("导出被拒绝。", file=sys.stderr)
        print(outcome.refusal_zh(), file=sys.stderr)
        return EXIT_FINDINGS
    if not write_output(args.output, content):
        return EXIT_UNREADABLE
    kind = "草稿（未经校验）" if args.draft else "正式稿"
    label = {"md": "Markdown", "html": "网页", "docx": "Word 文档"}[fmt]
    print(f"已导出{kind}（{label}）：{out}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="gkassist", description="政府信息公开工作年度报告起草与校验助手")
    sub = parser.add_subparsers(dest="command", required=True, title="命令", metavar="命令")

    p = sub.add_parser("import", help="导入年度报告（PDF、Word .docx、网页、文本、Markdown 或已保存的 JSON）")
    p.add_argument("path")
    p.add_argument("-o", "--output", help="保存为 JSON 报告文件")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("check", help="校验年度报告的全部规则")
    p.add_argument("path")
    p.add_argument("--json", action="store_true", help="以 JSON 输出校验结果")
    p.add_argument("--with-diagnostics", action="store_true", help="JSON 中同时输出导入提示")
    p.add_argument("--numbers", action="store_true", help="列出叙述中的每个数字及其判定依据")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("export", help="导出报告，格式由输出文件扩展名决定（.md、.html、.docx）；有错误或未确认的警告时拒绝导出")
    p.add_argument("path")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--draft", action="store_true", help="导出草稿（标注未经校验，列出未解决的问题）")
    p.add_argument("--accept-warnings", default="", help="确认这些代码的警告，如 G1,F4")
    p.set_defaults(func=cmd_export)

    try:
        from gkassist.drafting.cli import add_draft_parser
    except ImportError:  # drafting not installed in this build
        pass
    else:
        add_draft_parser(sub)
    try:
        from gkassist.audit.cli import add_audit_parser
        from gkassist.compare.cli import add_compare_parser
    except ImportError:  # review tools not installed in this build
        pass
    else:
        add_compare_parser(sub)
        add_audit_parser(sub)
    from gkassist.accounts_cli import add_account_parsers

    add_account_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; always returns an exit code (0, 1, 2, 3 or 130), never raises."""
    _tolerant_stdio()
    try:
        return _run(argv)
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("已中断，操作没有完成。", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # the safety net: a bug must not show a traceback or look like exit 1
        from gkassist.crashlog import crash_message_zh, data_file_message_zh, write_crash_log
        from gkassist.yamlio import DataFileError

        args = list(sys.argv[1:] if argv is None else argv)
        log = write_crash_log(exc, f"command: gkassist {' '.join(args)}")
        if isinstance(exc, DataFileError):  # a maintainer's typo in rules/: say which file and what
            print(data_file_message_zh(str(exc).splitlines()[0], log), file=sys.stderr)
        else:
            print(crash_message_zh(log), file=sys.stderr)
        return EXIT_INTERNAL


def _run(argv: Sequence[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # -h (0) or a usage error (2, already explained in Chinese)
        return stop.code if isinstance(stop.code, int) else EXIT_UNREADABLE
    code: int = args.func(args)
    return code


def _tolerant_stdio() -> None:
    """File names that do not decode (surrogate escapes) are printed escaped, never crash a print."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a closed or detached stream
                reconfigure(errors="backslashreplace")


if __name__ == "__main__":
    sys.exit(main())
