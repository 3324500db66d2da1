"""What a user can read on a page, and the Latin-letter words in it that are not allowed.

Read in the browser: every rendered text node (not one drawn at font size 0, hidden, or an icon
ligature of a loaded icon font), the values of visible inputs, the placeholder, title,
aria-label and alt of visible elements, and text that CSS puts before or after an element.
The allowed words are data (tests/e2e/ascii_allow.yaml).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from gkassist.yamlio import load_yaml

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

ALLOW_FILE = Path(__file__).with_name("ascii_allow.yaml")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")

_COLLECT = """
(root) => {
  root = root || document.body;
  const out = [];
  const iconFontLoaded = document.fonts.check('16px "Material Symbols Rounded"');
  const shown = (el) => {
    if (!el || !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return false;
    const style = getComputedStyle(el);
    if (parseFloat(style.fontSize) === 0) return false;
    if (iconFontLoaded && /Material Symbols/.test(style.fontFamily)) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const where = (el) => (el.closest('[data-testid]') || el).getAttribute('data-testid') || el.tagName;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName)) continue;
    if (/[A-Za-z]/.test(n.nodeValue) && shown(el)) out.push([where(el), n.nodeValue]);
  }
  for (const el of root.querySelectorAll('*')) {
    if (!shown(el)) continue;
    for (const name of ['placeholder', 'title', 'aria-label', 'alt']) {
      const value = el.getAttribute(name);
      if (value && /[A-Za-z]/.test(value)) out.push([where(el) + '@' + name, value]);
    }
    if ((el.tagName === 'INPUT' && !['hidden', 'file', 'checkbox', 'radio'].includes(el.type)) || el.tagName === 'TEXTAREA') {
      if (/[A-Za-z]/.test(el.value)) out.push([where(el) + '@value', el.value]);
    }
    for (const pseudo of ['::before', '::after']) {
      const content = getComputedStyle(el, pseudo).content;
      if (content && content.startsWith('"') && /[A-Za-z]/.test(content)) out.push([where(el) + pseudo, content]);
    }
  }
  return out;
}
"""


@cache
def _allowed() -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    data = load_yaml(ALLOW_FILE)
    patterns = tuple(re.compile(p) for p in data.pop("patterns", []))
    words = frozenset(str(w).lower() for group in data.values() for w in group)
    assert words, f"{ALLOW_FILE} lists no words"
    return words, patterns


def allowed(word: str) -> bool:
    """On the allow-list: a listed word (in any case: DeepSeek, deepseek) or a listed pattern."""
    words, patterns = _allowed()
    return word.lower() in words or any(p.match(word) for p in patterns)


def foreign_words(texts: list[tuple[str, str]]) -> list[str]:
    """``where: word in «text»`` for every Latin-letter word not on the allow-list."""
    found: list[str] = []
    for where, text in texts:
        for word in WORD.findall(text):
            if not allowed(word):
                found.append(f"{where}: {word} in «{text.strip()[:120]}»")
    return found


def visible_texts(page: Page, root: Locator | None = None) -> list[tuple[str, str]]:
    """(where, text) for what a user can read on ``page`` (or inside ``root``) with Latin letters.
    The page's visible frames are read too (a custom component draws in an iframe)."""
    if root is not None:
        return [tuple(t) for t in root.evaluate(_COLLECT)]
    found = [tuple(t) for t in page.evaluate(_COLLECT)]
    for frame in page.frames:
        if frame is page.main_frame or frame.is_detached() or not frame.frame_element().is_visible():
            continue
        found += [(f"iframe {frame.name or frame.url[:40]}›{where}", text) for where, text in frame.evaluate(_COLLECT)]
    return found
