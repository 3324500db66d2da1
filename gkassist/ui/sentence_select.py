"""Clicking a finding selects its sentence in the text area it was computed from (issue 13).

A finding's box sits in a container whose key names the sentence's span and the text area
(Streamlit gives a keyed container and a keyed widget the class ``st-key-<key>``). One click
handler in the page reads those classes and selects the span with setSelectionRange. The span
is counted as the browser counts it: UTF-16 units of the text with its line breaks as "\\n",
since a text area turns "\\r\\n" into "\\n".
"""

from __future__ import annotations

import re

_PREFIX = "gksel"
_UNSAFE = re.compile(r"[^a-zA-Z0-9_-]")


def _browser_offset(text: str, index: int) -> int:
    before = text[:index].replace("\r\n", "\n")
    return len(before.encode("utf-16-le")) // 2


def box_key(number: int, text: str, start: int, end: int, area_key: str) -> str:
    """The key of the container of the findings on ``text[start:end]``, a sentence of the text
    area keyed ``area_key``; ``number`` keeps keys unique within one page run."""
    area_class = _UNSAFE.sub("-", area_key.strip())
    return f"{_PREFIX}-{number}-{_browser_offset(text, start)}-{_browser_offset(text, end)}-{area_class}"


# Runs once per page load. A click anywhere in a finding's container, or Enter on it (the
# containers are made focusable as they appear), selects the sentence; the text area is scrolled
# so that the selection is in view.
SCRIPT = """
(() => {
  if (window.__gkSentenceSelect) return;
  window.__gkSentenceSelect = true;
  const KEY = /^st-key-gksel-\\d+-(\\d+)-(\\d+)-(.+)$/;
  const BOXES = '[class*="st-key-gksel-"]';
  const select = (box) => {
    const match = [...box.classList].map(c => KEY.exec(c)).find(Boolean);
    if (!match) return;
    const area = document.querySelector(`.st-key-${CSS.escape(match[3])} textarea`);
    if (!area) return;
    const start = Math.min(Number(match[1]), area.value.length);
    const end = Math.min(Number(match[2]), area.value.length);
    area.scrollIntoView({block: "center"});
    area.focus({preventScroll: true});
    area.setSelectionRange(start, end, "forward");
    const share = area.value.length ? start / area.value.length : 0;
    area.scrollTop = Math.max(0, share * area.scrollHeight - area.clientHeight / 3);
  };
  const boxOf = (target) => target instanceof Element ? target.closest(BOXES) : null;
  document.addEventListener("click", (event) => { const box = boxOf(event.target); if (box) select(box); });
  document.addEventListener("keydown", (event) => {
    const box = boxOf(event.target);
    if (box && event.target === box && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); select(box); }
  });
  const focusable = () => document.querySelectorAll(`${BOXES}:not([tabindex])`).forEach((box) => {
    box.tabIndex = 0;
    box.title = "在文本框中选中这句";
  });
  let pending = false;
  new MutationObserver(() => {
    if (!pending) { pending = true; queueMicrotask(() => { pending = false; focusable(); }); }
  }).observe(document.body, {subtree: true, childList: true});
  focusable();
})();
"""
