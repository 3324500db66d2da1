"""Untrusted text inside Streamlit markdown, shown as text.

st.markdown, st.write(str), st.caption, st.title/subheader, the alert boxes and expander
labels all render markdown, with Streamlit's extras (colours ``:red[…]``, icons
``:material/…:``, emoji ``:smile:``, formulas ``$…$``). Report text, agency names, import notes
quoting a document, findings quoting sentences, LLM replies and file names must not become a
link, an image the browser fetches, a heading or a colour: every ASCII punctuation character
is backslash-escaped (CommonMark shows an escaped character as itself, and Streamlit's icon,
emoji and formula passes no longer find their markers). Non-ASCII text is unchanged.

Escaping is not enough for bare URLs and e-mail addresses: remark-gfm links them in the text
after escapes are resolved. An invisible WORD JOINER (U+2060) goes where its patterns need
two characters side by side (``http:⁠//``, ``www⁠.``, ``name⁠@``), so nothing is linked and
the text looks the same.

Use ``md_escape`` on each untrusted piece and keep our own markup (``**…**``, ``- ``) outside
it. Plain-text elements (st.text, st.code, st.dataframe cells, selectbox options) need nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINKIFY_JOINTS = re.compile(r"(?<=:)(?=//)|(?i:(?<=www))(?=\.)|(?<=[-.\w+])(?=@)")
WORD_JOINER = "\u2060"


def md_escape(text: object) -> str:
    """``text`` as Streamlit markdown that displays as ``text`` (with invisible word joiners)."""
    unlinked = _LINKIFY_JOINTS.sub(WORD_JOINER, str(text))
    return _ASCII_PUNCTUATION.sub(r"\\\1", unlinked)


def show_stream(chunks: Iterable[str], show: Callable[[str], object]) -> str:
    """Show a stream (an LLM reply is untrusted) as it arrives, escaped as a whole each time,
    so that a URL split across two chunks is still caught; returns the text as received."""
    text = ""
    for chunk in chunks:
        text += chunk
        show(md_escape(text))
    return text
