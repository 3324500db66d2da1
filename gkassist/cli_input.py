"""Reading a report file for a CLI command: one place for the Chinese "cannot read" messages.

Kept light (importers are imported on first use) so `gkassist check` starts fast.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gkassist.importers.result import Diagnostic
    from gkassist.model import Report


def read_report_file(path: str, *, show_diagnostics: bool = True) -> tuple[Report, list[Diagnostic]] | None:
    """The report and its import diagnostics, or None after printing why the file cannot be read."""
    from gkassist.importers import ReportReadError, import_file

    try:
        result = import_file(path)
    except ReportReadError as exc:
        print(f"无法读取“{path}”：{exc}", file=sys.stderr)
        return None
    except OSError as exc:
        print(f"无法读取“{path}”：{exc.strerror or type(exc).__name__}。请检查文件路径和权限。", file=sys.stderr)
        return None
    if result.report is None:
        print(f"无法读取“{path}”：未能识别出年度报告的内容。", file=sys.stderr)
        if show_diagnostics:
            for d in result.diagnostics:
                print(f"  {d.message}", file=sys.stderr)
        return None
    return result.report, result.diagnostics
