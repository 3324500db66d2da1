"""A pydantic ValidationError as one Chinese sentence that names the field and says what is wrong."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from gkassist.model import FIELD_NAMES_ZH

_JSON_POSITION = re.compile(r"line (\d+) column (\d+)")
_PROBLEMS_ZH: dict[str, str] = {
    "missing": "缺少此项",
    "extra_forbidden": "不是本系统报告中的项目",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "finite_number": "应为一个具体的数字",
    "string_type": "应为文字",
    "bool_type": "应为 true 或 false",
    "dict_type": "应为一组“名称: 内容”（JSON 对象）",
    "list_type": "应为列表",
    "model_type": "应为一组“名称: 内容”（JSON 对象）",
    "model_attributes_type": "应为一组“名称: 内容”（JSON 对象）",
    "date_parsing": "应为日期，如 2024-12-31",
    "date_from_datetime_parsing": "应为日期，如 2024-12-31",
    "date_type": "应为日期，如 2024-12-31",
    "datetime_parsing": "应为日期和时间，如 2024-12-31T09:00:00",
    "datetime_from_date_parsing": "应为日期和时间，如 2024-12-31T09:00:00",
    "datetime_type": "应为日期和时间，如 2024-12-31T09:00:00",
    "literal_error": "取值不在允许的范围内",
    "too_short": "不能为空",
    "string_too_short": "不能为空",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "recursion_loop": "嵌套层数过多",
}


def describe_location(loc: tuple[int | str, ...]) -> str:
    """('meta', 'agency') -> 字段“meta.agency”（机关名称）; the Chinese name when we have one."""
    if not loc:
        return "报告的顶层"
    path = ".".join(str(p) for p in loc)
    name = next((FIELD_NAMES_ZH[str(p)] for p in reversed(loc) if str(p) in FIELD_NAMES_ZH), None)
    return f"字段“{path}”（{name}）" if name else f"字段“{path}”"


def problem_zh(error: Any) -> str:
    """What is wrong with one error of ``ValidationError.errors()``, in Chinese."""
    if error.get("type") == "value_error":  # our own validators already speak Chinese
        return str(error.get("ctx", {}).get("error") or error.get("msg", "")).removeprefix("Value error, ")
    problem = _PROBLEMS_ZH.get(str(error.get("type")), f"格式不对（{error.get('type')}）")
    at = _JSON_POSITION.search(str(error.get("msg", "")))
    if error.get("type") == "json_invalid" and at:
        problem += f"（第{at.group(1)}行第{at.group(2)}列附近）"
    expected = (error.get("ctx") or {}).get("expected")
    if error.get("type") == "literal_error" and expected:
        problem += f"，可选：{expected}"
    return problem


def validation_message_zh(err: ValidationError) -> str:
    """The first problem, located; with the count when there are more."""
    first = err.errors(include_url=False)[0]
    problem = problem_zh(first).rstrip("。")
    whole_file = not first["loc"] and first.get("type") == "json_invalid"
    where = "" if whole_file or problem.startswith("字段“") else f"{describe_location(tuple(first['loc']))}有误："
    more = f"（共{err.error_count()}处问题，此处只列出第一处）" if err.error_count() > 1 else ""
    return f"{where}{problem}{more}"
