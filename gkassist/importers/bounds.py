"""Size checks every importer shares: the file, the text it holds, the lines read from it.

Each check runs before the work it protects (a file before it is read, text before it is
split into lines), raises ``ReportReadError`` with the Chinese ``limits.over_limit`` message,
and so leaves nothing half-imported. The limits themselves are in gkassist/limits.py.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from gkassist import limits
from gkassist.importers.result import ReportReadError
from gkassist.limits import human_size, over_limit


class _HasText(Protocol):
    @property
    def text(self) -> str: ...


def check_file_size(size: int) -> None:
    cap = limits.LIMITS.file_bytes
    if size > cap:
        raise ReportReadError(over_limit("文件大小", human_size(size), human_size(cap)))


def read_file(path: Path) -> bytes:
    """The file's bytes, at most the size limit: the size is checked before reading, and the
    read stops one byte past the limit (a file can grow while it is read). Devices (/dev/zero
    never ends), FIFOs and sockets (a read blocks) are refused before any read; the FIFO is
    opened non-blocking, so opening it does not wait for a writer either."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ReportReadError(f"找不到文件“{path}”。请检查文件路径是否正确。") from None
    except IsADirectoryError:
        raise ReportReadError(f"“{path}”是一个文件夹，不是文件。请选择要导入的报告文件。") from None
    except PermissionError:
        raise ReportReadError(f"没有读取文件“{path}”的权限。请检查文件权限后重试。") from None
    except (OSError, ValueError) as err:  # ValueError: a NUL byte in the name
        reason = err.strerror if isinstance(err, OSError) and err.strerror else "文件名无效"
        raise ReportReadError(f"无法读取文件“{path}”：{reason}。") from None
    try:
        info = os.fstat(fd)  # of the file opened, not of whatever the name points to by now
        if stat.S_ISDIR(info.st_mode):
            raise ReportReadError(f"“{path}”是一个文件夹，不是文件。请选择要导入的报告文件。")
        if not stat.S_ISREG(info.st_mode):
            raise ReportReadError(
                f"“{path}”不是普通文件（而是设备、管道或套接字），无法导入。请选择保存在磁盘上的报告文件。"
            )
        check_file_size(info.st_size)
        data = _read_at_most(fd, limits.LIMITS.file_bytes + 1)
    except OSError as err:
        raise ReportReadError(f"无法读取文件“{path}”：{err.strerror or err}。") from None
    finally:
        os.close(fd)
    check_file_size(len(data))
    return data


def _read_at_most(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = os.read(fd, min(left, 1024 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def check_text(text: str) -> None:
    """Text before it is split into lines (a file of newlines would be millions of lines)."""
    cap = limits.LIMITS.text_chars
    if len(text) > cap:
        raise ReportReadError(over_limit("文件中的文字", f"{len(text):,} 个字符", f"{cap:,} 个字符"))
    newlines = text.count("\n") + text.count("\r")
    if newlines > 2 * limits.LIMITS.text_lines:  # \r\n counts twice
        _too_many_lines(newlines)


def check_lines(lines: Sequence[_HasText]) -> None:
    """The document's paragraphs and table rows, before the shared reader takes them."""
    if len(lines) > limits.LIMITS.text_lines:
        _too_many_lines(len(lines))
    chars = sum(len(line.text) for line in lines)
    cap = limits.LIMITS.text_chars
    if chars > cap:
        raise ReportReadError(over_limit("文件中的文字", f"{chars:,} 个字符", f"{cap:,} 个字符"))


def _too_many_lines(count: int) -> None:
    cap = limits.LIMITS.text_lines
    raise ReportReadError(over_limit("文件中的段落和表格行", f"约 {count:,} 行", f"{cap:,} 行"))
