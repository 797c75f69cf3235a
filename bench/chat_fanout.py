"""Fan-out of one live room: N clients, one sender at a steady rate, against a bare websockets broadcast server.

    .venv/bin/python bench/chat_fanout.py                      # uvicorn + in-memory layer
    .venv/bin/python bench/chat_fanout.py --server daphne --layer redis
    .venv/bin/python bench/chat_fanout.py --all                # the four combinations

Prints delivered/sent (after reconnect replay: a tenth of the clients drop half-way and come back
with ?after=<last id>), duplicates, p50/p99 delivery latency from send to receipt, and the same for
a bare `websockets` broadcast server measured in the same run, with the p99 ratio. The app server
runs in its own process with a throw-away SQLite database; clients and sender share this process.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402

from tests.rooms import live_servers  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Receiver:
    def __init__(self, index: int, url: str, headers: dict, origin: str | None, stable: bool):
        self.index, self.url, self.headers, self.origin, self.stable = index, url, headers, origin, stable
        self.seen: dict[str, float] = {}  # client_id -> receive time
        self.duplicates = 0
        self.last_id = 0
        self.latencies: list[float] = []
        self.drop_at: float | None = None  # set for one client in ten once sending starts

    async def open(self, after: int | None = None):
        url = self.url + (f"?after={after}" if after else "")
        kwargs = {"additional_headers": self.headers, "max_queue": None, "ping_interval": None}
        if self.origin:
            kwargs["origin"] = self.origin
        return await websockets.connect(url, **kwargs)

    async def run(self, ready: asyncio.Event, stop: asyncio.Event):
        socket = await self.open()
        ready.set()
        while not stop.is_set():
            now = time.monotonic()
            if self.drop_at is not None and now >= self.drop_at:
                # Drop the connection, stay away a moment, come back asking for what was missed.
                self.drop_at = None
                await socket.close()
                await asyncio.sleep(0.5)
                socket = await self.open(after=self.last_id)
                continue
            timeout = 0.5 if self.drop_at is None else min(0.5, self.drop_at - now)
            try:
                raw = await asyncio.wait_for(socket.recv(), timeout=timeout)
            except asyncio.TimeoutError:
                continue
            except websockets.ConnectionClosed:
                break
            self.handle(raw, time.monotonic())
        await socket.close()

    def handle(self, raw: str, now: float):
        frame = json.loads(raw)
        if frame.get("type") != "message" or not frame.get("client_id"):
            return
        client_id = frame["client_id"]
        if client_id in self.seen:
            self.duplicates += 1
            return
        self.seen[client_id] = now
        self.last_id = max(self.last_id, frame.get("id", 0))
        if self.stable:
            self.latencies.append(now - float(client_id.split(":", 1)[1]))


async def measure(url: str, headers_for, origin: str | None, clients: int, rate: float, seconds: float, sender_headers: dict, replay: bool = True) -> dict:
    stop = asyncio.Event()
    drop_every = 10  # one client in ten drops half-way and replays
    receivers = [Receiver(i, url, headers_for(i), origin, stable=(i % drop_every != 0)) for i in range(clients)]
    ready = [asyncio.Event() for _ in receivers]
    # Connect in small batches so the handshake burst is not what we measure.
    tasks = []
    for i, receiver in enumerate(receivers):
        tasks.append(asyncio.create_task(receiver.run(ready[i], stop)))
        if i % 10 == 9:
            await asyncio.gather(*(event.wait() for event in ready[: i + 1]))
    await asyncio.gather(*(event.wait() for event in ready))
    await asyncio.sleep(3)  # let the joins settle: we measure chat, not the connection burst

    kwargs = {"additional_headers": sender_headers, "ping_interval": None}
    if origin:
        kwargs["origin"] = origin
    sent = 0
    async with websockets.connect(url, **kwargs) as sender:
        interval = 1 / rate
        began = time.monotonic()
        for receiver in receivers:
            if not receiver.stable:
                receiver.drop_at = began + seconds / 2
        while time.monotonic() - began < seconds:
            await sender.send(json.dumps({"type": "message", "body": f"bench {sent}", "client_id": f"{sent}:{time.monotonic()!r}"}))
            sent += 1
            await asyncio.sleep(max(0.0, began + sent * interval - time.monotonic()))
        # Give stragglers (and replays) time to arrive.
        deadline = time.monotonic() + 10
        # (the bare server has no replay: there, only the clients that stayed can catch up)
        while time.monotonic() < deadline and any(len(r.seen) < sent for r in receivers if replay or r.stable):
            await asyncio.sleep(0.1)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    latencies = [lat for r in receivers for lat in r.latencies]
    arrivals: dict[str, list[float]] = {}  # client_id -> receive times on the clients that stayed
    for r in receivers:
        if r.stable:
            for client_id, at in r.seen.items():
                arrivals.setdefault(client_id, []).append(at)
    delivered = sum(min(len(r.seen), sent) for r in receivers)
    return {
        "sent": sent,
        "delivered_ratio": delivered / (sent * clients) if sent else 0.0,
        "duplicates": sum(r.duplicates for r in receivers),
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "arrivals": arrivals,
    }


# --- the bare server: websockets.broadcast, nothing else ----------------------------------


async def bare_server(port: int):
    from websockets.asyncio.server import broadcast, serve

    connected = set()
    next_id = 0

    async def handler(socket):
        nonlocal next_id
        connected.add(socket)
        try:
            async for raw in socket:
                frame = json.loads(raw)
                if frame.get("type") == "message":
                    next_id += 1
                    broadcast(connected, json.dumps({"type": "message", "id": next_id, "client_id": frame["client_id"], "author": "x", "body_html": frame["body"]}))
        finally:
            connected.discard(socket)

    async with serve(handler, "127.0.0.1", port, ping_interval=None):
        await asyncio.Future()


def start_bare(port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, __file__, "--bare-server", str(port)], cwd=ROOT)
    for _ in range(100):
        try:
            import socket as pysocket

            with pysocket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("bare server did not start")


# --- one combination -----------------------------------------------------------------------


STAGES = ("consumer_received", "service_started", "service_returned", "committed", "group_send_returned",
          "first_socket_written", "last_socket_written")


def stage_breakdown(trace_file: Path, arrivals: dict[str, list[float]]) -> str:
    """Per-stage times of the traced run, in ms after the sender's send: median and p99 over messages."""
    rows: dict[str, list[float]] = {}
    pauses = []
    for line in trace_file.read_text().splitlines():
        record = json.loads(line)
        if "gc_ms" in record:
            pauses.append(record)
            continue
        sent_at = float(record["client_id"].split(":", 1)[1])
        for stage in STAGES:
            if stage in record:
                rows.setdefault(stage, []).append((record[stage] - sent_at) * 1000)
        times = arrivals.get(record["client_id"])
        if times:
            rows.setdefault("first_client_received", []).append((min(times) - sent_at) * 1000)
            rows.setdefault("last_client_received", []).append((max(times) - sent_at) * 1000)
    lines = ["| stage (ms after send) | median | p90 | p99 | max |", "|---|---:|---:|---:|---:|"]
    for stage in (*STAGES, "first_client_received", "last_client_received"):
        values = rows.get(stage, [])
        lines.append(
            f"| {stage} | {percentile(values, 0.5):.1f} | {percentile(values, 0.9):.1f} | {percentile(values, 0.99):.1f} | "
            f"{max(values, default=float('nan')):.1f} |"
        )
    if pauses:
        lines.append(
            f"garbage collections over 2 ms in the server: {len(pauses)}, longest {max(p['gc_ms'] for p in pauses):.1f} ms "
            f"(generations {sorted({p['generation'] for p in pauses})})"
        )
    return "\n".join(lines)


