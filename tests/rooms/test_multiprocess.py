"""Two uvicorn processes, one PostgreSQL database and one Redis: a client on each sees the same room."""

import asyncio
import json
import os

import pytest
import websockets

from tests.rooms import live_servers

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (and PostgreSQL): two processes share a room through Redis"),
]

PER_CLIENT = 12


@pytest.fixture(scope="module")
def two_servers():
    with live_servers.scratch_postgres_env("rooms") as env:
        cookies = live_servers.prepare_database(env, ["ada", "bo"])
        processes = []
        try:
            ports = [live_servers.free_port(), live_servers.free_port()]
            processes = [live_servers.start_server(env, port) for port in ports]
            yield ports, cookies
        finally:
            for process in processes:
                live_servers.stop_server(process)


def _connect(port: int, session: str, after: int | None = None):
    query = f"?after={after}" if after is not None else ""
    return websockets.connect(
        f"ws://127.0.0.1:{port}/ws/rooms/live/{query}",
        additional_headers={"Cookie": f"sessionid={session}"}, origin=f"http://127.0.0.1:{port}",
    )


async def _messages(socket, count: int, timeout: float = 15) -> list[dict]:
    got = []
    async with asyncio.timeout(timeout):
        while len(got) < count:
            frame = json.loads(await socket.recv())
            if frame["type"] == "message":
                got.append(frame)
    return got


async def test_clients_on_two_processes_see_each_others_messages_in_the_same_order(two_servers):
    (port_a, port_b), cookies = two_servers
    async with _connect(port_a, cookies["ada"]) as ada, _connect(port_b, cookies["bo"]) as bo:
        hello_a = json.loads(await ada.recv())
        hello_b = json.loads(await bo.recv())
        assert hello_a["type"] == hello_b["type"] == "hello"
        assert hello_b["online"] == 2  # presence is shared: ada is counted though she is on the other process

        async def write(socket, who):
            for n in range(PER_CLIENT):
                await socket.send(json.dumps({"type": "message", "body": f"{who} {n}", "client_id": f"{who}-{n}"}))
                await asyncio.sleep(0.005)

        received_a, received_b, *_ = await asyncio.gather(
            _messages(ada, 2 * PER_CLIENT), _messages(bo, 2 * PER_CLIENT), write(ada, "ada"), write(bo, "bo")
        )

    ids_a = [f["id"] for f in received_a]
    ids_b = [f["id"] for f in received_b]
    assert len(set(ids_a)) == len(ids_a) == 2 * PER_CLIENT  # each once
    # The order a reader is shown is the id order (rooms.js places by id); both see the same messages...
    assert sorted(ids_a) == sorted(ids_b)
    # ...and each writer's messages keep the order they were written in, on both processes.
    for received in (received_a, received_b):
        for who in ("ada", "bo"):
            mine = sorted((f for f in received if f["author"] == who), key=lambda f: f["id"])
            assert [f["client_id"] for f in mine] == [f"{who}-{n}" for n in range(PER_CLIENT)]
    # A late joiner on either process replays exactly the same order.
    async with _connect(port_b, cookies["ada"], after=0) as late:
        assert json.loads(await late.recv())["type"] == "hello"
        replay = await _messages(late, 2 * PER_CLIENT)
    assert [f["id"] for f in replay] == sorted(ids_a)
