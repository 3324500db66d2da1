"""The one way to attach last year's report to this year's: ``gkassist compare``, the 对照上年
page, the import on 基本信息, 从上年报告开始 and the rule examples all go through ``attach_last_year``.

A report of another year than the one before is refused where staff attach it (``year_refusal``);
staff who really mean it say so, and the override is kept with the report (``last_year_override``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from gkassist.model import LastYearOverride, Report


def attach_last_year(report: Report, last: Report, override: LastYearOverride | None = None) -> None:
    """Keep ``last`` as ``report.last_year``. Last year's own last year is dropped: the checks
    look one year back only, and a saved report must not grow a chain of years. ``override``
    records that staff chose a report of another year on purpose (None: it is of the year before)."""
    last.last_year = None
    last.last_year_override = None
    report.last_year = last
    report.last_year_override = override


@dataclass(frozen=True)
class YearRefusal:
    """Why a report cannot be last year's: its year is not this year − 1."""

    year: int
    expected: int
    message: str  # Chinese: what, why, what to do

    def override(self, by: str) -> LastYearOverride:
        return LastYearOverride(year=self.year, expected=self.expected, by=by, at=datetime.now(UTC))


def year_refusal(report: Report, last: Report) -> YearRefusal | None:
    """None when ``last`` is of the year before ``report``; otherwise the refusal, in Chinese."""
    expected, year = report.meta.year - 1, last.meta.year
    if year == expected:
        return None
    if year == report.meta.year:
        what = f"这份报告是{year}年度的，和本报告是同一年度（可能是本年自己的文件）"
    else:
        what = f"这份报告是{year}年度的，本报告是{report.meta.year}年度，上年报告应为{expected}年度"
    return YearRefusal(
        year,
        expected,
        f"没有作为上年报告使用：{what}。用其他年度的报告对照，上年结转、雷同比例和上年问题整改都会算错。"
        f"请上传或选择{last.meta.agency or '本机关'}{expected}年度的报告；如确需使用这份报告"
        f"（例如{expected}年度没有发布报告），请勾选“仍然使用这份{year}年度的报告”后点击确认，"
        "系统会记录这一选择并在“对照上年”页注明。",
    )


def override_note(report: Report) -> str | None:
    """The Chinese line 对照上年 shows while last year's report is of another year by the clerk's choice."""
    o = report.last_year_override
    if o is None or report.last_year is None:
        return None
    when = f"{o.at:%Y-%m-%d %H:%M}" if o.at else "时间未记录"
    return (
        f"注意：本报告对照的是{o.year}年度的报告，不是{o.expected}年度的报告。"
        f"这是{o.by or '未署名用户'}于{when}确认的选择；上年结转、雷同比例等对照结果请据此理解。"
    )
