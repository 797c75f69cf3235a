"""/healthz: is the database reachable, does a message make a round trip through the channel layer?"""

import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse

CHANNEL_TIMEOUT_SECONDS = 2.0


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        return False


async def _channel_round_trip() -> bool:
    layer = get_channel_layer()
    channel = await layer.new_channel("healthz.")
    token = uuid.uuid4().hex
    await layer.send(channel, {"type": "healthz.ping", "token": token})
    message = await asyncio.wait_for(layer.receive(channel), CHANNEL_TIMEOUT_SECONDS)
    return message.get("token") == token


def channel_layer_ok() -> bool:
    try:
        return async_to_sync(_channel_round_trip)()
    except Exception:
        return False


def healthz(request):
    checks = {"db": database_ok(), "channel_layer": channel_layer_ok()}
    body = {"status": "ok" if all(checks.values()) else "error"}
    body.update({name: "ok" if ok else "error" for name, ok in checks.items()})
    response = JsonResponse(body, status=200 if all(checks.values()) else 503)
    response.headers["Cache-Control"] = "no-store"
    return response
