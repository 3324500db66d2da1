"""A local OpenAI-compatible chat-completions server for tests (stdlib only).

Start it on 127.0.0.1:0, queue behaviours, point ChatOpenAI at ``server.base_url``::

    with FakeLLMServer() as srv:
        srv.queue(Status(500), Reply("本年度……"))
        ...

Each POST to /v1/chat/completions takes the next queued behaviour (or ``default``).
Behaviours: Reply (SSE stream or JSON; ``finish=None, done=False``: the body ends cleanly but
without a finish reason or ``[DONE]``; ``finish="length"``: cut by the token limit), Status
(HTTP error), Malformed (bad JSON chunk), Empty (no content), Cut (connection dropped mid-way),
Slow (delay before replying).
Requests are recorded (JSON body and headers) for assertions.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    text: str
    chunk_size: int = 6
    prompt_tokens: int = 120
    completion_tokens: int = 80
    interval: float = 0.0  # seconds between content chunks (0: all at once)
    finish: str | None = "stop"  # the last chunk's finish_reason (None: no final chunk at all)
    done: bool = True  # send the closing "data: [DONE]"


@dataclass
class Status:
    code: int
    message: str = "injected error"


@dataclass
class Malformed:
    """A 200 SSE stream whose first data line is not JSON."""


@dataclass
class Empty:
    """A 200 stream that finishes without any content."""


@dataclass
class Cut:
    """Send the first ``keep`` characters, then drop the connection without finishing."""

    text: str
    keep: int = 10


@dataclass
class Slow:
    delay: float
    text: str = "迟到的回复。"
    interval: float = 0.0  # seconds between content chunks once the reply starts


Behaviour = Reply | Status | Malformed | Empty | Cut | Slow


@dataclass
class Recorded:
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeLLMServer:
    def __init__(self, default: Behaviour | None = None) -> None:
        self.default: Behaviour = default or Status(500, "no behaviour queued")
        self._queue: deque[Behaviour] = deque()
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._srv: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------
    def start(self) -> FakeLLMServer:
        handler = _make_handler(self)
        self._srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._srv.daemon_threads = True
        self._thread = threading.Thread(target=self._srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._srv is not None:
            self._srv.shutdown()
            self._srv.server_close()
            self._srv = None

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._srv is not None
        return int(self._srv.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- behaviours ------------------------------------------------------------
    def queue(self, *behaviours: Behaviour) -> None:
        with self._lock:
            self._queue.extend(behaviours)

    def next_behaviour(self) -> Behaviour:
        with self._lock:
            return self._queue.popleft() if self._queue else self.default

    def record(self, body: dict[str, Any], headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append(Recorded(body, headers))


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening (connection refused)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port


def _chunk(model: str, delta: dict[str, Any], finish: str | None = None) -> bytes:
    payload = {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()


def _make_handler(server: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # silence stderr
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            server.record(body, {k.lower(): v for k, v in self.headers.items()})
            behaviour = server.next_behaviour()
            model = str(body.get("model", "fake"))
            stream = bool(body.get("stream"))
            usage = bool((body.get("stream_options") or {}).get("include_usage"))
            if isinstance(behaviour, Slow):
                time.sleep(behaviour.delay)
                behaviour = Reply(behaviour.text, interval=behaviour.interval)
            if isinstance(behaviour, Status):
                self._send_json(behaviour.code, {"error": {"message": behaviour.message, "type": "fake"}})
                return
            if not stream:
                self._non_stream(model, behaviour)
                return
            self._start_stream()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._stream(model, behaviour, usage)

        # -- helpers -----------------------------------------------------------
        def _send_json(self, code: int, obj: dict[str, Any]) -> None:
            data = json.dumps(obj, ensure_ascii=False).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Retry-After", "0")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
            self.close_connection = True

        def _non_stream(self, model: str, behaviour: Behaviour) -> None:
            if isinstance(behaviour, Malformed):
                data = b"{not json"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            text = behaviour.text if isinstance(behaviour, Reply | Cut) else ""
            self._send_json(
                200,
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": 0,
                    "model": model,
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                },
            )

        def _start_stream(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()

        def _write(self, data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        def _end(self) -> None:
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
            self.close_connection = True

        def _stream(self, model: str, behaviour: Behaviour, usage: bool) -> None:
            if isinstance(behaviour, Malformed):
                self._write(b"data: {this is not json\n\n")
                self._write(b"data: [DONE]\n\n")
                self._end()
                return
            if isinstance(behaviour, Cut):
                self._write(_chunk(model, {"role": "assistant", "content": ""}))
                self._write(_chunk(model, {"content": behaviour.text[: behaviour.keep]}))
                # drop the connection without the terminating chunk: the body is incomplete
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            text = behaviour.text if isinstance(behaviour, Reply) else ""
            size = behaviour.chunk_size if isinstance(behaviour, Reply) else 6
            self._write(_chunk(model, {"role": "assistant", "content": ""}))
            interval = behaviour.interval if isinstance(behaviour, Reply) else 0.0
            for i in range(0, len(text), size):
                if interval and i:
                    time.sleep(interval)
                self._write(_chunk(model, {"content": text[i : i + size]}))
            finish = behaviour.finish if isinstance(behaviour, Reply) else "stop"
            done = behaviour.done if isinstance(behaviour, Reply) else True
            if finish is not None:
                self._write(_chunk(model, {}, finish=finish))
            if usage and finish is not None and isinstance(behaviour, Reply):
                payload = {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": model,
                    "choices": [],
                    "usage": {
                        "prompt_tokens": behaviour.prompt_tokens,
                        "completion_tokens": behaviour.completion_tokens,
                        "total_tokens": behaviour.prompt_tokens + behaviour.completion_tokens,
                    },
                }
                self._write(f"data: {json.dumps(payload)}\n\n".encode())
            if done:
                self._write(b"data: [DONE]\n\n")
            self._end()  # a well-formed end of the HTTP body in every case

    return Handler
