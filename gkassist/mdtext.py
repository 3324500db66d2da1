"""Untrusted text in our markdown: escaping for the exporter, unescaping for the importer.

Every string that a user typed or a document brought in (agency, narrative, contact, labels,
cell text, notes, finding messages that quote sentences) goes into export/markdown.py through
``escape_line`` (a line that starts a paragraph) or ``escape_inline`` (inside a heading, a
table cell or a list item), and comes back out through ``unescape`` in importers/markdown.py.
What a CommonMark renderer makes of the escaped text is the text itself: no tag, link, image,
emphasis, code span, list, heading or quote. GFM's tables and strikethrough are covered, and
so are linkifiers that read the text as written (markdown-it's linkify, micromark's GFM
autolinks). remark-gfm's later pass links URLs in the text after escapes are resolved; only a
change to the text itself (the app's invisible word joiner, ui/safe.py) stops that, and an
export must keep the text exact.

Characters are escaped only where markdown would read them, so ordinary Chinese prose with
ASCII commas, colons and parentheses comes out unchanged:

* always: ``\\ ` * _ [ ] < > ~ | $`` (backslash escapes);
* ``&`` when it would start an entity (``&amp;``, ``&#60;``);
* ``:`` after a Latin letter (``http:``, ``javascript:``, ``mailto:``), ``//``, and ``.``
  between a word and a Latin, Greek or Cyrillic letter (``www.example.com``): the places
  where linkifiers find URLs and e-mail addresses;
* at the start of a line: leading spaces and tabs (an indented code block) as ``&#32;`` /
  ``&#9;``, and ``# + - = :`` and ordered-list markers (``1.``, ``1)``);
* line breaks inside a one-line context (a heading, a cell) as ``&#10;`` / ``&#13;``, and a
  cell's leading and trailing spaces as ``&#32;``.

The importer must not import from the exporter, so the few markers both sides agree on live
here as well.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

FRONT_MATTER_VERSION = 1
EXTRA_ROW_PREFIX = "其中："
DRAFT_BANNER = "> **草稿，未经校验，不得发布。**"

# One character each; group 0 is the character to protect.
_PROTECT = r"""
    | &(?=\#[0-9]{1,7};|\#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)
    | (?<=[A-Za-z]):
    | /(?=/) | (?<=/)/
    | (?<=\w)\.(?=[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff])
    | (?<=[Ww]{3})\.
"""
_INLINE = re.compile(r"[\\`*_\[\]<>~|$\n\r]" + _PROTECT, re.X)
# In the front matter an underscore inside a word (our keys: period_start) stays: CommonMark
# never reads it as emphasis.
_FRONT = re.compile(r"[\\`*\[\]<>~|$\n\r] | (?<![A-Za-z0-9])_ | _(?![A-Za-z0-9])" + _PROTECT, re.X)
_ENTITY_FOR = {"\n": "&#10;", "\r": "&#13;", " ": "&#32;", "\t": "&#9;"}
_LEADING_WS = re.compile(r"^[ \t]+")
_LINE_START = re.compile(r"^[#+\-=:]|^(\d{1,9})([.)])(?=[ \t]|$)")
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|&#(10|13|32|9);")
_DECODED = {"10": "\n", "13": "\r", "32": " ", "9": "\t"}


def _escape_char(m: re.Match[str]) -> str:
    ch = m.group(0)
    return _ENTITY_FOR.get(ch) or "\\" + ch


def escape_inline(text: str) -> str:
    """Text inside a line we write (a heading, a table cell, a list item): stays on that line."""
    return _INLINE.sub(_escape_char, text)


_EDGE_WS = re.compile(r"^[ \t]+|[ \t]+$")


def escape_cell(text: str) -> str:
    """A table cell: inline, and its leading/trailing spaces kept (the cell padding is stripped)."""
    return _EDGE_WS.sub(lambda m: "".join(_ENTITY_FOR[ch] for ch in m.group(0)), escape_inline(text))


def escape_line(text: str) -> str:
    """Text that starts a line of its own (a paragraph): also no block syntax at its start."""
    lead = _LEADING_WS.match(text)
    head = "".join(_ENTITY_FOR[ch] for ch in lead.group(0)) if lead else ""
    rest = escape_inline(text[lead.end() :] if lead else text)
    m = _LINE_START.match(rest)
    if m and m.group(1):
        rest = m.group(1) + "\\" + m.group(2) + rest[m.end() :]
    elif m:
        rest = "\\" + rest
    return head + rest


def escape_paragraphs(text: str) -> str:
    """One source line = one markdown paragraph (the importer splits on blank lines again)."""
    return "\n\n".join(escape_line(line) for line in text.split("\n"))


def unescape(text: str) -> str:
    """What ``escape_inline``/``escape_line`` wrote, back to the original text (one pass, so an
    escaped ``\\&#10;`` stays the five characters the user typed)."""
    return _UNESCAPE.sub(lambda m: m.group(1) if m.group(1) is not None else _DECODED[m.group(2)], text)


def split_table_row(line: str) -> list[str]:
    """The cells of ``| a | b |`` as written (still escaped); an escaped ``\\|`` does not split."""
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    cells, current, i = [], [], 0
    while i < len(inner):
        ch = inner[i]
        if ch == "\\" and i + 1 < len(inner):
            current.append(inner[i : i + 2])
            i += 2
            continue
        if ch == "|":
            cells.append("".join(current).strip(" \t"))
            current = []
        else:
            current.append(ch)
        i += 1
    tail = "".join(current).strip(" \t")
    if tail:  # a row without its closing pipe
        cells.append(tail)
    return cells


# ---------------------------------------------------------------------------- front matter
#
# A renderer that does not know front matter shows the YAML block as a paragraph (under a
# setext heading), so its strings must be as inert as the body's. A string that holds a
# character markdown would read is written double-quoted, with that character as a YAML
# escape (``<`` → ``\x3C``): YAML reads the same string back, markdown sees no syntax.


def _yaml_plain_char(ch: str) -> bool:
    """Written as itself inside a YAML double-quoted string (PyYAML's printable set, no line breaks)."""
    if ch in "\u2028\u2029\ufeff":
        return False
    return "\x20" <= ch <= "\x7e" or "\xa0" <= ch <= "\ud7ff" or "\ue000" <= ch <= "\ufffd" or ch >= "\U00010000"


def _needs_quoting(text: str) -> bool:
    return bool(_FRONT.search(text)) or not all(map(_yaml_plain_char, text))


class _FrontMatterDumper(yaml.SafeDumper):
    def write_double_quoted(self, text: Any, split: bool = True) -> None:
        protected = {m.start() for m in _FRONT.finditer(text)}
        out = []
        for i, ch in enumerate(text):
            if ch == '"':
                out.append('\\"')
            elif i in protected or ch == "\\" or not _yaml_plain_char(ch):
                code = ord(ch)
                out.append(f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
            else:
                out.append(ch)
        self.write_indicator('"', True)
        data = "".join(out)
        self.column += len(data)
        self.stream.write(data)
        self.write_indicator('"', False)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if _needs_quoting(data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    return dumper.represent_str(data)


_FrontMatterDumper.add_representer(str, _represent_str)


def dump_front_matter(data: dict[str, Any]) -> str:
    """The YAML of the front matter, one line per scalar, with markdown-inert strings."""
    text = yaml.dump(
        data, Dumper=_FrontMatterDumper, allow_unicode=True, sort_keys=False, width=2**30, default_flow_style=False
    )
    return str(text)
