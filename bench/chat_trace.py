"""The ASGI app with per-message stage timestamps, for `bench/chat_fanout.py --trace` (measurement only).

Wraps, from the outside, the points a chat message passes on its way through the server and records
CLOCK_MONOTONIC (shared by every process on the machine, so comparable with the send time the bench's
client puts in each client_id). Written as JSON lines to $CHAT_TRACE_FILE when the process exits.
"""

import gc
import json
import os
import threading
import time

from config.asgi import application  # noqa: F401  (sets Django up; the server imports `application` from here)

from commons import realtime  # noqa: E402
from rooms import consumers, services  # noqa: E402

TRACE_FILE = os.environ["CHAT_TRACE_FILE"]
_stages: dict[str, dict[str, float]] = {}  # client_id -> stage -> monotonic time
_deliveries: dict[int, list[float]] = {}  # message id -> [first, last, count]
_id_to_client: dict[int, str] = {}
_lock = threading.Lock()


def mark(client_id, stage: str) -> None:
    if client_id:
        now = time.monotonic()
        with _lock:
            _stages.setdefault(client_id, {}).setdefault(stage, now)


# 1. the frame reaches the consumer
_receive_json = consumers.RoomConsumer.receive_json


async def receive_json(self, content, **kwargs):
    if content.get("type") == "message":
        mark(content.get("client_id"), "consumer_received")
    return await _receive_json(self, content, **kwargs)


consumers.RoomConsumer.receive_json = receive_json

# 2. message_send starts in a worker thread
_message_send = services.message_send


def message_send(*, room, author, body, client_id=None):
    mark(client_id, "service_started")
    message = _message_send(room=room, author=author, body=body, client_id=client_id)
    mark(client_id, "service_returned")
    return message


services.message_send = message_send

# 3. after commit: the broadcast is handed to the channel layer, and returns
_group_send_on_commit = realtime.group_send_on_commit


def group_send_on_commit(group, event):
    client_id = json.loads(event["text"]).get("client_id") if event.get("type") == "room.message" else None
    if client_id:
        _id_to_client[event["id"]] = client_id

    def send():
        from asgiref.sync import async_to_sync
        from channels.layers import get_channel_layer

        mark(client_id, "committed")
        async_to_sync(get_channel_layer().group_send)(group, event)
        mark(client_id, "group_send_returned")

    from django.db import transaction

    transaction.on_commit(send)


services.group_send_on_commit = group_send_on_commit


# 4. each socket writes the frame
def delivered(message_id: int) -> None:
    now = time.monotonic()
    with _lock:
        entry = _deliveries.get(message_id)
        if entry is None:
            _deliveries[message_id] = [now, now, 1]
        else:
            entry[1] = now
            entry[2] += 1


_room_message = consumers.RoomConsumer.room_message


async def room_message(self, event):
    await _room_message(self, event)
    delivered(event["id"])


consumers.RoomConsumer.room_message = room_message


# 5. garbage collections long enough to delay a message
_gc_started: list[float] = []
_gc_pauses: list[dict] = []


def on_gc(phase: str, info: dict) -> None:
    if phase == "start":
        _gc_started[:] = [time.monotonic()]
    elif _gc_started:
        took = time.monotonic() - _gc_started[0]
        if took > 0.002:
            _gc_pauses.append({"gc_at": _gc_started[0], "gc_ms": took * 1000, "generation": info["generation"]})


gc.callbacks.append(on_gc)


def dump() -> None:
    with _lock, open(TRACE_FILE + ".tmp", "w") as out:
        for message_id, (first, last, count) in _deliveries.items():
            client_id = _id_to_client.get(message_id)
            if client_id in _stages:
                _stages[client_id].update({"first_socket_written": first, "last_socket_written": last, "sockets": count})
        for client_id, stages in _stages.items():
            out.write(json.dumps({"client_id": client_id, **stages}) + "\n")
        for pause in _gc_pauses:
            out.write(json.dumps(pause) + "\n")
    os.replace(TRACE_FILE + ".tmp", TRACE_FILE)


def dump_every_second() -> None:
    # Servers are stopped with SIGTERM and may not run atexit hooks; the bench waits for one more dump.
    while True:
        time.sleep(1)
        dump()


threading.Thread(target=dump_every_second, daemon=True).start()
