"""A local OpenAI-compatible chat-completions server for tests (stdlib only).

Start it on 127.0.0.1:0, queue behaviours, point ChatOpenAI at ``server.base_url``::

    with FakeLLMServer() as srv:
        srv.queue(Status(500), Reply("本年度……"))
        ...

Each POST to /v1/chat/completions takes the next queued behaviour (or ``default``).
Behaviours: Reply (SSE stream or JSON; ``finish=None, done=False``: the body ends cleanly but
without a finish reason or ``[DONE]``; ``finish="length"``: cut by the token limit;
``split_utf8``: every event is written in two pieces that split a Chinese character's UTF-8
bytes), Status (HTTP error), Malformed (bad JSON chunk), Empty (no content), Cut (connection
dropped mid-way), Slow (delay before replying).
Requests are recorded (JSON body, headers and the prompt's token count) for assertions.

What llama.cpp's ``llama-server`` does, the fake does too (see ../shared/reference/local-llm.md):
- ``context=N``: a prompt over N tokens is refused with HTTP 400 and llama-server's error body
  (``exceed_context_size_error``, with ``n_prompt_tokens`` and ``n_ctx``); a reply that would run
  past the context stops there with ``finish_reason: length``. Tokens are counted as the drafter
  counts them (gkassist.drafting.budget, ``encoding``), so "within budget" means the same on both sides.
- ``max_tokens`` in the request: a longer reply stops there with ``finish_reason: length``.
- ``stream_usage=False``: no usage chunk while streaming, whatever ``stream_options`` asks
  (as llama-cpp-python's server).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    text: str
    chunk_size: int = 6
    prompt_tokens: int | None = 120  # usage reported (None: the prompt as counted)
    completion_tokens: int | None = 80  # (None: the reply as counted)
    interval: float = 0.0  # seconds between content chunks (0: all at once)
    finish: str | None = "stop"  # the last chunk's finish_reason (None: no final chunk at all)
    done: bool = True  # send the closing "data: [DONE]"
    split_utf8: bool = False  # write each event in two pieces, cut inside a character's UTF-8 bytes


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
    prompt_tokens: int | None = None  # counted when the server has a context or reports counted usage
    status: int = 200


class FakeLLMServer:
    def __init__(
        self,
        default: Behaviour | None = None,
        *,
        context: int | None = None,
        encoding: str = "o200k_base",
        stream_usage: bool = True,
    ) -> None:
        self.default: Behaviour = default or Status(500, "no behaviour queued")
        self.context = context
        self.encoding = encoding
        self.stream_usage = stream_usage
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

    def record(self, body: dict[str, Any], headers: dict[str, str]) -> Recorded:
        entry = Recorded(body, headers)
        with self._lock:
            self.requests.append(entry)
        return entry

    # -- tokens, as the drafter counts them ---------------------------------------
    def count_prompt(self, body: dict[str, Any]) -> int:
        from gkassist.drafting.budget import count_messages

        texts = [str(m.get("content") or "") for m in body.get("messages") or [] if isinstance(m, dict)]
        return count_messages(texts, self.encoding)

    def count(self, text: str) -> int:
        from gkassist.drafting.budget import count_tokens

        return count_tokens(text, self.encoding)

    def within(self, text: str, tokens: int) -> str:
        """The longest start of ``text`` of at most ``tokens`` tokens (where generation stops)."""
        if len(text.encode()) <= tokens or self.count(text) <= tokens:  # a token is at least one byte
            return text
        lo, hi = 0, len(text)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.count(text[:mid]) <= tokens:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo]


def context_overflow_body(prompt_tokens: int, context: int) -> dict[str, Any]:
    """llama-server's answer to a prompt over its context (HTTP 400)."""
    return {
        "error": {
            "code": 400,
            "message": f"request ({prompt_tokens} tokens) exceeds the available context size ({context} tokens), "
            "try increasing it",
            "type": "exceed_context_size_error",
            "n_prompt_tokens": prompt_tokens,
            "n_ctx": context,
        }
    }


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

        def setup(self) -> None:
            super().setup()
            # every event leaves at once, as a real server's tokens do (no Nagle delay on small writes)
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            entry = server.record(body, {k.lower(): v for k, v in self.headers.items()})
            behaviour = server.next_behaviour()
            model = str(body.get("model", "fake"))
            stream = bool(body.get("stream"))
            usage = server.stream_usage and bool((body.get("stream_options") or {}).get("include_usage"))
            counted = server.context is not None or (isinstance(behaviour, Reply) and behaviour.prompt_tokens is None)
            if counted:
                entry.prompt_tokens = server.count_prompt(body)
            if server.context is not None and entry.prompt_tokens is not None and entry.prompt_tokens > server.context:
                entry.status = 400
                self._send_json(400, context_overflow_body(entry.prompt_tokens, server.context))
                return
            if isinstance(behaviour, Slow):
                time.sleep(behaviour.delay)
                behaviour = Reply(behaviour.text, interval=behaviour.interval)
            if isinstance(behaviour, Status):
                entry.status = behaviour.code
                self._send_json(behaviour.code, {"error": {"message": behaviour.message, "type": "fake"}})
                return
            if isinstance(behaviour, Reply):
                behaviour = self._generation_limits(behaviour, body, entry.prompt_tokens)
            if not stream:
                self._non_stream(model, behaviour)
                return
            self._start_stream()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._stream(model, behaviour, usage)

        def _generation_limits(self, reply: Reply, body: dict[str, Any], prompt_tokens: int | None) -> Reply:
            """Stop where the server would: at the request's max_tokens, or where the context is full."""
            limits = [int(body["max_tokens"])] if isinstance(body.get("max_tokens"), int) else []
            if server.context is not None and prompt_tokens is not None:
                limits.append(server.context - prompt_tokens)
            text = reply.text
            for limit in limits:
                text = server.within(text, max(limit, 0))
            usage = {
                "prompt_tokens": prompt_tokens if reply.prompt_tokens is None else reply.prompt_tokens,
                "completion_tokens": server.count(text) if reply.completion_tokens is None else reply.completion_tokens,
            }
            if text == reply.text:
                return replace(reply, **usage)
            return replace(reply, text=text, finish="length", **usage)

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

        def _write_split(self, event: bytes) -> None:
            """One SSE event as two HTTP chunks, the cut inside a multi-byte UTF-8 character, the
            second sent a moment later: the client must join bytes before decoding them."""
            cut = next((i + 1 for i, b in enumerate(event) if b >= 0xC0), None)  # just after a lead byte
            if cut is None:
                self._write(event)
                return
            self._write(event[:cut])
            time.sleep(0.002)
            self._write(event[cut:])

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
            split = isinstance(behaviour, Reply) and behaviour.split_utf8
            self._write(_chunk(model, {"role": "assistant", "content": ""}))
            interval = behaviour.interval if isinstance(behaviour, Reply) else 0.0
            for i in range(0, len(text), size):
                if interval and i:
                    time.sleep(interval)
                event = _chunk(model, {"content": text[i : i + size]})
                if split:
                    self._write_split(event)
                else:
                    self._write(event)
            finish = behaviour.finish if isinstance(behaviour, Reply) else "stop"
            done = behaviour.done if isinstance(behaviour, Reply) else True
            if finish is not None:
                self._write(_chunk(model, {}, finish=finish))
            if usage and finish is not None and isinstance(behaviour, Reply):
                prompt_tokens = behaviour.prompt_tokens or 0
                completion_tokens = behaviour.completion_tokens or 0
                payload = {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": model,
                    "choices": [],
                    "usage": {
                        "prompt_tokens": prompt_tokens,
                        "completion_tokens": completion_tokens,
                        "total_tokens": prompt_tokens + completion_tokens,
                    },
                }
                self._write(f"data: {json.dumps(payload)}\n\n".encode())
            if done:
                self._write(b"data: [DONE]\n\n")
            self._end()  # a well-formed end of the HTTP body in every case

    return Handler
