"""A cancel swallowed on the way still ends the Redis watch (commons.redis_watch._run).

Seen: a PostgreSQL + Redis test run hung for good in pytest-asyncio's teardown, the event loop waiting on the
"redis-watch" task at cancelling=1: a check had eaten the CancelledError (Python 3.11's wait_for returns a
result that arrives as it is cancelled; redis-py turns a cancelled read into a connection error), and the
loop went on. No Redis is needed: the check is replaced by one that swallows the cancel."""

import asyncio

import pytest

from commons import redis_watch


@pytest.mark.asyncio
async def test_the_watch_ends_when_cancelled_even_if_a_check_swallowed_the_cancel(monkeypatch):
    entered = asyncio.Event()

    async def swallowing_check(self):
        entered.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            return  # as redis-py or wait_for may do

    monkeypatch.setattr(redis_watch.RedisWatch, "check", swallowing_check)
    watch = redis_watch.RedisWatch("redis://127.0.0.1:1/0")  # never reached
    await entered.wait()
    watch.task.cancel()
    done, _ = await asyncio.wait({watch.task}, timeout=2)
    assert watch.task in done and watch.task.cancelled()
    await watch.client.aclose()


@pytest.mark.asyncio
async def test_a_receive_ends_when_cancelled_even_if_a_read_swallowed_the_cancel(monkeypatch):
    """channels-redis loops over its blocking read inside the library: each read must honour a pending cancel."""
    from channels_redis.core import RedisChannelLayer

    from commons.layers import ResilientRedisChannelLayer

    reading = asyncio.Event()

    async def swallowing_read(self, index, channel, timeout):
        reading.set()
        try:
            await asyncio.sleep(0.05)  # a read that comes back empty, as BRPOP does after its time-out
        except asyncio.CancelledError:
            pass  # as redis-py's retry may do
        return None

    monkeypatch.setattr(RedisChannelLayer, "_brpop_with_clean", swallowing_read)
    monkeypatch.setattr(ResilientRedisChannelLayer, "watch", lambda self: None)
    layer = ResilientRedisChannelLayer(hosts=["redis://127.0.0.1:1/0"])
    receiver = asyncio.create_task(layer.receive("test.channel"))
    await reading.wait()
    receiver.cancel()
    done, _ = await asyncio.wait({receiver}, timeout=2)
    assert receiver in done and receiver.cancelled()
