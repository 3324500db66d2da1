"""The example reverse-proxy configuration (deploy/nginx.conf, README 共享部署): nginx accepts it,
and run in front of two app servers it serves the app over TLS, redirects plain HTTP, and carries
Streamlit's websocket, so that an edit made through it is saved.

The file is used as shipped; only what a deployment changes anyway is replaced for the test:
the certificate (a self-signed one made here), the ports, the app servers' addresses, the logs.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gkassist.model import Report
from gkassist.storage import ReportStore
from tests.actors import LOCAL, as_user
from tests.tools import require_tool

pytestmark = pytest.mark.proxy
ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "nginx.conf"


@pytest.fixture
def nginx(request: pytest.FixtureRequest) -> str:
    return require_tool(request, "nginx")


def _certificate(folder: Path) -> tuple[Path, Path]:
    crt, key = folder / "test.crt", folder / "test.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(key), "-out", str(crt)],
        check=True, capture_output=True,
    )  # fmt: skip
    return crt, key


def _for_test(folder: Path, https: int = 443, http: int = 80, app_ports: tuple[int, int] = (8501, 8502)) -> Path:
    """deploy/nginx.conf with the test's certificate, ports, app servers and log files."""
    crt, key = _certificate(folder)
    text = CONFIG.read_text(encoding="utf-8")
    replacements = {
        "/etc/nginx/tls/gkassist.crt": str(crt),
        "/etc/nginx/tls/gkassist.key": str(key),
        "/var/log/nginx/": f"{folder}/",
        "listen 443 ssl;": f"listen 127.0.0.1:{https} ssl;",
        "listen [::]:443 ssl;": "",
        "listen 80;": f"listen 127.0.0.1:{http};",
        "listen [::]:80;": "",
        "127.0.0.1:8501": f"127.0.0.1:{app_ports[0]}",
        "127.0.0.1:8502": f"127.0.0.1:{app_ports[1]}",
    }
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx.conf no longer has {old!r}: update this test"
        text = text.replace(old, new)
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):  # a normal user cannot write /var/lib/nginx
        text = text.replace("http {\n", f"http {{\n    {name}_temp_path {folder}/{name}_temp;\n", 1)
    config = folder / "nginx.conf"
    config.write_text(text, encoding="utf-8")
    return config


def test_the_example_proxy_configuration_is_accepted_by_nginx(nginx: str, tmp_path: Path) -> None:
    config = _for_test(tmp_path)
    done = subprocess.run(
        [nginx, "-t", "-q", "-p", str(tmp_path), "-c", str(config), "-e", "stderr", "-g", f"pid {tmp_path}/nginx.pid;"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


@pytest.fixture
def proxied_app(nginx: str, tmp_path: Path) -> Iterator[tuple[int, int, ReportStore]]:
    """Two app servers on one database behind nginx with the example configuration:
    (https port, http port, the store)."""
    from tests.e2e.server import free_port, start_app, stop_app

    db_url = f"sqlite:///{tmp_path / 'shared.db'}"
    store = ReportStore(db_url)
    apps = []
    proxy = None
    try:
        ports = (free_port(), free_port())
        for port in ports:
            apps.append(start_app(db_url, port))
        https, http = free_port(), free_port()
        config = _for_test(tmp_path, https, http, ports)
        proxy = subprocess.Popen(
            [nginx, "-p", str(tmp_path), "-c", str(config), "-e", "stderr", "-g", f"daemon off; pid {tmp_path}/nginx.pid;"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", https), timeout=1).close()
                break
            except OSError:
                if proxy.poll() is not None or time.monotonic() > deadline:
                    out = proxy.stdout.read().decode(errors="replace") if proxy.stdout else ""
                    pytest.fail(f"nginx did not start: {out[-2000:]}")
                time.sleep(0.1)
        yield https, http, store
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(timeout=10)
        for app in apps:
            stop_app(app)


def test_the_proxy_serves_the_app_over_tls_and_carries_its_websocket(proxied_app: tuple[int, int, ReportStore]) -> None:
    from benchmarks.streamlit_client import StreamlitTab

    https, plain_http, store = proxied_app
    untrusted = ssl._create_unverified_context()  # the test's self-signed certificate
    conn = http.client.HTTPSConnection("127.0.0.1", https, context=untrusted, timeout=10)
    conn.request("GET", "/_stcore/health")
    reply = conn.getresponse()
    assert (reply.status, reply.read()) == (200, b"ok")
    assert reply.getheader("Strict-Transport-Security")

    plain = http.client.HTTPConnection("127.0.0.1", plain_http, timeout=10)
    plain.request("GET", "/?report=1")
    redirect = plain.getresponse()
    assert redirect.status == 301
    assert redirect.getheader("Location", "").startswith("https://127.0.0.1")

    rid, _ = store.create(Report.new("代理测试局", 2024), actor=as_user("建档人"))
    tab = StreamlitTab(f"https://127.0.0.1:{https}", {"report": str(rid), "by": "代理科员"}, verify_tls=False)
    try:
        widget_id, _ = tab.open("basic").text_inputs["电话"]
        saved = tab.type_text(widget_id, "0791-7654321")
    finally:
        tab.close()
    assert any("第2版（自动保存）" in text for text in saved.texts)
    report, version = store.load(rid, actor=LOCAL)
    assert (version, report.meta.contact.phone) == (2, "0791-7654321")
    assert store.versions(rid, actor=LOCAL)[0].author == "代理科员"
