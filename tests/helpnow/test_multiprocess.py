"""Two uvicorn processes sharing PostgreSQL and Redis: a request asked on one appears on boards served by both,
and two supporters on different processes claiming it at once get one win and one "taken"."""

import asyncio
import json
import os
import subprocess
import urllib.parse
import urllib.request

import pytest
import websockets

from tests.rooms import live_servers

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (and PostgreSQL): two processes share the board through Redis"),
]

SETUP = """
import json
from helpnow import services
from peers import roles, services as peer_services
from peers.models import Peer
from tests.rooms.live_servers import signed_in_session

cookies = {}
for name, role in [("hn-asker", roles.MEMBER), ("hn-sup-a", roles.SUPPORTER), ("hn-sup-b", roles.SUPPORTER)]:
    peer = Peer.objects.create_user(username=name, password="a-long-test-password-42")
    peer_services.peer_onboard(peer=peer)
    if role != roles.MEMBER:
        peer_services.role_grant(peer=peer, role=role)
        services.duty_set(supporter=Peer.objects.get(pk=peer.pk), on=True)
    cookies[name] = signed_in_session(peer)
print("COOKIES=" + json.dumps(cookies))
"""


@pytest.fixture(scope="module")
def two_servers():
    with live_servers.scratch_postgres_env("helpnow") as env:
        subprocess.run([live_servers.PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=live_servers.ROOT, env=env, check=True, timeout=180)
        out = subprocess.run([live_servers.PYTHON, "manage.py", "shell", "-c", SETUP], cwd=live_servers.ROOT, env=env,
                             check=True, timeout=60, capture_output=True, text=True).stdout
        cookies = json.loads(out.split("COOKIES=", 1)[1].strip())
        processes = []
        try:
            ports = [live_servers.free_port(), live_servers.free_port()]
            processes = [live_servers.start_server(env, port) for port in ports]
            yield ports, cookies
        finally:
            for process in processes:
                live_servers.stop_server(process)


def _ask(port: int, session: str) -> str:
    """POST the form as a browser would (CSRF cookie and token); returns where it redirected."""
    base = f"http://127.0.0.1:{port}"
    csrf = "x" * 32
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "happening": "Two processes", "danger": "not_sure"}).encode()
    request = urllib.request.Request(f"{base}/get-help/", data=body, method="POST", headers={
        "Cookie": f"sessionid={session}; csrftoken={csrf}", "Origin": base, "Referer": f"{base}/get-help/",
        "Content-Type": "application/x-www-form-urlencoded",
    })

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        urllib.request.build_opener(NoRedirect).open(request, timeout=10)
    except urllib.error.HTTPError as answer:
        assert answer.code == 302, answer.read()[:500]
        return answer.headers["Location"]
    raise AssertionError("expected a redirect")


def _board(port: int, session: str):
    return websockets.connect(f"ws://127.0.0.1:{port}/ws/supporters/", additional_headers={"Cookie": f"sessionid={session}"},
                              origin=f"http://127.0.0.1:{port}")


async def _frame(socket, kind: str, where=lambda f: True, timeout: float = 10) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await socket.recv())
            if frame["type"] == kind and where(frame):
                return frame


async def test_board_and_claim_race_across_processes(two_servers):
    (port_a, port_b), cookies = two_servers
    async with _board(port_a, cookies["hn-sup-a"]) as board_a, _board(port_b, cookies["hn-sup-b"]) as board_b:
        await _frame(board_a, "board")
        await _frame(board_b, "board")
        location = await asyncio.to_thread(_ask, port_b, cookies["hn-asker"])
        request_id = int(location.strip("/").split("/")[-1])
        for board in (board_a, board_b):  # both processes hear of it through Redis
            snapshot = await _frame(board, "board", lambda f: f["waiting"])
            assert snapshot["waiting"][0]["id"] == request_id and snapshot["waiting"][0]["may_be_in_danger"]
        await asyncio.gather(board_a.send(json.dumps({"type": "claim", "id": request_id})),
                             board_b.send(json.dumps({"type": "claim", "id": request_id})))
        outcomes = await asyncio.gather(
            _first_of(board_a, ("claimed", "error")),
            _first_of(board_b, ("claimed", "error")),
        )
        assert sorted(frame["type"] for frame in outcomes) == ["claimed", "error"]
        assert next(frame for frame in outcomes if frame["type"] == "error")["code"] == "taken"


async def _first_of(socket, kinds, timeout: float = 10) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await socket.recv())
            if frame["type"] in kinds:
                return frame
