"""Regexes built from word lists: one trie-shaped alternation per list, and a first-character gate.

Used by the vocabulary (rules/vocabulary.yaml) to compile its phrases and exempt patterns into
regexes that the scan can skip through quickly.
"""

from __future__ import annotations

import re
from typing import Any

try:  # the regex parser, used only to speed up the exempt scan (see gated)
    from re import _constants as sc  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a Python without these private modules: scan without the gate
    sc = sre_parse = None


def alternation(words: tuple[str, ...]) -> str:
    """A regex for any of the words that matches, at a position, the longest one found there.

    Written as a character trie (予以公开(?:和部分公开|及部分公开)?) rather than a plain
    alternation of the words longest first: it matches the same text, but the regex engine tries
    one branch per next character instead of every word in turn, which halves the phrase scan.
    """
    if not words or "" in words:
        return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict[str, Any]) -> str:
    branches = [re.escape(ch) + _trie_regex(sub) for ch, sub in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if "" in node:  # a word ends here: the longer words are tried first (greedy), then this one
        body = f"{body}?" if len(branches[0]) == 1 and len(branches) == 1 else f"(?:{body})?"
    return body


def first_chars(items: Any) -> tuple[list[str], bool] | None:
    """Regex character-class items for the characters a parsed pattern can start with, and whether
    it can match the empty string (None: unknown)."""
    out: list[str] = []
    for op, av in items:
        if op in (sc.ASSERT, sc.ASSERT_NOT, sc.AT):
            continue  # zero width
        if op is sc.LITERAL:
            out.append(re.escape(chr(av)))
            return out, False
        if op is sc.IN:
            for iop, iav in av:
                if iop is sc.LITERAL:
                    out.append(re.escape(chr(iav)))
                elif iop is sc.RANGE:
                    out.append(f"{re.escape(chr(iav[0]))}-{re.escape(chr(iav[1]))}")
                elif iop is sc.CATEGORY and iav in _CATEGORIES:
                    out.append(_CATEGORIES[iav])
                else:
                    return None
            return out, False
        if op is sc.SUBPATTERN or op is sc.BRANCH or op in (sc.MAX_REPEAT, sc.MIN_REPEAT, sc.POSSESSIVE_REPEAT):
            if op is sc.SUBPATTERN:
                subs = [av[3]]
            elif op is sc.BRANCH:
                subs = list(av[1])
            else:
                subs = [av[2]]
            nullable = op is not sc.SUBPATTERN and op is not sc.BRANCH and av[0] == 0
            for sub in subs:
                first = first_chars(sub)
                if first is None:
                    return None
                out.extend(first[0])
                nullable = nullable or first[1]
            if not nullable:
                return out, False
            continue  # may be empty: the next item can start the match too
        return None
    return out, True


_CATEGORIES = {sc.CATEGORY_DIGIT: r"\d", sc.CATEGORY_SPACE: r"\s", sc.CATEGORY_WORD: r"\w"}


def gated(body: str, patterns: list[str]) -> str:
    """Prefix ``body`` with a look-ahead for the characters its alternatives can start with.

    The look-ahead makes the scan fail fast at the many positions where no exempt place can start.
    """
    if sre_parse is None:
        return body
    chars: list[str] = []
    for pattern in patterns:
        first = first_chars(sre_parse.parse(pattern, re.M))
        if first is None or first[1]:
            return body
        chars.extend(first[0])
    return f"(?=[{''.join(dict.fromkeys(chars))}])(?:{body})"
