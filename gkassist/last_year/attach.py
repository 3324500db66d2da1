"""The one way to attach last year's report to this year's: ``gkassist compare``, the 对照上年
page, the import on 基本信息 and the rule examples all go through ``attach_last_year``."""

from __future__ import annotations

from gkassist.model import Report


def attach_last_year(report: Report, last: Report) -> None:
    """Keep ``last`` as ``report.last_year``. Last year's own last year is dropped: the checks
    look one year back only, and a saved report must not grow a chain of years."""
    last.last_year = None
    report.last_year = last


def year_mismatch(report: Report, last: Report) -> str | None:
    """A Chinese warning when the report given as last year's is of another year (None when it fits)."""
    expected = report.meta.year - 1
    if last.meta.year == expected:
        return None
    return f"上传的是{last.meta.year}年度的报告，不是{expected}年度的报告，请核对。"
