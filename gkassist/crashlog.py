"""Internal errors: the traceback goes to a log file, the user gets one Chinese line naming it.

Logs live in the user's state folder (``$XDG_STATE_HOME/gkassist/logs``, default
``~/.local/state/gkassist/logs``), never in the repository; ``GKASSIST_LOG_DIR`` overrides it.
When that folder cannot be written the system temporary folder is used.
"""

from __future__ import annotations

import os
import tempfile
import traceback
from datetime import datetime
from pathlib import Path


def log_dir() -> Path:
    override = os.environ.get("GKASSIST_LOG_DIR", "").strip()
    if override:
        return Path(override)
    state = os.environ.get("XDG_STATE_HOME", "").strip()
    base = Path(state) if state else Path.home() / ".local" / "state"
    return base / "gkassist" / "logs"


def write_crash_log(exc: BaseException, context: str) -> Path | None:
    """Write ``exc`` with its traceback to a new log file; its path, or None when no folder is writable."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    body = f"gkassist {context}\n{datetime.now().isoformat()}\n\n" + "".join(traceback.format_exception(exc))
    for folder in (log_dir(), Path(tempfile.gettempdir()) / "gkassist-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f"crash-{stamp}-", suffix=".log", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as out:
                out.write(body)
        except OSError:
            continue
        return Path(name)
    return None


def data_file_message_zh(detail: str, log: Path | None) -> str:
    """A data file in rules/ that does not load: not a bug of the program but of the file, so
    the user sees which file and what is wrong (the detail is the maintainer's English line)."""
    where = f"（详细信息另见日志文件 {log}）" if log else ""
    return (
        f"规则数据文件有误，程序无法开始工作：{detail}{where}。"
        "请让维护规则文件（rules/ 文件夹）的人员按上述提示改正该文件，或恢复原来的文件后重试。"
    )


def crash_message_zh(log: Path | None) -> str:
    """One line for the user: what happened, where the details are, what to do."""
    where = f"详细信息已记录在日志文件 {log} 中" if log else "详细信息未能写入日志文件（日志文件夹不可写）"
    return f"程序内部出错，本次操作没有完成；{where}，请将该文件发给技术支持人员。"
