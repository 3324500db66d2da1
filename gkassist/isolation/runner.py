"""The parent side: send a file to a child process, wait for its answer, kill it past the deadline.

``import_isolated`` reads one report (last year's report on 基本信息 and 对照上年);
``audit_isolated`` checks a batch (批量审核) in one child, starting a new child for the rest of
the batch when one file kills it. The calling thread waits on the child's pipes with a
timeout (``selectors``), holding neither the interpreter lock nor any memory of the import.

What the child may use: ``limits.LIMITS.import_seconds`` for the import itself (the child
stops and answers in Chinese), ``CHILD_MEMORY`` bytes of address space, and ``child_seconds()``
in all per file (starting Python included) before it is killed.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkassist import limits
from gkassist.limits import MB

if TYPE_CHECKING:
    from gkassist.audit.runner import AuditResult
    from gkassist.importers.result import ImportResult

CHILD_MODULE = "gkassist.isolation.child"  # tests point this at a slow stand-in to hold an import open
CHILD_MEMORY = 768 * MB  # address space: the worst file under the limits maps ~130 MB (bench_limits)
CHILD_GRACE = 20.0  # seconds beyond the import budget: starting Python and the libraries, checking a report

TOO_SLOW = (
    "读取这个文件用时过长，已停止，没有导入任何内容。"
    "请检查是否选错了文件；如果确实是年度报告，请删去无关内容或另存为较小的文件（如只含正文的 .docx 或 .txt）后再导入。"
)
CHILD_DIED = (
    "读取这个文件时导入程序意外退出（可能是文件需要的内存超过了上限），没有导入任何内容。"
    "请检查是否选错了文件，或另存为较小的文件后再导入；如仍出错，请把文件交给系统维护人员。"
)
NOT_STARTED = "导入程序无法启动，没有导入任何内容。请稍后重试；如仍出错，请联系系统维护人员。"


class IsolationError(Exception):
    """The child could not answer (too slow, died, did not start); str() is a Chinese message."""


def child_seconds() -> float:
    return limits.LIMITS.import_seconds + CHILD_GRACE


class Child:
    """One child process, asked one file at a time; closed with ``close`` (or as a context manager)."""

    def __init__(self) -> None:
        env = dict(os.environ, PYTHONIOENCODING="utf-8", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        here = str(Path(__file__).resolve().parents[2])  # the child imports this very gkassist
        env["PYTHONPATH"] = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH", "")) if p)
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", CHILD_MODULE, "--memory", str(CHILD_MEMORY)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
            )  # fmt: skip
        except OSError:
            raise IsolationError(NOT_STARTED) from None
        self.pending = b""  # answer bytes read past the last newline (none in practice)

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ask(self, task: str, name: str, data: bytes) -> dict[str, Any]:
        """The child's answer to one file; IsolationError (the child is then killed) when it does
        not answer within ``child_seconds()``."""
        header = json.dumps({"task": task, "name": name, "size": len(data)}, ensure_ascii=True).encode() + b"\n"
        line = self._exchange(header + data, time.monotonic() + child_seconds())
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _exchange(self, request: bytes, deadline: float) -> bytes:
        stdin, stdout = self.proc.stdin, self.proc.stdout
        assert stdin is not None and stdout is not None
        view = memoryview(request)
        buffer = bytearray(self.pending)
        with selectors.DefaultSelector() as sel:
            os.set_blocking(stdin.fileno(), False)
            sel.register(stdin, selectors.EVENT_WRITE)
            sel.register(stdout, selectors.EVENT_READ)
            while b"\n" not in buffer:
                left = deadline - time.monotonic()
                if left <= 0:
                    self.kill()
                    raise IsolationError(TOO_SLOW)
                for key, _ in sel.select(timeout=min(left, 1.0)):
                    if key.fileobj is stdin:
                        view = self._write_some(stdin, view, sel)
                    else:
                        chunk = os.read(stdout.fileno(), 1024 * 1024)
                        if not chunk:
                            self.kill()
                            raise IsolationError(CHILD_DIED)
                        buffer += chunk
        line, _, self.pending = bytes(buffer).partition(b"\n")
        return line

    def _write_some(self, stdin: Any, view: memoryview, sel: selectors.BaseSelector) -> memoryview:
        try:
            written = os.write(stdin.fileno(), view[: 1024 * 1024])
        except BlockingIOError:
            return view
        except (BrokenPipeError, ConnectionResetError):  # the child died; its stdout says so next
            sel.unregister(stdin)
            return view[len(view) :]
        view = view[written:]
        if not view:
            sel.unregister(stdin)
        return view

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.proc.wait()
        self._close_pipes()

    def close(self) -> None:
        """End the child: closing its stdin ends its loop; killed if it does not stop at once."""
        if self.proc.poll() is None:
            with contextlib.suppress(OSError):
                assert self.proc.stdin is not None
                self.proc.stdin.close()
            try:
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_pipes()

    def _close_pipes(self) -> None:
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


def import_isolated(data: bytes, name: str) -> ImportResult:
    """``importers.import_bytes`` in a child process: the ImportResult, or ReportReadError (Chinese)."""
    from gkassist.importers import ImportResult, ReportReadError
    from gkassist.importers.bounds import check_file_size

    check_file_size(len(data))  # refused here, before any child is started
    try:
        with Child() as child:
            answer = child.ask("import", name, data)
    except IsolationError as exc:
        raise ReportReadError(str(exc)) from None
    if not answer.get("ok"):
        raise ReportReadError(str(answer.get("message") or CHILD_DIED))
    return ImportResult.model_validate(answer["result"])


def audit_isolated(files: Sequence[tuple[str, bytes]]) -> list[AuditResult]:
    """``audit.runner.audit_bytes`` for each file, in one child (a new one after a file kills it)."""
    from gkassist.audit.runner import AuditResult
    from gkassist.audit.safetext import printable
    from gkassist.importers import ReportReadError
    from gkassist.importers.bounds import check_file_size

    results: list[AuditResult] = []
    child: Child | None = None
    try:
        for name, data in files:
            try:
                check_file_size(len(data))
                child = child or Child()
                answer = child.ask("audit", name, data)
            except (ReportReadError, IsolationError) as exc:
                if child is not None and child.proc.poll() is not None:
                    child = None  # killed or dead: the next file gets a new one
                results.append(AuditResult(printable(name), False, reason=str(exc)))
                continue
            if answer.get("ok"):
                results.append(AuditResult(**answer["result"]))
            else:
                results.append(AuditResult(printable(name), False, reason=str(answer.get("message") or CHILD_DIED)))
    finally:
        if child is not None:
            child.close()
    return results
