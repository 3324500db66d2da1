"""Writing a CLI command's output file (-o): one place for the Chinese "cannot write" messages.

The path is checked before the command does its work, so a typo in -o is reported at once,
and the write itself reports any error the disk gives (full, read-only, no permission).
"""

from __future__ import annotations

import sys
from pathlib import Path


def output_problem(path: str) -> str | None:
    """Why ``path`` cannot be written as an output file (Chinese), or None when it looks writable."""
    out = Path(path)
    if not path.strip() or out.name in ("", ".", ".."):
        return f"输出文件名“{path}”无效，请给出要保存的文件名，例如 report.json。"
    if out.is_dir():
        return f"“{path}”是一个文件夹，不是文件。请在文件夹名后加上文件名，例如 {out / 'report.json'}。"
    parent = out.parent
    if not parent.exists():
        return f"输出文件夹“{parent}”不存在。请先创建该文件夹，或换一个已有的文件夹。"
    if not parent.is_dir():
        return f"“{parent}”不是文件夹，无法在其中保存“{out.name}”。请检查输出路径。"
    if out.exists() and not out.is_file():
        return f"“{path}”不是普通文件（可能是设备或管道），不能作为输出文件。请换一个文件名。"
    return None


def refuse_output(path: str) -> bool:
    """Print why ``path`` cannot be written and return True; False when it looks writable."""
    problem = output_problem(path)
    if problem is None:
        return False
    print(f"无法保存：{problem}", file=sys.stderr)
    return True


def write_output(path: str, data: bytes) -> bool:
    """Write ``data`` to ``path``; False after printing a Chinese message when that fails."""
    if refuse_output(path):
        return False
    try:
        Path(path).write_bytes(data)
    except OSError as err:
        reason = err.strerror or type(err).__name__
        print(f"无法写入“{path}”：{reason}。请检查磁盘空间、路径和写入权限。", file=sys.stderr)
        return False
    return True
