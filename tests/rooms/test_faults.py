"""The fault test (issue 14): two uvicorn processes, a Redis of their own, PostgreSQL behind a proxy we can cut.

Numbered messages from senders on both processes while (a) one process is killed -9 and restarted,
(b) Redis restarts (empty), (c) the database refuses connections for a few seconds. For each: every
acknowledged message is stored exactly once, every client ends with every stored message once and in id
order, and readiness recovers within 10 s. bench/faults.py runs the same at 20 senders x 50.
"""

import asyncio
import json
import re
import time
import urllib.request

import pytest
import websockets

from tests.rooms import faultkit

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.skipif(faultkit.have_the_pieces() is not None, reason=faultkit.have_the_pieces() or ""),
]

SENDERS = faultkit.names_for(6)
PER_SENDER = 15


@pytest.fixture(scope="module")
def cluster():
    with faultkit.Cluster([*SENDERS, "leaver"], label="faulttest") as running:
        yield running


@pytest.mark.parametrize("fault", ["kill-9", "redis-restart", "database-refused"])
async def test_every_acknowledged_message_is_stored_once_and_reaches_every_client(cluster, fault):
    outcome = await faultkit.run_scenario(cluster, fault, senders=SENDERS, per_sender=PER_SENDER, outage=2.5)
    print(outcome.line())
    assert outcome.failures() == [], outcome.line()
    assert outcome.stored == outcome.acknowledged == outcome.sent
    if fault == "redis-restart":
        assert outcome.not_ready_after is not None and outcome.not_ready_after < 5, outcome.line()


def _http_logout(port: int, session: str) -> int:
    """Sign out as a browser does: the logout page's CSRF token, then the POST."""
    page = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/accounts/logout/", headers={"Cookie": f"sessionid={session}"}))
    csrf_cookie = re.search(r"csrftoken=([^;]+)", page.headers.get("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode()).group(1)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/accounts/logout/", data=f"csrfmiddlewaretoken={token}".encode(), method="POST",
        headers={"Cookie": f"sessionid={session}; csrftoken={csrf_cookie}", "Content-Type": "application/x-www-form-urlencoded"},
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        return urllib.request.build_opener(NoRedirect).open(request).status
    except urllib.error.HTTPError as answer:
        return answer.code


async def test_a_logout_on_one_process_closes_the_persons_sockets_on_both_within_a_second(cluster):
    session = cluster.cookies["leaver"]
    sockets = []
    for port in cluster.ports:
        socket = await websockets.connect(
            f"ws://127.0.0.1:{port}/ws/rooms/{faultkit.ROOM}/", additional_headers={"Cookie": f"sessionid={session}"},
            origin=f"http://127.0.0.1:{port}",
        )
        assert json.loads(await socket.recv())["type"] == "hello"
        sockets.append(socket)
    loop = asyncio.get_running_loop()
    assert await loop.run_in_executor(None, _http_logout, cluster.ports[0], session) == 302
    signed_out_at = time.monotonic()
    for socket in sockets:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            async with asyncio.timeout(1.0 - (time.monotonic() - signed_out_at) + 0.2):
                while True:
                    await socket.recv()
        assert closed.value.rcvd.code == 4401
    assert time.monotonic() - signed_out_at < 1.2
