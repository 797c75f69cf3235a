"""From the loopback, a forged X-Forwarded-For must not change the address the limits count (issue 13, item 8).

uvicorn rewrites the client's address from X-Forwarded-For when the connection comes from one of its
`forwarded_allow_ips` (127.0.0.1 by default), so anyone on the machine could pick their own address and
never reach the per-address limit. The site reads the header itself, from TRUSTED_PROXIES only, and
`make run` starts uvicorn with --no-proxy-headers. This test serves the site the way the Makefile's flags
say, in a thread of this process, and sends failed log-ins with a new forged address each time."""

import http.cookiejar
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import close_server_connections

ROOT = Path(__file__).resolve().parents[2]


def _makefile_uvicorn_flags() -> list[str]:
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines() if "uvicorn config.asgi:application" in line)
    return line.split()


@pytest.fixture
def server_as_make_runs_it(transactional_db):
    import uvicorn

    from config.asgi import application

    flags = _makefile_uvicorn_flags()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(application, lifespan="off", log_level="warning", access_log=False, log_config=None,
                                           proxy_headers="--no-proxy-headers" not in flags))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    server.should_exit = True
    thread.join(10)
    listener.close()
    close_server_connections()


def _failed_login(base: str, name: str, forged: str) -> int:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/accounts/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"login": name, "password": "wrong-password", "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=body,
                                     headers={"X-Forwarded-For": forged, "Referer": f"{base}/accounts/login/"})
    try:
        return opener.open(request, timeout=10).status
    except urllib.error.HTTPError as refused:
        return refused.code


@pytest.mark.multiprocess
def test_forged_addresses_from_the_loopback_all_count_as_one(server_as_make_runs_it, settings):
    settings.RATE_LIMITS = {"login_failed": (3, 900)}
    statuses = [_failed_login(server_as_make_runs_it, f"nobody-{n}", forged=f"203.0.113.{n}") for n in range(4)]
    assert statuses == [400, 400, 400, 429]
