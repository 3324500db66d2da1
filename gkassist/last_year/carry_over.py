"""上年结转: this year's table 三 row 二 starts as last year's row 四 (结转下年度继续办理); it is
carried over by gkassist.last_year.start, and shown as carried while the two rows agree."""

from __future__ import annotations

from gkassist.model import Report


def carried_in_prefilled(report: Report) -> bool:
    """True while this year's 上年结转 row equals last year's 结转下年度 row (i.e. came from it)."""
    last = report.last_year
    if last is None or "s3" not in last.tables:
        return False
    cells = report.table("s3").cells.get("carried_in", {})
    return bool(cells) and all(last.tables["s3"].get("carried_out", c).raw == cell.raw for c, cell in cells.items())
