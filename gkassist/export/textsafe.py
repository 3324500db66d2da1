"""Last line of defence for the writers: characters a file format cannot hold.

Input is meant to refuse control characters with a message (see the importers and the app);
an export must still never crash on one that got through.
"""

from __future__ import annotations

import re

# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates and U+FFFE/U+FFFF;
# DEL is allowed but is no text either. python-docx and lxml raise on the rest.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML cannot hold (for .docx parts and properties)."""
    return _XML_INVALID.sub("", text)


def utf8_safe(text: str) -> str:
    """``text`` with lone surrogates (from a JSON ``\\udcff`` escape) shown as U+FFFD, so it encodes."""
    return _LONE_SURROGATE.sub("\ufffd", text)
