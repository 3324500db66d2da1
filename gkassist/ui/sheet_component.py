"""The grid component of 数据填报 (st.components.v2): registered once from the files shipped in
gkassist/ui/components/ (plain JavaScript and CSS, no build step, nothing fetched at run time).

The browser sends a trigger ``edit`` = {"seq": n, "cells": {address: text}}: every edit it has
not yet seen acknowledged; the page applies it (gkassist.cell_edits) and hands back ``ack``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

COMPONENT_NAME = "gkassist_sheet"
_FILES = Path(__file__).resolve().parent / "components"


@cache
def _renderer() -> Any:
    return st.components.v2.component(
        COMPONENT_NAME,
        js=(_FILES / "sheet.js").read_text(encoding="utf-8"),
        css=(_FILES / "sheet.css").read_text(encoding="utf-8"),
    )


def sheet(data: dict[str, Any], key: str, on_edit: Callable[[], None]) -> Any:
    """Mount the sheet; the result's ``edit`` is this run's delta (None when nothing was edited)."""
    return _renderer()(data=data, key=key, on_edit_change=on_edit)


def edit_of(result: Any) -> dict[str, Any] | None:
    """The delta a component result carries, when well-formed: {"seq": int, "cells": {str: str|None}}."""
    edit = result.get("edit") if isinstance(result, dict) else getattr(result, "edit", None)
    if not isinstance(edit, dict) or not isinstance(edit.get("cells"), dict) or not isinstance(edit.get("seq"), int):
        return None
    return edit
