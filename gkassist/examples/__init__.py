"""Bundled example reports: complete 2019- and 2021-format reports and the published seed."""

from __future__ import annotations

from gkassist.model import Report
from gkassist.paths import EXAMPLES_DIR

SEED_TEXT = EXAMPLES_DIR / "seed-2024-changjiang-gxj.txt"


def load_example(name: str) -> Report:
    """A fresh copy of a bundled JSON example (example-2021, example-2019)."""
    return Report.model_validate_json((EXAMPLES_DIR / f"{name}.json").read_text(encoding="utf-8"))
