"""The editors of the 报告列表, 基本信息, 工作亮点 and 起草 pages: what staff type, checked and
stored on the report. A refusal is a Chinese message and the widget keeps the text.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from gkassist.agency_level import Level, level_rules
from gkassist.control_chars import control_char_message, has_control_chars
from gkassist.layouts import FORMAT_IDS, FormatId, format_for_year
from gkassist.model import DeclaredFigure, Report, SectionId
from gkassist.names import SECTION_TITLES
from gkassist.validation_zh import problem_zh


class InputRefused(ValueError):
    """Typed text that cannot be stored; str() is a Chinese message. The widget keeps the text."""


def refuse_control_chars(text: str, field_zh: str) -> str:
    """``text`` unchanged, or InputRefused when it holds control characters (Word cannot hold them)."""
    if has_control_chars(text):
        raise InputRefused(control_char_message(field_zh))
    return text




def suggested_format(year: int) -> FormatId:
    return format_for_year(year)


def new_report(agency: str, year: int, format_id: str | None = None) -> Report:
    agency = refuse_control_chars(agency.strip(), "机关名称")
    if not agency:
        raise ValueError("请填写机关名称，例如“某某市生态环境局”。")
    fmt: FormatId | None = None
    for known in FORMAT_IDS:
        if format_id == known:
            fmt = known
    return Report.new(agency, year, fmt)


def report_from_example(example: Report, agency: str, year: int, format_id: str | None = None) -> Report:
    """A new report pre-filled with the bundled example's data (for demos and training)."""
    base = new_report(agency, year, format_id)
    report = example.model_copy(deep=True)
    report.meta = base.meta
    report.meta.publication_date = None  # not published yet
    report.acknowledgements = []
    report.last_year = None
    if report.meta.format != example.meta.format:
        report.tables = base.tables
    return report


META_PATHS = ("agency", "year", "format", "level", "period_start", "period_end", "publication_date",
              "contact.office", "contact.address", "contact.postcode", "contact.phone")
LEVELS: tuple[Level, ...] = ("department", "government")


def level_choice(level: Level) -> str:
    """The 报告主体 option as shown: who publishes, and the deadline that follows."""
    return level_rules().levels[level].choice


META_NAMES_ZH = {
    "agency": "机关名称", "year": "报告年度", "format": "报告格式", "level": "报告主体", "period_start": "统计期限起",
    "period_end": "统计期限止", "publication_date": "发布日期", "contact.office": "联系部门",
    "contact.address": "地址", "contact.postcode": "邮编", "contact.phone": "电话",
}


def set_meta_field(report: Report, path: str, value: Any) -> None:
    """Set one 基本信息 field; raises ValueError with a Chinese message for invalid input."""
    if path not in META_PATHS:
        raise ValueError(f"未知字段：{path}")
    if path == "agency" and not str(value or "").strip():
        raise ValueError("机关名称不能为空，请填写，例如“某某市生态环境局”。")
    if isinstance(value, str):
        refuse_control_chars(value, META_NAMES_ZH[path])
    target: Any = report.meta
    *parents, name = path.split(".")
    for parent in parents:
        target = getattr(target, parent)
    try:
        setattr(target, name, value)
    except ValidationError as exc:
        raise ValueError(f"“{META_NAMES_ZH[path]}”填写有误：{_first_problem(exc)}。") from exc




def set_highlight(report: Report, aspect: str, text: str) -> bool:
    text = refuse_control_chars(text.strip(), f"工作亮点“{aspect}”")
    if report.highlights.get(aspect, "") == text:
        return False
    if text:
        report.highlights[aspect] = text
    else:
        report.highlights.pop(aspect, None)
    return True


def declared_records(report: Report) -> dict[str, list[str]]:
    return {
        "名称": [d.label for d in report.declared],
        "数值": [str(d.value) for d in report.declared],
        "单位": [d.unit for d in report.declared],
    }


def apply_declared_edits(report: Report, base: dict[str, list[str]], state: dict[str, Any]) -> list[str]:
    """Rebuild report.declared from the editor's base rows plus its edit state.

    Returns Chinese problems for rows that cannot be stored (missing label, non-numeric value);
    those rows are left out until fixed.
    """
    rows: list[dict[str, Any]] = [
        {"名称": lab, "数值": val, "单位": unit} for lab, val, unit in zip(base["名称"], base["数值"], base["单位"], strict=True)
    ]
    for pos, cols in (state.get("edited_rows") or {}).items():
        if 0 <= int(pos) < len(rows):
            rows[int(pos)].update(cols)
    rows += [dict(r) for r in state.get("added_rows") or []]
    deleted = {int(i) for i in state.get("deleted_rows") or []}
    problems: list[str] = []
    declared: list[DeclaredFigure] = []
    for i, row in enumerate(rows):
        if i in deleted:
            continue
        label = str(row.get("名称") or "").strip()
        value_text = str(row.get("数值") or "").strip()
        if not label and not value_text:
            continue
        if not label:
            problems.append(f"第{i + 1}行：请填写名称，例如“发布各类信息”。")
            continue
        unit = str(row.get("单位") or "").strip()
        if has_control_chars(label + unit):
            problems.append(f"第{i + 1}行：{control_char_message('名称或单位')}")
            continue
        try:
            value = Decimal(value_text.replace(",", "").replace("，", ""))
            declared.append(DeclaredFigure(label=label, value=value, unit=unit))
        except InvalidOperation:
            problems.append(f"第{i + 1}行“{label}”：数值“{value_text}”不是数字，请只填写数字，单位填在“单位”列。")
        except ValidationError as exc:
            problems.append(f"第{i + 1}行“{label}”：{_first_problem(exc)}")
    report.declared = declared
    return problems


def set_section(report: Report, section_id: SectionId, text: str) -> None:
    """The section's text as staff typed it; InputRefused (text kept in the widget) for control characters."""
    report.sections[section_id] = refuse_control_chars(text, SECTION_TITLES[section_id])


def _first_problem(exc: ValidationError) -> str:
    return problem_zh(exc.errors(include_url=False)[0]).rstrip("。")
