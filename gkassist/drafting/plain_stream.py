"""Streamed chat completions as plain dicts, for ChatOpenAI.

langchain-openai turns every streamed chunk into a dict (``chunk.model_dump()``) before it reads
it, while the openai client first builds a typed pydantic object per chunk by loose
construction. For a reply of a few hundred chunks that round trip costs more client time than
everything else in a draft. ``PlainChunkCompletions`` stands in for
``root_client.chat.completions``: streamed requests go through the openai client's documented
generic ``post`` with ``cast_to=object``, so the SSE decoding, error events, timeouts and HTTP
errors are still the openai client's own (and our fault handling sees the same exceptions),
only the per-chunk typed objects are skipped. Everything else is delegated unchanged.
"""

from __future__ import annotations

from typing import Any


class PlainChunkCompletions:
    def __init__(self, root_client: Any) -> None:
        self._root = root_client
        self._typed = root_client.chat.completions

    def create(self, **payload: Any) -> Any:
        if not payload.get("stream"):
            return self._typed.create(**payload)
        import openai

        # create() sorts these request options out of the body; the generic post() does not
        options: dict[str, Any] = {}
        for key, option in (("extra_headers", "headers"), ("extra_query", "params"), ("timeout", "timeout")):
            if payload.get(key) is not None:
                options[option] = payload.pop(key)
        extra = payload.pop("extra_body", None) or {}
        return self._root.post(
            "/chat/completions",
            body={**payload, **extra},
            options=options,
            cast_to=object,
            stream=True,
            stream_cls=openai.Stream[object],
        )

    def __getattr__(self, name: str) -> Any:  # with_raw_response, parse, ...: the typed client's
        return getattr(self._typed, name)