def run_combo(server: str, layer: str, clients: int, rate: float, seconds: float, trace: bool = False) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="chat-fanout-"))
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2") if layer.startswith("redis") else None
    env = live_servers.base_env(
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}", DJANGO_VAR_DIR=str(folder), REDIS_URL=redis_url,
        CHANNEL_PREFIX=f"bench{os.getpid()}" if redis_url else None, CACHE_PREFIX=f"bench{os.getpid()}" if redis_url else None,
        RATE_LIMIT_ROOM_MESSAGE="1000000/10", CHANNEL_LAYER="pubsub" if layer == "redis-pubsub" else None,
    )
    names = [f"bench{i}" for i in range(clients + 1)]
    cookies = live_servers.prepare_database(env, names)
    port = live_servers.free_port()
    trace_file = folder / "trace.jsonl"
    if trace:
        env["CHAT_TRACE_FILE"] = str(trace_file)
    app = live_servers.start_server(env, port, server=server, app="bench.chat_trace:application" if trace else "config.asgi:application")
    try:
        url = f"ws://127.0.0.1:{port}/ws/rooms/live/"
        origin = f"http://127.0.0.1:{port}"
        app_result = asyncio.run(measure(
            url, lambda i: {"Cookie": f"sessionid={cookies[names[i]]}"}, origin, clients, rate, seconds,
            {"Cookie": f"sessionid={cookies[names[-1]]}"},
        ))
        if trace:
            time.sleep(1.5)  # one more dump of the server's trace
    finally:
        live_servers.stop_server(app)
    if trace:
        print(stage_breakdown(trace_file, app_result["arrivals"]), flush=True)
    bare_port = live_servers.free_port()
    bare = start_bare(bare_port)
    try:
        bare_result = asyncio.run(measure(f"ws://127.0.0.1:{bare_port}/", lambda i: {}, None, clients, rate, seconds, {}, replay=False))
    finally:
        bare.terminate()
        bare.wait()
    return {"server": server, "layer": layer, "clients": clients, "rate": rate, "app": app_result, "bare": bare_result}


