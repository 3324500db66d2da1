"""``gkassist compare LAST THIS [--json]``: this year's report beside last year's.

Exit codes as for ``check``: 0 no errors, 1 cross-year errors (e.g. A6), 2 a file cannot be read.
Heavy modules are imported inside the command, so registering the parser costs nothing.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gkassist.model import Report


def _read(path: str) -> Report | None:
    from gkassist.cli_input import read_report_file

    result = read_report_file(path, show_diagnostics=False)
    return result[0] if result is not None else None


def cmd_compare(args: argparse.Namespace) -> int:
    last, this = _read(args.last), _read(args.this)
    if last is None or this is None:
        return 2
    from gkassist.compare import compare_reports, comparison_json, comparison_text

    cmp = compare_reports(last, this)
    if args.json:
        print(json.dumps(comparison_json(cmp), ensure_ascii=False, indent=1))
    else:
        print(comparison_text(cmp, all_cells=args.all_cells))
    return 1 if any(f.severity == "error" for f in cmp.findings) else 0


def add_compare_parser(subparsers: Any) -> None:
    p = subparsers.add_parser("compare", help="对照上年报告：表格逐格变化、跨年勾稽关系、叙述逐句对照和雷同比例")
    p.add_argument("last", help="上一年度的报告文件")
    p.add_argument("this", help="本年度的报告文件")
    p.add_argument("--json", action="store_true", help="以 JSON 输出对照结果")
    p.add_argument("--all-cells", action="store_true", help="列出每个单元格的两年数字")
    p.set_defaults(func=cmd_compare)
