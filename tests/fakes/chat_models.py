"""langchain fake chat models that end their reply the way an OpenAI-compatible server does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.outputs import ChatGenerationChunk


class FinishingFake(FakeListChatModel):
    """FakeListChatModel whose last chunk carries ``finish_reason``, as a server's final chunk
    does (None: the reply just stops, as a stream cut off before its final chunk)."""

    finish_reason: str | None = "stop"

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        for chunk in super()._stream(*args, **kwargs):
            if chunk.message.chunk_position == "last" and self.finish_reason is not None:
                chunk.message.response_metadata = {"finish_reason": self.finish_reason}
            yield chunk
