"""Single sign-on end to end: oidc-provider-mock on 127.0.0.1 as the identity provider, the app
with GKASSIST_AUTH=oidc and a secrets.toml written for this run (in a temporary folder, never in
the repository), Chromium through Streamlit's st.login. A person the provider vouches for is
matched to an account by e-mail and signed in; one without an account is refused in Chinese."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from gkassist.storage.accounts import AccountStore
from gkassist.storage.identities import IdentityStore
from tests.actors import admin
from tests.e2e.browser import settled
from tests.e2e.server import ARGS, ROOT, free_port, start_app, stop_app

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "out" / "screenshots"
AGENCY = "某某市生态环境局"
PASSWORD = "Correct-Horse-9"  # a test password, hashed by the code under test
KNOWN = {"sub": "sub-li-0001", "email": "li.si@example.gov.cn", "name": "李四"}


@pytest.fixture
def provider() -> Iterator[str]:
    """oidc-provider-mock on a free loopback port, with one predefined person; yields its address."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port),
         "--user-claims", json.dumps(KNOWN)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=1) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            stop_app(proc)
            pytest.fail(f"oidc-provider-mock did not start: {out[-2000:]}")
        time.sleep(0.2)
    try:
        yield url
    finally:
        stop_app(proc)


def write_secrets(folder: Path, app_port: int, provider: str) -> Path:
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        'client_id = "gkassist-test"\n'
        f'client_secret = "{secrets.token_urlsafe(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return path


def test_single_sign_on_matches_the_account_by_email(tmp_path: Path, provider: str, chromium: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    db_url = f"sqlite:///{tmp_path / 'oidc.db'}"
    accounts = AccountStore(db_url)
    accounts.add_agency(AGENCY, actor=admin("测试"))
    accounts.add_user("lisi", PASSWORD, "reviewer", [AGENCY], actor=admin("测试"), display_name="李四")
    IdentityStore(accounts).link("lisi", "email", KNOWN["email"], actor="测试")
    accounts.engine.dispose()
    port = free_port()
    secrets_file = write_secrets(tmp_path, port, provider)
    proc = start_app(db_url, port, {"GKASSIST_AUTH": "oidc", "STREAMLIT_SECRETS_FILES": str(secrets_file)})
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.set_default_timeout(20000)
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_role("button", name="使用统一身份认证登录").click()
            page.get_by_role("button", name=KNOWN["sub"]).click()  # the provider's page: the predefined person
            signed_in = page.get_by_text("已登录：李四（审核人）")
            expect(signed_in).to_be_visible()
            settled(page)
            page.screenshot(path=str(SHOTS / "21-signed-in-by-oidc.png"), full_page=True)
            page.reload()
            expect(signed_in).to_be_visible()

            stranger = browser.new_context().new_page()  # another browser: a person without an account
            stranger.set_default_timeout(20000)
            stranger.goto(f"http://127.0.0.1:{port}/")
            stranger.get_by_role("button", name="使用统一身份认证登录").click()
            stranger.get_by_placeholder("sub").fill("sub-stranger")
            stranger.get_by_role("button", name="Authorize").click()
            expect(stranger.get_by_text("本系统没有与之对应的账号").first).to_be_visible()
            expect(stranger.get_by_text("已登录")).to_have_count(0)
            stranger.screenshot(path=str(SHOTS / "22-oidc-unknown-identity.png"), full_page=True)

            page.get_by_role("button", name="退出登录").click()  # ends the provider's session too
            page.get_by_role("button", name="End session").click()  # the provider's confirmation page
            expect(page.get_by_role("button", name="使用统一身份认证登录")).to_be_visible()
            expect(signed_in).to_have_count(0)
            page.reload()
            expect(page.get_by_role("button", name="使用统一身份认证登录")).to_be_visible()
            browser.close()
    finally:
        stop_app(proc)
    entries = AccountStore(db_url).audit_entries(actor=admin())
    assert [(e.actor, e.detail.get("method")) for e in entries if e.action == "sign_in"] == [("lisi", "统一身份认证")]
    unknown = [e for e in entries if e.action == "sign_in_unknown_identity"]
    assert len(unknown) == 1 and unknown[0].detail["subject"] == "sub-stranger"
    assert "sign_out" in [e.action for e in entries]
