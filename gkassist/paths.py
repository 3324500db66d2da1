"""Where the data folders live: rules/, prompts/ and the bundled examples.

rules/ and prompts/ stay at the top of the repository, where the people who maintain the
policy data find them. The build maps them into the package as gkassist/rules and
gkassist/prompts (setup.py), so an installed wheel carries its own data. A source checkout
or an editable install has no such folders inside the package and reads the top-level ones
next to it: the data always comes from the same tree as the code.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    """The package's own copy of a data folder when installed, else the repository's."""
    bundled = resources.files("gkassist").joinpath(name)
    if isinstance(bundled, Path) and bundled.is_dir():  # pip always unpacks a wheel: a real folder
        return bundled
    return PACKAGE_DIR.parent / name


def rules_dir() -> Path:
    """The rules/ folder; GKASSIST_RULES_DIR overrides it (for deployments and tests)."""
    override = os.environ.get("GKASSIST_RULES_DIR")
    return Path(override) if override else _data_dir("rules")


def prompts_dir() -> Path:
    """The prompts/ folder; GKASSIST_PROMPTS_DIR overrides it."""
    override = os.environ.get("GKASSIST_PROMPTS_DIR")
    return Path(override) if override else _data_dir("prompts")


EXAMPLES_DIR = PACKAGE_DIR / "examples"  # package data of gkassist itself (pyproject.toml)
