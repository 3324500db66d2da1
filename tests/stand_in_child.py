"""A stand-in for ``gkassist.isolation.child`` in the tests (``runner.CHILD_MODULE`` is pointed here):
the real child's code, with one behaviour chosen by GKASSIST_TEST_CHILD (the parent passes its
environment on):

- ``gate:<path>``: writes ``<path>.started``, waits until ``<path>`` exists, then serves normally
  (an import held open for as long as a test needs, through the real pipes);
- ``hang``: never answers (the parent's deadline must kill it);
- ``die``: reads the request and is killed (as the kernel kills a process out of memory);
- ``hog``: the import allocates 4 GB (the child's memory cap must turn it into a MemoryError).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from gkassist.isolation import child


def _hog(data: bytes, name: str = "") -> object:
    return bytearray(4 * 1024**3)


def main() -> None:
    mode = os.environ.get("GKASSIST_TEST_CHILD", "")
    if mode.startswith("gate:"):
        gate = Path(mode.removeprefix("gate:"))
        gate.with_suffix(".started").write_text("started", encoding="utf-8")
        while not gate.exists():
            time.sleep(0.02)
    elif mode == "hang":
        time.sleep(3600)
    elif mode == "die":
        sys.stdin.buffer.readline()
        os.kill(os.getpid(), signal.SIGKILL)
    elif mode == "hog":
        import gkassist.importers

        gkassist.importers.import_bytes = _hog  # type: ignore[assignment]
    child.main()


if __name__ == "__main__":
    main()
