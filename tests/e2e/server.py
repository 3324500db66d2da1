"""Starting and stopping `streamlit run app.py` for the browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(
    db_url: str, port: int, extra_env: dict[str, str] | None = None, script: str = "app.py"
) -> subprocess.Popen[bytes]:
    """Start the app (or another script, run from the project folder so that its
    .streamlit/config.toml applies) on loopback with a given database, and no server-wide
    LLM unless ``extra_env`` sets one; returns once /_stcore/health answers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GKASSIST_LLM_")}
    env.update({"GKASSIST_DATABASE_URL": db_url, **(extra_env or {})})
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    wait_healthy(proc, port)
    return proc


def wait_healthy(proc: subprocess.Popen[bytes], port: int) -> None:
    """Return once /_stcore/health answers; fail with the server's output if it never does."""
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            stop_app(proc)
            pytest.fail(f"streamlit did not start: {out[-2000:]}")
        time.sleep(0.05)  # the first-load benchmark times from here: poll finely


def stop_app(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
