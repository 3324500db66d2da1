"""`streamlit run` with every script run's server time logged, for benchmarks/bench_app.py.

    python -m benchmarks.rerun_server LOGFILE run app.py --server.port 8765 ...

Each full or fragment run appends one JSON line to LOGFILE: the page's script hash, whether it
was a fragment run, and the milliseconds from SCRIPT_STARTED (before the widget callbacks) to
the script's stop event, the span Streamlit itself reports as a run's execution time. The app
is the real one, served by the real Streamlit runtime (compiled scripts cached as in
production); only this timing hook is added, and only in this benchmark process.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from streamlit.runtime.scriptrunner.script_runner import ScriptRunner, ScriptRunnerEvent

STOP_EVENTS = {
    ScriptRunnerEvent.SCRIPT_STOPPED_WITH_SUCCESS,
    ScriptRunnerEvent.SCRIPT_STOPPED_FOR_RERUN,
    ScriptRunnerEvent.FRAGMENT_STOPPED_WITH_SUCCESS,
    ScriptRunnerEvent.SCRIPT_STOPPED_WITH_COMPILE_ERROR,
}


def install(log: Path) -> None:
    original_init = ScriptRunner.__init__

    def init(self: ScriptRunner, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        run: dict[str, Any] = {}

        def on_event(sender: Any, event: ScriptRunnerEvent, **data: Any) -> None:
            if event == ScriptRunnerEvent.SCRIPT_STARTED:
                run.update(
                    start=time.perf_counter(),
                    page=data.get("page_script_hash", ""),
                    fragment=bool(data.get("fragment_ids_this_run")),
                )
            elif event in STOP_EVENTS and "start" in run:
                ms = (time.perf_counter() - run.pop("start")) * 1000
                line = {"page": run["page"], "fragment": run["fragment"], "ms": round(ms, 3), "event": event.name}
                with log.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(line) + "\n")

        self.on_event.connect(on_event, weak=False)

    ScriptRunner.__init__ = init  # type: ignore[method-assign]


def main() -> None:
    log = Path(sys.argv[1])
    install(log)
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[2:]]
    cli.main()


if __name__ == "__main__":
    main()
