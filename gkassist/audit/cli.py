"""``gkassist audit DIR [--csv OUT] [--json]``: check every report file of a folder.

Writes one summary row per file (OUT) and every finding, one per line, next to it
(OUT-findings.csv, or .jsonl with --findings-format jsonl). Without --csv the summary is
printed. Exit codes: 0 no errors, 1 some report has errors or could not be read, 2 no folder
or the summary cannot be written (3, an internal error, comes from gkassist.cli.main).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def cmd_audit(args: argparse.Namespace) -> int:
    from gkassist.audit.runner import (
        Progress,
        audit_folder,
        findings_path,
        list_report_files,
        write_findings,
        write_summary_csv,
    )

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"找不到文件夹“{folder}”。请检查路径。", file=sys.stderr)
        return 2
    if args.csv and Path(args.csv).is_dir():
        print(f"无法保存汇总表：“{args.csv}”是一个文件夹，请在其后加上文件名，例如 {Path(args.csv) / '汇总.csv'}。", file=sys.stderr)
        return 2
    total = len(list_report_files(folder))
    if total == 0:
        print(f"文件夹“{folder}”中没有报告文件（支持 .pdf .html .htm .txt .md .docx .json）。", file=sys.stderr)
        return 2
    bar = Progress(total, enabled=True if args.progress else None)
    results = audit_folder(folder, workers=args.workers, progress=lambda done, _n: bar.update(done))
    bar.finish()
    unreadable = sum(1 for r in results if not r.readable)
    with_errors = sum(1 for r in results if r.readable and r.errors)
    summary = f"共审核{len(results)}份：有错误的{with_errors}份，无法读取的{unreadable}份。"
    if args.csv:
        out = Path(args.csv)
        fpath = findings_path(out, args.findings_format)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            write_summary_csv(results, out)
            write_findings(results, fpath, args.findings_format)
        except OSError as err:
            print(f"无法写入汇总表“{out}”或问题清单“{fpath}”：{err.strerror or type(err).__name__}。"
                  "请检查磁盘空间、路径和写入权限。", file=sys.stderr)
            return 2
        print(f"{summary}汇总表：{out}；全部问题：{fpath}", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=1))
    elif not args.csv:
        for r in results:
            if r.readable:
                print(f"{r.file}\t{r.agency}\t{r.year}\t错误{r.errors}\t警告{r.warnings}")
                for line in r.top():
                    print(f"    {line}")
            else:
                print(f"{r.file}\t无法读取：{r.reason}")
        print(summary)
    return 1 if unreadable or with_errors else 0


def add_audit_parser(subparsers: Any) -> None:
    p = subparsers.add_parser("audit", help="批量审核文件夹中的年度报告（供上级主管部门使用）")
    p.add_argument("folder", help="存放报告文件的文件夹")
    p.add_argument("--csv", help="汇总表（CSV）的保存路径；全部问题另存为同名的 -findings 文件")
    p.add_argument("--json", action="store_true", help="以 JSON 输出每份报告的审核结果")
    p.add_argument("--findings-format", choices=("csv", "jsonl"), default="csv", help="全部问题文件的格式")
    p.add_argument("--workers", type=int, default=2, help="并行进程数（默认 2）")
    p.add_argument("--progress", action="store_true", help="即使输出不是终端也显示进度条")
    p.set_defaults(func=cmd_audit)
