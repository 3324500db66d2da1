"""What the placeholder page shows: the bundled seed report's findings as Chinese lines."""

from __future__ import annotations

from gkassist.checks import check_report
from gkassist.examples import SEED_TEXT
from gkassist.findings import SEVERITY_ZH
from gkassist.importers import import_file


def example_findings() -> list[str]:
    result = import_file(SEED_TEXT)
    if result.report is None:
        return ["示例报告无法读取。"]
    return [f"【{SEVERITY_ZH[f.severity]} {f.code}】{f.message}" for f in check_report(result.report)]
