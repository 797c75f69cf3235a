"""Two uvicorn processes (and cron's spotting_tick) sharing PostgreSQL and Redis all notice the same missed
check-in: the alarm is raised exactly once, and the spotter's pages on both processes each get it once."""

import asyncio
import json
import os
import subprocess

import pytest
import websockets

from tests.rooms import live_servers

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (and PostgreSQL): two processes share the alarm through Redis"),
]

SETUP = """
import json
from helpnow import services as helpnow_services
from peers import roles, services as peer_services
from peers.models import Peer
from spotting import services
from tests.rooms.live_servers import signed_in_session

member = Peer.objects.create_user(username="sp-member", password="a-long-test-password-42")
peer_services.peer_onboard(peer=member)
spotter = Peer.objects.create_user(username="sp-spotter", password="a-long-test-password-42")
peer_services.peer_onboard(peer=spotter)
peer_services.role_grant(peer=spotter, role=roles.SUPPORTER)
spotter = Peer.objects.get(pk=spotter.pk)
helpnow_services.duty_set(supporter=spotter, on=True)
session = services.session_start(member=member, interval_minutes=15, length_minutes=120, note="Room 12, the door is open.")
services.session_claim(session=session, supporter=spotter)
print("SETUP=" + json.dumps({"session": session.pk, "spotter": signed_in_session(spotter)}))
"""

DUE_NOW = """
from django.utils import timezone
from spotting.models import SpotSession
SpotSession.objects.filter(pk={pk}).update(check_due_at=timezone.now(), alarm_due_at=timezone.now())
"""

COUNT = """
from spotting.models import SpotMonth, SpotSession
print("COUNT=", SpotMonth.objects.get().alarms, SpotSession.objects.get(pk={pk}).status)
"""


def _shell(env, code: str) -> str:
    return subprocess.run([live_servers.PYTHON, "manage.py", "shell", "-c", code], cwd=live_servers.ROOT, env=env,
                          check=True, timeout=60, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def two_servers():
    with live_servers.scratch_postgres_env("spot") as env:
        # Both processes look for missed check-ins five times a second: they notice the same one at about the same time.
        env.update({"SPOTTING_TICK_SECONDS": "0.2"})
        subprocess.run([live_servers.PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=live_servers.ROOT, env=env, check=True, timeout=180)
        setup = json.loads(_shell(env, SETUP).split("SETUP=", 1)[1].strip())
        processes = []
        try:
            ports = [live_servers.free_port(), live_servers.free_port()]
            processes = [live_servers.start_server(env, port) for port in ports]
            yield env, ports, setup
        finally:
            for process in processes:
                live_servers.stop_server(process)


def _watch(port: int, session: str):
    return websockets.connect(f"ws://127.0.0.1:{port}/ws/spot/", additional_headers={"Cookie": f"sessionid={session}"},
                              origin=f"http://127.0.0.1:{port}")


async def _alarms(socket, seconds: float) -> list[dict]:
    """The new-alarm frames (not the "again" ones beside board frames) a socket gets in `seconds`."""
    frames = []
    try:
        async with asyncio.timeout(seconds):
            while True:
                frame = json.loads(await socket.recv())
                if frame["type"] == "alarm" and not frame.get("again"):
                    frames.append(frame)
    except TimeoutError:
        pass
    return frames


async def test_missed_check_in_noticed_by_two_processes_is_raised_once(two_servers):
    env, (port_a, port_b), setup = two_servers
    async with _watch(port_a, setup["spotter"]) as page_a, _watch(port_b, setup["spotter"]) as page_b:
        for page in (page_a, page_b):
            assert json.loads(await page.recv())["type"] == "board"
        await asyncio.to_thread(_shell, env, DUE_NOW.format(pk=setup["session"]))
        # cron's backstop runs at the same moment as both processes' timers
        cron = asyncio.to_thread(subprocess.run, [live_servers.PYTHON, "manage.py", "spotting_tick"], cwd=live_servers.ROOT,
                                 env=env, check=True, timeout=60, capture_output=True)
        got_a, got_b, _ = await asyncio.gather(_alarms(page_a, 6), _alarms(page_b, 6), cron)
    assert [f["id"] for f in got_a] == [setup["session"]] and [f["id"] for f in got_b] == [setup["session"]]
    assert "Room 12, the door is open." in got_a[0]["html"]
    assert _shell(env, COUNT.format(pk=setup["session"])).split("COUNT=", 1)[1].split() == ["1", "alarm"]
