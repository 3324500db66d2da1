"""Chinese for the words Streamlit's frontend prints itself (rules/streamlit_zh.yaml).

The connection-lost dialog, the connection status, the key hints under inputs and the date
placeholders are drawn by Streamlit's frontend; no setting changes them, and the dialog appears
when the server is gone, so no script run can. A script in the page itself (st.html with
JavaScript runs in the main document, not in an iframe) watches the document and rewrites those
texts as they appear, from the table in rules/.
"""

from __future__ import annotations

import json
import re
from functools import cache

from pydantic import field_validator

from gkassist.paths import rules_dir
from gkassist.strict import Strict
from gkassist.yamlio import load_model


class Pattern(Strict):
    pattern: str
    replace: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        re.compile(value)
        return value


class Dialog(Strict):
    title: str
    title_zh: str
    body_zh: str


class StreamlitZh(Strict):
    version: int
    attributes: list[str]
    texts: dict[str, str]
    patterns: list[Pattern]
    words: dict[str, str]
    dialogs: list[Dialog]


@cache
def streamlit_zh() -> StreamlitZh:
    return load_model(rules_dir() / "streamlit_zh.yaml", StreamlitZh)


# Runs once per page load (the flag survives reruns and page changes, which re-insert it).
# Exact texts and attribute values are looked up; a dialog whose title is known gets its Chinese
# title and one Chinese body in place of its English paragraphs and command line.
_SCRIPT = r"""
(() => {
  if (window.__gkChromeZh) return;
  window.__gkChromeZh = true;
  const zh = __DATA__;
  const patterns = zh.patterns.map(p => [new RegExp(p.pattern), p.replace]);
  const dialogs = new Map(zh.dialogs.map(d => [d.title, d]));
  const translate = (value) => {
    const key = value.trim();
    if (!/[A-Za-z]/.test(key)) return null;
    if (Object.prototype.hasOwnProperty.call(zh.texts, key)) return value.replace(key, zh.texts[key]);
    for (const [re, to] of patterns) {
      const m = re.exec(key);
      if (m) return value.replace(key, to.replace(/\$(\d)/g, (_, i) => zh.words[m[i]] ?? m[i] ?? ""));
    }
    return null;
  };
  // What the app shows of a report (markdown, plain text, grids, text areas) is never touched: a
  // clerk's text that happens to read "Close" stays "Close".
  const USER = '[data-testid="stMarkdownContainer"], [data-testid="stText"], [data-testid="stCode"], [data-testid="stDataFrame"], textarea';
  const fixText = (node) => {
    if (!node.parentElement || node.parentElement.closest(USER)) return;
    const to = node.nodeValue && translate(node.nodeValue);
    if (to !== null && to !== undefined && to !== node.nodeValue) node.nodeValue = to;
  };
  const fixElement = (el) => {
    if (el.closest(USER)) return;
    for (const name of zh.attributes) {
      const value = el.getAttribute(name);
      const to = value && translate(value);
      if (to) el.setAttribute(name, to);
    }
  };
  const fixDialog = (box) => {
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    const texts = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n);
    const title = texts.find(n => dialogs.has(n.nodeValue.trim()));
    if (title) box.dataset.gkDialog = title.nodeValue.trim();
    const d = dialogs.get(box.dataset.gkDialog || "");
    if (!d) return;
    if (title) title.nodeValue = d.title_zh;
    let bodySet = false;
    for (const n of texts) {
      if (n === title || n.parentElement.closest("button")) continue;
      if (n.nodeValue === d.title_zh || n.nodeValue === d.body_zh) { bodySet = bodySet || n.nodeValue === d.body_zh; continue; }
      if (!/[A-Za-z]/.test(n.nodeValue)) continue;
      n.nodeValue = bodySet ? "" : d.body_zh;
      bodySet = true;
    }
    box.querySelectorAll("pre, code").forEach(el => { if (!el.textContent.trim()) el.style.display = "none"; });
  };
  const walk = (root) => {
    if (root.nodeType === Node.TEXT_NODE) { fixText(root); return; }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    fixElement(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) fixText(n); else fixElement(n);
    }
  };
  // The calendar's weekday initials (S M T W T F S in an English browser): each column is named
  // from the weekday of its first day cell (the day cells' labels carry the full weekday name).
  const WEEKDAYS = [["Sunday", "日"], ["Monday", "一"], ["Tuesday", "二"], ["Wednesday", "三"], ["Thursday", "四"], ["Friday", "五"], ["Saturday", "六"]];
  const fixCalendars = () => document.querySelectorAll('[data-testid="stDateInputCalendar"] table').forEach((table) => {
    const firstRow = table.querySelector("tbody tr");
    if (!firstRow) return;
    table.querySelectorAll("thead th").forEach((th, i) => {
      if (!/[A-Za-z]/.test(th.textContent)) return;
      const cell = firstRow.children[i];
      const label = cell && [cell, ...cell.querySelectorAll("[aria-label]")].map(e => e.getAttribute("aria-label") || "").join(" ");
      const day = label && WEEKDAYS.find(([en, cn]) => label.includes(en) || label.includes("星期" + cn));
      if (!day) return;
      const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if (/[A-Za-z]/.test(n.nodeValue)) n.nodeValue = day[1];
    });
  });
  const fixDialogs = () => { document.querySelectorAll('[role="dialog"]').forEach(fixDialog); fixCalendars(); };
  let scheduled = false;
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === "characterData") fixText(m.target);
      else if (m.type === "attributes") fixElement(m.target);
      else m.addedNodes.forEach(walk);
    }
    if (!scheduled) { scheduled = true; queueMicrotask(() => { scheduled = false; fixDialogs(); }); }
  }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: zh.attributes});
  walk(document.body);
  fixDialogs();
})();
"""


@cache
def chrome_script() -> str:
    """The JavaScript that puts the Chinese of rules/streamlit_zh.yaml in place in the page."""
    data = json.dumps(streamlit_zh().model_dump(), ensure_ascii=False).replace("</", "<\\/")
    return _SCRIPT.replace("__DATA__", data)
