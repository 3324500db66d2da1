"""上年结转: this year's table 三 row 二 starts as last year's row 四 (结转下年度继续办理)."""

from __future__ import annotations

from gkassist.model import Report


def prefill_carried_in(report: Report) -> list[str]:
    """Copy last year's 结转下年度 into every blank cell of this year's 上年结转; cells staff
    already filled are left alone. Returns a Chinese line per cell filled."""
    last = report.last_year
    if last is None or "s3" not in last.tables:
        return []
    layout = report.layout_of("s3")
    if not any(r.id == "carried_in" for r in layout.rows()):
        return []
    this, prev = report.table("s3"), last.tables["s3"]
    filled = []
    for col in layout.block_of("carried_in").columns:
        source = prev.get("carried_out", col.id)
        if this.get("carried_in", col.id).state == "blank" and source.state != "blank":
            this.set("carried_in", col.id, source.raw)
            filled.append(f"“二、上年结转政府信息公开申请数量”行“{col.path}”列：{source.raw}（取自上年报告“四、结转下年度继续办理”）")
    return filled


def carried_in_prefilled(report: Report) -> bool:
    """True while this year's 上年结转 row equals last year's 结转下年度 row (i.e. came from it)."""
    last = report.last_year
    if last is None or "s3" not in last.tables:
        return False
    cells = report.table("s3").cells.get("carried_in", {})
    return bool(cells) and all(last.tables["s3"].get("carried_out", c).raw == cell.raw for c, cell in cells.items())
