"""argparse with Chinese usage errors and help headings (argparse itself speaks English).

A usage error prints the usage line and one Chinese sentence, then exits 2 like argparse.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

# argparse's English error messages (Python 3.11) and their Chinese wording
_ERRORS_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), zh)
    for pattern, zh in (
        (r"the following arguments are required: (?P<a>.+)", "缺少必填参数：{a}"),
        (r"unrecognized arguments: (?P<a>.+)", "无法识别的参数：{a}"),
        (r"argument (?P<a>.+?): invalid choice: (?P<v>.+?) \(choose from (?P<c>.+)\)", "参数 {a} 的取值 {v} 无效，可选：{c}"),
        (r"argument (?P<a>.+?): expected one argument", "参数 {a} 后面需要跟一个值"),
        (r"argument (?P<a>.+?): invalid (?P<t>\w+) value: (?P<v>.+)", "参数 {a} 的取值 {v} 格式不对（应为{t}）"),
        (r"argument (?P<a>.+?): not allowed with argument (?P<b>.+)", "参数 {a} 不能与 {b} 同时使用"),
        (r"argument (?P<a>.+?): ignored explicit argument (?P<v>.+)", "参数 {a} 不接受取值 {v}"),
        (r"ambiguous option: (?P<a>.+?) could match (?P<c>.+)", "选项 {a} 不明确，可能是：{c}"),
    )
)
_TYPE_ZH = {"int": "整数", "float": "数字"}


def error_zh(message: str) -> str:
    """argparse's English error message in Chinese (unknown ones are kept after a Chinese lead)."""
    for pattern, template in _ERRORS_ZH:
        m = pattern.fullmatch(message.strip())
        if m:
            parts = {k: _TYPE_ZH.get(v, v) for k, v in m.groupdict().items()}
            return template.format(**parts)
    return f"命令参数有误（{message}）"


class _ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(
        self, usage: str | None, actions: Iterable[argparse.Action], groups: Iterable[Any], prefix: str | None = None
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """Sub-command parsers are made with the same class (argparse uses type(parent))."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.pop("add_help", True)
        kwargs.setdefault("formatter_class", _ChineseHelpFormatter)
        kwargs["add_help"] = False  # our own -h, with a Chinese help line
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：{error_zh(message)}。用“{self.prog} -h”查看用法。\n")
