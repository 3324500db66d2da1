"""Control characters: refused or removed wherever text enters a report.

Word documents (XML) cannot hold them, so one stray character from a copy-paste or a hostile
file would break every .docx export. Tab, line feed and carriage return are ordinary text.
Also caught: lone surrogates (undecodable bytes escaped by Python) and the noncharacters
U+FFFE/U+FFFF, which XML refuses as well.
"""

from __future__ import annotations

import re

CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def has_control_chars(text: str) -> bool:
    return CONTROL_CHARS.search(text) is not None


def strip_control_chars(text: str) -> tuple[str, int]:
    """``text`` without control characters, and how many were removed."""
    cleaned, removed = CONTROL_CHARS.subn("", text)
    return cleaned, removed


def control_char_message(field_zh: str) -> str:
    """The Chinese refusal for a field that holds control characters."""
    return (
        f"{field_zh}中含有不可见的控制字符或无效字符（如从其他软件复制时带入的特殊符号），无法保存或导出。"
        "请删除后重新输入，或从纯文本中重新复制。"
    )
