"""The child side: ``python -m gkassist.isolation.child``, one request at a time on stdin.

A request is one JSON line ``{"task": "import" | "audit", "name": ..., "size": n}`` followed
by the file's n bytes; the answer is one JSON line on stdout: ``{"ok": true, "result": ...}``
or ``{"ok": false, "message": "<Chinese>"}``. The process caps its own address space first
(``--memory`` bytes, RLIMIT_AS), so running out of memory is a MemoryError here, answered in
Chinese, never the server's problem. Anything printed by a library goes to stderr: stdout
carries only answers.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from typing import IO, Any

MEMORY_MESSAGE = (
    "读取这个文件需要的内存超过了上限，已停止，没有导入任何内容。"
    "请检查是否选错了文件；如果确实是年度报告，请删去大图片等无关内容，或另存为较小的文件后再导入。"
)


def cap_memory(limit: int) -> None:
    """Limit this process's address space (Linux/Unix); elsewhere run without a cap."""
    try:
        import resource
    except ImportError:  # not POSIX
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def answer(task: str, name: str, data: bytes) -> dict[str, Any]:
    """The answer to one request; never raises (but BaseException passes, ending the child)."""
    from gkassist.importers import ReportReadError

    try:
        if task == "audit":
            from gkassist.audit.runner import audit_bytes

            return {"ok": True, "result": asdict(audit_bytes(name, data))}
        from gkassist.importers import import_bytes

        return {"ok": True, "result": import_bytes(data, name).model_dump(mode="json")}
    except ReportReadError as exc:
        return {"ok": False, "message": str(exc)}
    except MemoryError:
        return {"ok": False, "message": MEMORY_MESSAGE}
    except Exception as exc:  # an importer bug: logged like the CLI's exit 3, one line for the user
        from gkassist.crashlog import crash_message_zh, write_crash_log

        return {"ok": False, "message": crash_message_zh(write_crash_log(exc, f"app import: {name!r}"))}


def serve(requests: IO[bytes], answers: IO[str]) -> None:
    while header := requests.readline():
        request = json.loads(header)
        size = int(request["size"])
        data = requests.read(size)
        if len(data) != size:
            return  # the parent went away mid-request
        reply = answer(str(request["task"]), str(request["name"]), data)
        del data
        answers.write(json.dumps(reply, ensure_ascii=True) + "\n")  # ascii: lone surrogates survive
        answers.flush()


def main() -> None:
    parser = argparse.ArgumentParser(prog="gkassist.isolation.child")
    parser.add_argument("--memory", type=int, required=True)
    args = parser.parse_args()
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="ascii")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints go to stderr
    cap_memory(args.memory)
    serve(sys.stdin.buffer, answers)


if __name__ == "__main__":
    main()
