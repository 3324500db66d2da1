"""Where the data folders live (rules/, prompts/, bundled examples)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def rules_dir() -> Path:
    """The rules/ folder; GKASSIST_RULES_DIR overrides it (for deployments and tests)."""
    return Path(os.environ.get("GKASSIST_RULES_DIR", PROJECT_DIR / "rules"))


def prompts_dir() -> Path:
    return Path(os.environ.get("GKASSIST_PROMPTS_DIR", PROJECT_DIR / "prompts"))


EXAMPLES_DIR = PACKAGE_DIR / "examples"