def report(result: dict) -> str:
    app, bare = result["app"], result["bare"]
    ratio = app["p99_ms"] / bare["p99_ms"] if bare["p99_ms"] else float("nan")
    return (
        f"| {result['server']} | {result['layer']} | {result['clients']} | {result['rate']:g}/s | {app['sent']} | "
        f"{app['delivered_ratio']:.3f} | {app['duplicates']} | {app['p50_ms']:.1f} | {app['p99_ms']:.1f} | "
        f"{bare['delivered_ratio']:.3f} | {bare['p50_ms']:.1f} | {bare['p99_ms']:.1f} | {ratio:.2f}× |"
    )


HEADER = (
    "| server | layer | clients | rate | sent | delivered/sent | duplicates | p50 ms | p99 ms | bare delivered/sent | bare p50 ms | bare p99 ms | p99 ratio |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", choices=["uvicorn", "daphne"], default="uvicorn")
    parser.add_argument("--layer", choices=["memory", "redis", "redis-pubsub"], default="memory")
    parser.add_argument("--all", action="store_true", help="uvicorn and daphne, in-memory and Redis")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--rate", type=float, default=10, help="messages per second from the sender")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--trace", action="store_true", help="also print where each message's time goes in the server")
    parser.add_argument("--bare-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        asyncio.run(bare_server(args.bare_server))
        return
    layers = ("memory", "redis", "redis-pubsub")
    combos = [(s, layer) for s in ("uvicorn", "daphne") for layer in layers] if args.all else [(args.server, args.layer)]
    print(HEADER, flush=True)
    failed = False
    for server, layer in combos:
        result = run_combo(server, layer, args.clients, args.rate, args.seconds, trace=args.trace)
        print(report(result), flush=True)
        failed |= result["app"]["delivered_ratio"] != 1.0 or result["app"]["duplicates"] != 0
    if failed:
        print("FAILED: a message was lost or delivered twice", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
