"""The cache and the channel layer ride out a Redis outage and come back by themselves (docs/reliability.md).

Against a Redis of the test's own (on a free port, behind a proxy it can cut), so the shared one is never stopped."""

import asyncio
import shutil
import time

import pytest
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff

from commons import cache as resilient_cache
from commons import redis_watch
from commons.layers import ResilientRedisChannelLayer
from tests.rooms.faultkit import RedisServer, TcpProxy

pytestmark = pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server on PATH: the test starts and stops its own")


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def cut_able(redis_server):
    proxy = TcpProxy("127.0.0.1", redis_server.port)
    yield proxy
    proxy.cut()


def test_the_cache_answers_from_memory_while_redis_is_away_and_forgets_what_changed_meanwhile(cut_able, monkeypatch):
    monkeypatch.setattr(resilient_cache, "RETRY_AFTER", 0.2)
    cache = resilient_cache.ResilientRedisCache(
        f"redis://127.0.0.1:{cut_able.port}/0", {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    )
    cache.set("session", "signed in", 300)
    cache.set("limit", 1, 300)
    cut_able.cut()
    started = time.monotonic()
    assert cache.get("limit") is None  # a miss, not an error: sessions then come from the database
    cache.delete("session")  # signed out while Redis is away
    cache.set("limit", 5, 300)
    assert cache.get("limit") == 5 and cache.incr("limit") == 6
    assert time.monotonic() - started < 2
    cut_able.restore()
    time.sleep(0.3)
    assert cache.get("session") is None  # Redis still held "signed in": it was forgotten there first
    assert cache.get("limit") is None
    cache.set("after", 1, 300)
    assert cache.get("after") == 1


async def test_the_layer_waits_through_a_restart_and_rejoins_its_groups(redis_server, monkeypatch):
    monkeypatch.setattr(redis_watch, "INTERVAL", 0.2)
    retry = Retry(ExponentialWithJitterBackoff(cap=0.5, base=0.05), 2)  # as config/settings.py: a stale connection is retried
    layer = ResilientRedisChannelLayer(hosts=[{"address": redis_server.url, "socket_connect_timeout": 0.5, "retry": retry}], prefix="outage")
    channel = await layer.new_channel()
    await layer.group_add("room.1", channel)
    received = asyncio.create_task(layer.receive(channel))
    await layer.group_send("room.1", {"type": "before"})
    assert (await asyncio.wait_for(received, 2))["type"] == "before"

    received = asyncio.create_task(layer.receive(channel))
    redis_server.stop()
    await asyncio.sleep(0.5)
    assert not received.done()  # waiting, not raised: the socket stays
    await layer.group_add("room.2", channel)  # not an error either
    assert not layer.watch().ready
    redis_server.start()  # empty: every group membership is gone
    started = time.monotonic()
    while not layer.watch().ready:
        assert time.monotonic() - started < 10
        await asyncio.sleep(0.1)
    await layer.group_send("room.2", {"type": "after"})
    assert (await asyncio.wait_for(received, 5))["type"] == "after"
    received.cancel()
    await asyncio.gather(received, return_exceptions=True)
    layer.watch().task.cancel()
