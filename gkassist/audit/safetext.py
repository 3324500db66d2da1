"""Text from the audited files, made safe to print and to open in a spreadsheet.

* A file name with bytes that are not UTF-8 (possible on Linux) is shown with those bytes
  escaped (``报告\\xff.txt``), like ``os.fsdecode`` + ``backslashreplace``; any other lone
  surrogate (a JSON ``\\udcff`` escape in a report) as ``\\udcff``. Nothing then fails to encode.
* A CSV cell that a spreadsheet would run as a formula (starting with ``=`` ``+`` ``-`` ``@``,
  tab or carriage return, as OWASP lists them) gets a leading ``'``, so it stays text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str) -> str:
    """``text`` that encodes as UTF-8: undecodable file-name bytes and lone surrogates escaped."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:  # a file name decoded with surrogateescape: show its bytes
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def csv_cell(value: object) -> str:
    text = printable(str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_row(values: Iterable[object]) -> list[str]:
    return [csv_cell(v) for v in values]
