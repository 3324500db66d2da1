"""Keep API keys out of anything shown to users or written to logs."""

from __future__ import annotations

import re

_KEY_LIKE = re.compile(r"\b(?:sk|pk|ak|key)-[A-Za-z0-9_\-]{6,}|Bearer\s+\S+", re.IGNORECASE)
MASK = "******"


def redact(text: str, *secrets: str) -> str:
    """Replace each secret (and anything that looks like an API key) with a mask."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    return _KEY_LIKE.sub(MASK, text)
