"""The report list's first run (the first page after `streamlit run`) loads only what it shows:
what the other pages need is imported when they run (benchmarks/bench_first_load.py has the
time; this keeps the heavy libraries from creeping back into the first run)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Loaded by other pages, never by the report list with no report open (pandas alone is ~0.6 s).
NOT_AT_START = (
    "pandas", "numpy", "pyarrow", "gkassist.compare", "gkassist.checks", "gkassist.importers",
    "gkassist.drafting", "gkassist.storage.history", "streamlit.emojis",
)

_FIRST_RUN = """
import json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=60).run()
print(json.dumps({
    "titles": [t.value for t in at.title],
    "exception": [str(e.value) for e in at.exception],
    "loaded": [m for m in sys.argv[1:] if m in sys.modules],
}))
"""


def test_the_report_lists_first_run_loads_none_of_the_other_pages_libraries(tmp_path: Path) -> None:
    env = {"GKASSIST_DATABASE_URL": f"sqlite:///{tmp_path}/first.db", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_RUN, *NOT_AT_START],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    run = json.loads(done.stdout.strip().splitlines()[-1])
    assert run["titles"] == ["报告列表"] and not run["exception"], run
    assert run["loaded"] == [], f"the first page loaded {run['loaded']}: import them where they are used"
