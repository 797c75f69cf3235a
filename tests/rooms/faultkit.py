"""Faults on a real set-up, for tests/rooms/test_faults.py and bench/faults.py (docs/reliability.md).

Two uvicorn processes share a PostgreSQL database (reached through a TCP proxy that can refuse connections)
and a Redis server of their own (on a free port, so it can be stopped without touching anyone else's).
Chat clients behave as static/js/rooms.js does: one message in flight at a time with a client_id, resent
after a reconnect until its echo comes back, `?after=<highest id seen>` on reconnect, each id shown once.
"""

import asyncio
import contextlib
import json
import os
import random
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field

import websockets

from tests.rooms import live_servers

ROOM = "live"


# --- the pieces ---------------------------------------------------------------------------------


class RedisServer:
    """A redis-server of our own on a free port, without persistence: a restart starts empty, as in the issue."""

    def __init__(self):
        self.port = live_servers.free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class TcpProxy:
    """127.0.0.1:<port> -> a target, in threads. `cut()` drops every connection and refuses new ones; `restore()` listens again."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = live_servers.free_port()
        self.connections: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        listener, self.listener = self.listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self.lock:
            for conn in list(self.connections):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self.connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections.update((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                readable, _, _ = select.select([a, b], [], [], 1.0)
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    (b if source is a else a).sendall(data)
        except (OSError, ValueError):
            return
        finally:
            with self.lock:
                self.connections.discard(a)
                self.connections.discard(b)
            a.close()
            b.close()


def ready(port: int, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/ready", timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


class Cluster:
    """Redis, the database proxy and two uvicorn processes; a room `live` and signed-in people."""

    def __init__(self, names: list[str], label: str = "faults"):
        self.names = names
        self.label = label
        self.redis = RedisServer()
        self.ports = [live_servers.free_port(), live_servers.free_port()]
        self.servers: list[subprocess.Popen | None] = [None, None]
        self._stack = contextlib.ExitStack()
        self.log_dir = tempfile.mkdtemp(prefix="hrc-faults-")
        self.log_paths = [os.path.join(self.log_dir, f"server{index}.log") for index in range(2)]

    def __enter__(self) -> "Cluster":
        self.redis.start()
        self._stack.callback(self.redis.stop)
        env = self._stack.enter_context(live_servers.scratch_postgres_env(self.label))
        self.direct_database_url = env["DATABASE_URL"]
        host_port, self.database_name = self.direct_database_url.split("@", 1)[1].rsplit("/", 1)
        host, port = host_port.split(":")
        self.proxy = TcpProxy(host, int(port))
        self._stack.callback(self.proxy.cut)
        self.env = {
            **env, "DATABASE_URL": f"postgres://{env['DATABASE_URL'].split('//', 1)[1].split('@', 1)[0]}@127.0.0.1:{self.proxy.port}/{self.database_name}",
            "REDIS_URL": self.redis.url, "RATE_LIMIT_ROOM_MESSAGE": "100000/10", "DJANGO_DB_POOL_SIZE": "10",
        }
        self.cookies = live_servers.prepare_database(self.env, self.names)
        self._stack.callback(self.stop_all)
        for index in range(2):
            self.start(index)
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def start(self, index: int) -> None:
        self.servers[index] = live_servers.start_server(self.env, self.ports[index], log_path=self.log_paths[index])

    def kill(self, index: int) -> None:
        process = self.servers[index]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.servers:
            if process is not None and process.poll() is None:
                live_servers.stop_server(process)

    def stored(self, after: int) -> list[tuple[int, str]]:
        """(id, client_id) of every message in the room after `after`, read directly (not through the proxy)."""
        import psycopg

        with psycopg.connect(self.direct_database_url) as conn:
            return conn.execute(
                "SELECT m.id, m.client_id FROM rooms_message m JOIN rooms_room r ON r.id = m.room_id "
                "WHERE r.slug = %s AND m.id > %s ORDER BY m.id", (ROOM, after),
            ).fetchall()

    def wait_ready(self, within: float) -> float | None:
        """Seconds until both processes answer ready, or None if not within `within`."""
        started = time.monotonic()
        while time.monotonic() - started < within:
            if all(ready(port) for port in self.ports):
                return time.monotonic() - started
            time.sleep(0.1)
        return None

    def wait_not_ready(self, within: float) -> float | None:
        started = time.monotonic()
        while time.monotonic() - started < within:
            if not any(ready(port, timeout=0.5) for port in self.ports):
                return time.monotonic() - started
            time.sleep(0.1)
        return None


# --- a client that behaves like rooms.js ----------------------------------------------------------


@dataclass
class ChatClient:
    name: str
    port: int
    cookie: str
    after: int
    to_send: list[str] = field(default_factory=list)
    seen: dict[int, dict] = field(default_factory=dict)
    acked: dict[str, int] = field(default_factory=dict)  # client_id -> id of its echo
    out_of_order: int = 0  # frames that came with an id lower than one this connection already showed
    repeated: int = 0  # frames of an id this client already had, beyond the one echo of a resend
    connections: int = 0
    refusals: int = 0  # error frames asking to send again
    done_sending: asyncio.Event = field(default_factory=asyncio.Event)
    stopping: bool = False
    state: str = "new"  # what the client is doing (shown when a run goes wrong)

    @property
    def last_id(self) -> int:
        return max(self.seen, default=self.after)

    async def run(self, pace: float) -> None:
        attempt = 0
        while not self.stopping:
            try:
                self.state = "connecting"
                await self._connection(pace)
                attempt = 0
            except (OSError, asyncio.TimeoutError, websockets.exceptions.WebSocketException) as error:
                self.state = f"disconnected ({type(error).__name__}: {error})"
            if self.stopping:
                return
            attempt += 1
            await asyncio.sleep(min(1.0, 0.1 * 2 ** attempt) * random.uniform(0.75, 1.25))

    async def _connection(self, pace: float) -> None:
        url = f"ws://127.0.0.1:{self.port}/ws/rooms/{ROOM}/?after={self.last_id}"
        async with websockets.connect(
            url, additional_headers={"Cookie": f"sessionid={self.cookie}"}, origin=f"http://127.0.0.1:{self.port}",
            open_timeout=5, close_timeout=1,
        ) as ws:
            hello = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert hello["type"] == "hello", hello
            self.connections += 1
            highest = self.last_id
            in_flight: str | None = None
            next_send = 0.0
            while not self.stopping:
                pending = self._next_unacked()
                if pending is not None and in_flight != pending and time.monotonic() >= next_send:
                    await ws.send(json.dumps({"type": "message", "body": f"{self.name} says {pending}", "client_id": pending}))
                    in_flight = pending
                    self.state = f"sent {pending} on connection {self.connections}, waiting for its echo"
                if pending is None:
                    self.done_sending.set()
                try:
                    frame = json.loads(await asyncio.wait_for(ws.recv(), 0.25))
                except asyncio.TimeoutError:
                    continue
                if frame["type"] == "message":
                    if frame["id"] < highest and frame["id"] not in self.seen:  # a new id below one already shown
                        self.out_of_order += 1
                    highest = max(highest, frame["id"])
                    if frame["id"] in self.seen and frame.get("client_id") not in self.acked:
                        self.repeated += 1
                    self.seen[frame["id"]] = frame
                    if frame.get("client_id") and frame.get("author") == self.name and frame["client_id"] in self.to_send:
                        self.acked.setdefault(frame["client_id"], frame["id"])
                        if frame["client_id"] == in_flight:
                            in_flight = None
                            next_send = time.monotonic() + pace
                elif frame["type"] == "error":
                    self.refusals += 1
                    in_flight = None  # the server stored nothing: send it again shortly
                    next_send = time.monotonic() + 0.5

    def _next_unacked(self) -> str | None:
        for client_id in self.to_send:
            if client_id not in self.acked:
                return client_id
        return None


# --- a scenario -------------------------------------------------------------------------------------


@dataclass
class Outcome:
    fault: str
    sent: int
    acknowledged: int
    stored: int
    stored_twice: int
    acknowledged_not_stored: int
    clients_missing: int  # stored messages some client never got, summed over clients
    clients_extra: int  # ids a client showed that are not stored
    out_of_order: int
    repeated: int
    refusals: int
    not_ready_after: float | None  # seconds from the fault until neither process was ready (None: stayed ready)
    ready_again_after: float | None  # seconds from the end of the fault until both were ready again
    seconds: float
    clients: list = field(default_factory=list, repr=False)
    stored_rows: list = field(default_factory=list, repr=False)

    def failures(self) -> list[str]:
        problems = []
        if self.acknowledged != self.sent:
            problems.append(f"{self.sent - self.acknowledged} of {self.sent} messages never acknowledged")
        if self.stored_twice:
            problems.append(f"{self.stored_twice} messages stored twice")
        if self.acknowledged_not_stored:
            problems.append(f"{self.acknowledged_not_stored} acknowledged messages not stored")
        if self.clients_missing:
            problems.append(f"clients missed {self.clients_missing} stored messages")
        if self.clients_extra:
            problems.append(f"clients showed {self.clients_extra} messages that are not stored")
        if self.out_of_order:
            problems.append(f"{self.out_of_order} frames arrived out of id order")
        if self.ready_again_after is None:
            problems.append("readiness did not recover within 10 s")
        return problems

    def line(self) -> str:
        return (
            f"{self.fault:<16} sent {self.sent:>5}  acked {self.acknowledged:>5}  stored {self.stored:>5}  twice {self.stored_twice}  "
            f"missed-by-clients {self.clients_missing:>4}  out-of-order {self.out_of_order}  refusals {self.refusals:>3}  "
            f"not-ready-after {_seconds(self.not_ready_after)}  ready-again {_seconds(self.ready_again_after)}  ({self.seconds:.1f} s)"
        )


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}s"


async def run_scenario(cluster: Cluster, fault: str, *, senders: list[str], per_sender: int, pace: float = 0.02,
                       fault_after: float = 1.0, outage: float = 2.0, settle: float = 30.0) -> Outcome:
    """Senders write `per_sender` numbered messages, half on each process; `fault` strikes after `fault_after` s."""
    started = time.monotonic()
    after = max((row[0] for row in cluster.stored(0)), default=0)
    tag = f"{fault}{int(time.time() * 1000) % 10**8}"
    clients = [
        ChatClient(name, cluster.ports[i % 2], cluster.cookies[name], after,
                   to_send=[f"{tag}-{name}-{n}" for n in range(per_sender)])
        for i, name in enumerate(senders)
    ]
    tasks = [asyncio.create_task(client.run(pace)) for client in clients]
    await asyncio.sleep(fault_after)
    not_ready_after = ready_again_after = None
    loop = asyncio.get_running_loop()
    fault_at = time.monotonic()
    if fault == "kill-9":
        await loop.run_in_executor(None, cluster.kill, 1)
        await asyncio.sleep(outage)
        await loop.run_in_executor(None, cluster.start, 1)
    elif fault == "redis-restart":
        await loop.run_in_executor(None, cluster.redis.stop)
        not_ready_after = await loop.run_in_executor(None, cluster.wait_not_ready, outage + 5)
        await asyncio.sleep(max(0.0, outage - (time.monotonic() - fault_at)))
        await loop.run_in_executor(None, cluster.redis.start)
    elif fault == "database-refused":
        cluster.proxy.cut()
        not_ready_after = await loop.run_in_executor(None, cluster.wait_not_ready, outage + 5)
        await asyncio.sleep(max(0.0, outage - (time.monotonic() - fault_at)))
        cluster.proxy.restore()
    elif fault != "none":
        raise ValueError(fault)
    ready_again_after = await loop.run_in_executor(None, cluster.wait_ready, 10.0)

    # Everyone finishes sending, then every client must come to hold every stored message.
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(asyncio.gather(*(client.done_sending.wait() for client in clients)), settle)
    deadline = time.monotonic() + settle
    while time.monotonic() < deadline:
        stored_ids = {row[0] for row in await loop.run_in_executor(None, cluster.stored, after)}
        if all(stored_ids <= set(client.seen) for client in clients) and all(c.done_sending.is_set() for c in clients):
            break
        await asyncio.sleep(0.25)
    for client in clients:
        client.stopping = True
    await asyncio.gather(*tasks, return_exceptions=True)

    rows = await loop.run_in_executor(None, cluster.stored, after)
    stored_ids = {row[0] for row in rows}
    client_ids = [row[1] for row in rows]
    acked = {cid: mid for client in clients for cid, mid in client.acked.items()}
    return Outcome(
        fault=fault,
        sent=sum(len(c.to_send) for c in clients),
        acknowledged=len(acked),
        stored=len(rows),
        stored_twice=len(client_ids) - len(set(client_ids)),
        acknowledged_not_stored=sum(1 for mid in acked.values() if mid not in stored_ids),
        clients_missing=sum(len(stored_ids - set(c.seen)) for c in clients),
        clients_extra=sum(len(set(c.seen) - stored_ids) for c in clients),
        out_of_order=sum(c.out_of_order for c in clients),
        repeated=sum(c.repeated for c in clients),
        refusals=sum(c.refusals for c in clients),
        not_ready_after=not_ready_after,
        ready_again_after=ready_again_after,
        seconds=time.monotonic() - started,
        clients=clients,
        stored_rows=rows,
    )


def names_for(senders: int) -> list[str]:
    return [f"sender{n:02d}" for n in range(senders)]


def have_the_pieces() -> str | None:
    """Why the fault run cannot go here, or None."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return "needs PostgreSQL (DATABASE_URL): the database is cut through a proxy in front of it"
    if not os.environ.get("REDIS_URL"):
        return "needs REDIS_URL: the fault run is about Redis restarting"
    if not shutil.which("redis-server"):
        return "needs redis-server on PATH: the test starts its own and restarts it"
    return None
