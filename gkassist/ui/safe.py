"""Untrusted text inside Streamlit markdown, shown as text.

st.markdown, st.write(str), st.caption, st.title/subheader, the alert boxes and expander
labels all render markdown, with Streamlit's extras (colours ``:red[…]``, icons
``:material/…:``, emoji ``:smile:``, formulas ``$…$``). Report text, agency names, import notes
quoting a document, findings quoting sentences, LLM replies and file names must not become a
link, an image the browser fetches, a heading or a colour: every ASCII punctuation character
is backslash-escaped (CommonMark shows an escaped character as itself, and Streamlit's icon,
emoji and formula passes no longer find their markers). Non-ASCII text is unchanged.

Use ``md_escape`` on each untrusted piece and keep our own markup (``**…**``, ``- ``) outside
it. Plain-text elements (st.text, st.code, st.dataframe cells, selectbox options) need nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def md_escape(text: object) -> str:
    """``text`` as Streamlit markdown that displays exactly ``text``."""
    return _ASCII_PUNCTUATION.sub(r"\\\1", str(text))


def md_escape_stream(chunks: Iterable[str], received: list[str]) -> Iterator[str]:
    """Escape a stream for st.write_stream (an LLM reply is untrusted); the raw chunks are
    appended to ``received``, since write_stream returns what it displayed."""
    for chunk in chunks:
        received.append(chunk)
        yield md_escape(chunk)
