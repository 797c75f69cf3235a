"""No address, pseudonym, private room path or content in any log line (issue 13.1, issue 14 "Logs that help").

The real server is started as `make run` starts it and as the systemd unit does (deploy/systemd/commons@.service),
as a subprocess whose stdout and stderr go to one file. A person signs in, posts, chats, and opens the alerts
socket and a help room's socket, every request with X-Forwarded-For set; then every line written is scanned.
uvicorn used to write `INFO: 127.0.0.1:34394 - "WebSocket /ws/rooms/help-…" [accepted]` whatever
--no-access-log said."""

import http.cookiejar
import json
import re
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.rooms import live_servers

ROOT = Path(__file__).resolve().parents[2]
FORWARDED = "203.0.113.77"
PSEUDONYM = "quiet-heron-417"
PASSWORD = "a-long-test-password-42"
HELP_SLUG = "help-5b86c0ffee12"
TITLE = "Fentanyl strips at the Thursday drop-in"
BODY = "Bring a spare kit for a friend, ask for Sam at the desk."
CHAT = "Anyone else seeing blue pills around the station"

SETUP = f"""
from forum.models import Board
from peers import services as peer_services
from peers.models import Peer
from rooms import services
from rooms.models import Room

peer = Peer.objects.create_user(username={PSEUDONYM!r}, password={PASSWORD!r})
peer_services.role_grant(peer=peer, role="member")
host = Peer.objects.create_user(username="log-host")
peer_services.role_grant(peer=host, role="organiser")
Board.objects.create(slug="talk", title="Talk", description="")
services.room_create(slug="live", title="Live", host=host, status=Room.Status.LIVE)
services.room_create(slug={HELP_SLUG!r}, title="Help", host=None, status=Room.Status.LIVE)
"""


def _opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def _get(opener, url: str) -> str:
    request = urllib.request.Request(url, headers={"X-Forwarded-For": FORWARDED})
    with opener.open(request, timeout=15) as response:
        return response.read().decode()


def _post(opener, url: str, fields: dict, referer: str) -> int:
    page = _get(opener, referer)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(url, data=body, headers={"X-Forwarded-For": FORWARDED, "Referer": referer})
    with opener.open(request, timeout=15) as response:
        return response.status


def _socket(base: str, path: str, cookie: str | None):
    from websockets.sync.client import connect

    headers = {"X-Forwarded-For": FORWARDED}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    return connect("ws" + base.removeprefix("http") + path, origin=base, additional_headers=headers, open_timeout=10)


def journey(base: str) -> None:
    opener, jar = _opener()
    _get(opener, base + "/")
    assert _post(opener, base + "/accounts/login/", {"login": PSEUDONYM, "password": PASSWORD}, base + "/accounts/login/") == 200
    session = next(cookie.value for cookie in jar if cookie.name == "sessionid")
    _post(opener, base + "/b/talk/new/", {"title": TITLE, "body": BODY}, base + "/b/talk/new/")
    assert TITLE in _get(opener, base + "/b/talk/")
    with _socket(base, "/ws/alerts/", None) as alerts:
        alerts.send("{}")
        assert json.loads(alerts.recv(10))["type"] == "error"
    with _socket(base, "/ws/rooms/live/", session) as room:
        assert json.loads(room.recv(10))["type"] == "hello"
        room.send(json.dumps({"type": "message", "body": CHAT, "client_id": "c1"}))
        while (frame := json.loads(room.recv(10)))["type"] != "message":
            pass
        assert frame["author"] == PSEUDONYM
    try:  # the help room is not this person's: refused or closed, either way a line uvicorn used to write
        with _socket(base, f"/ws/rooms/{HELP_SLUG}/", session) as help_room:
            help_room.recv(5)
    except Exception:
        pass
    try:
        _get(opener, base + f"/rooms/{HELP_SLUG}/")
    except urllib.error.HTTPError:
        pass


@pytest.fixture(scope="module")
def prepared_var(tmp_path_factory):
    folder = tmp_path_factory.mktemp("logs")
    env = live_servers.base_env(DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}", DJANGO_VAR_DIR=str(folder))
    subprocess.run([live_servers.PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=180)
    subprocess.run([live_servers.PYTHON, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=True, timeout=60)
    return folder, env


@pytest.mark.multiprocess
@pytest.mark.parametrize("started_as, log_env", [
    ("make run", {}),
    ("systemd unit", {"LOG_FORMAT": "json", "LOG_LEVEL": "DEBUG"}),
], ids=["make-run", "systemd-unit-json-debug"])
def test_no_log_line_holds_an_address_a_pseudonym_a_private_path_or_content(prepared_var, tmp_path, started_as, log_env):
    folder, env = prepared_var
    port = live_servers.free_port()
    command = live_servers.makefile_command(port) if started_as == "make run" else live_servers.unit_command(port)
    log = tmp_path / "server.log"
    server = live_servers.start_server({**env, **log_env}, port, log_path=log, command=command)
    try:
        journey(f"http://127.0.0.1:{port}")
    finally:
        live_servers.stop_server(server)
    text = log.read_text()
    lines = [line for line in text.splitlines() if line.strip()]

    leaks = {secret: [line for line in lines if secret in line]
             for secret in ("127.0.0.1", FORWARDED, PSEUDONYM, HELP_SLUG, TITLE, BODY, CHAT, "Fentanyl", "blue pills")}
    assert {secret: found for secret, found in leaks.items() if found} == {}
    # What the lines do say: the route's pattern, status and timing, for pages and sockets, with a request id.
    # uvicorn's own lines still come, through the same formatter.
    assert any("uvicorn.error" in line and "Started server process" in line for line in lines)
    assert any("uvicorn.error" in line and "Uvicorn running (http, port" in line for line in lines)
    for expected in ("/accounts/login/", "/b/<slug:slug>/new/", "/ws/alerts/", "/ws/rooms/<slug:slug>/"):
        assert any(expected in line for line in lines), expected
    if log_env.get("LOG_FORMAT") == "json":
        records = [json.loads(line) for line in lines]  # every line, uvicorn's first ones included
        access = [r for r in records if r["logger"] == "commons.access"]
        assert {"request_id", "method", "route", "status", "ms"} <= set(access[0])
        assert any(r["method"] == "WS" and r["route"] == "/ws/rooms/<slug:slug>/" and r["status"] == 101 for r in access)
        assert any(r["method"] == "POST" and r["route"] == "/accounts/login/" and r["status"] == 302 for r in access)
    else:
        assert re.search(r" rid=[0-9a-f]{16} request method=POST route=/b/<slug:slug>/new/ status=302 ms=[\d.]+", text)
