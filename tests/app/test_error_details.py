"""No traceback reaches the browser: client.showErrorDetails is "none" in the project's
.streamlit/config.toml, and an uncaught exception then sends no type, message or stack trace.
(In Streamlit 1.67 the old value `false` still means "stacktrace".) Locally, run with
STREAMLIT_CLIENT_SHOW_ERROR_DETAILS=full to see the details of a failing AppTest."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from gkassist.ui.localize import _CSS
from tests.app.support import APP

ROOT = Path(APP).parent
SECRET = "/srv/gkassist/secret-path.db"


def test_project_config_hides_error_details() -> None:
    data = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert data["client"]["showErrorDetails"] == "none"
    assert data["server"]["address"] == "127.0.0.1"


def test_streamlit_reads_none_from_the_project_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", raising=False)
    config.get_config_options(force_reparse=True)
    assert config.get_option("client.showErrorDetails") == config.ShowErrorDetailsConfigOptions.NONE


def test_uncaught_exception_sends_no_details(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    if os.environ.get("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"):
        pytest.skip("error details switched on for local debugging")
    config.get_config_options(force_reparse=True)
    script = f"import streamlit as st\nst.title('页面')\nraise RuntimeError('cannot open {SECRET}')\n"
    at = AppTest.from_string(script, default_timeout=30).run()
    assert len(at.exception) == 1
    shown = at.exception[0]
    assert SECRET not in shown.message and "RuntimeError" not in shown.message
    assert list(shown.stack_trace) == []
    assert not shown.proto.type
    assert "Traceback" not in str(shown.proto) and "secret-path" not in str(shown.proto)


def test_the_generic_english_box_is_shown_in_chinese() -> None:
    assert '[data-testid="stException"] > *' in _CSS and "display: none" in _CSS
    assert "本页出错" in _CSS and "请刷新页面后重试" in _CSS
