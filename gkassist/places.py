"""Chinese names of places in a report, derived from ids in one place.

A cell is addressed by ids only (format, table, row, column); a text span by its section id
and character span. Whatever a user reads ("表三“三、本年度办理结果·（一）予以公开”行“总计”列",
"一、总体情况第3–5字") is made here from those ids and the layouts in rules/.
"""

from __future__ import annotations

from functools import cache

from gkassist.layouts import TableLayout, table_layout
from gkassist.names import TABLE_NUMERALS, section_name

FIELD_NAMES: dict[str, str] = {  # meta fields a finding can point at
    "agency": "机关名称",
    "year": "报告年度",
    "format": "报告格式",
    "period": "统计期限",
    "publication_date": "发布日期",
    "contact": "联系方式",
    "level": "报告主体",
    "declared": "已申报数字",  # lists of their own, not basic information (X10: a digit in a figure's name)
    "highlights": "工作亮点",
    "rectifications": "上年问题整改情况",  # the 整改措施/整改结果 pairs, one per last-year problem
}
_LISTS = frozenset({"declared", "highlights", "rectifications"})  # entered on the 工作亮点 page


def table_name(table_id: str) -> str:
    """表三."""
    return f"表{TABLE_NUMERALS[table_id]}"


@cache
def row_path(format_id: str, table_id: str, row_id: str, sub_row: str | None = None) -> str:
    """The row as printed with its group headings (三、本年度办理结果·（一）予以公开); an agency's
    sub-row is named under its official row's label (其他对外管理服务事项·行政检查)."""
    row = table_layout(format_id, table_id).row(row_id)
    return f"{row.label}·{sub_row}" if sub_row else row.path


@cache
def column_path(format_id: str, table_id: str, column_id: str, row_id: str | None = None) -> str:
    """The column as printed with its group headings (申请人情况·法人或其他组织·商业企业). Without
    a row, the column of the first block that has it."""
    layout = table_layout(format_id, table_id)
    if row_id is not None:
        return layout.column(row_id, column_id).path
    return _first_column(layout, column_id)


def _first_column(layout: TableLayout, column_id: str) -> str:
    for block in layout.blocks:
        for col in block.columns:
            if col.id == column_id:
                return col.path
    raise KeyError(column_id)


def cell_name(format_id: str, table_id: str, row_id: str | None, column_id: str | None, sub_row: str | None = None) -> str:
    """表三“一、本年新收政府信息公开申请数量”行“申请人情况·自然人”列 (a row or a column alone when the other is None)."""
    parts = [table_name(table_id)]
    if row_id is not None:
        parts.append(f"“{row_path(format_id, table_id, row_id, sub_row)}”行")
    if column_id is not None:
        parts.append(f"“{column_path(format_id, table_id, column_id, row_id)}”列")
    return "".join(parts)


def span_name(section: str, start: int | None = None, end: int | None = None) -> str:
    """一、总体情况第3–5字 (characters counted from 1), or the section's name alone."""
    name = section_name(section)
    return f"{name}第{start + 1}–{end}字" if start is not None else name


def field_name(field: str, item: int | None = None) -> str:
    """基本信息·发布日期; 已申报数字, 工作亮点 and 上年问题整改情况 are lists of their own
    (上年问题整改情况第2项: one entry of a list)."""
    name = FIELD_NAMES.get(field, field)
    if field not in _LISTS:
        return f"基本信息·{name}"
    return f"{name}第{item}项" if item is not None else name


def field_page(field: str) -> str:
    """The app page where a meta field is entered."""
    return "工作亮点" if field in _LISTS else "基本信息"
