"""A Redis channel layer that outlives Redis: nothing of ours dies with it, everything rejoins when it answers again.

channels-redis' own layer raises whatever Redis raises. A consumer whose `receive` raised (Redis restarting,
or a read time-out) ended its socket, and a Redis that restarted empty had forgotten every group membership:
rooms went quiet until the next periodic refresh. Here:

- `receive` waits through errors instead of raising, so no socket is dropped for a Redis error;
- `group_add`/`group_discard` are also kept in this process (which channel of ours is in which group); an
  add that fails is not an error for the caller, because the process adds them all again on recovery;
- a watch (`commons.redis_watch`) checks Redis every second; when Redis answers again after failing, or
  answers as a new server (it restarted empty), the layer adds every membership back in one pipeline per
  group and then runs the recovery hooks (rooms.fanout catches up from the database).

docs/reliability.md tells the whole story.
"""

import asyncio
import collections
import logging
import time
from typing import Awaitable, Callable

from channels_redis.core import RedisChannelLayer
from redis.exceptions import RedisError

from commons import redis_watch

logger = logging.getLogger(__name__)

# What an unreachable, restarting or slow Redis raises (redis-py wraps socket errors, but not all of them).
REDIS_ERRORS = (RedisError, OSError, asyncio.TimeoutError)
RECEIVE_RETRY_MAX = 1.0  # seconds between attempts while Redis does not answer

RecoveryHook = Callable[[object], Awaitable[None]]
_recovery_hooks: list[RecoveryHook] = []


def on_recovery(hook: RecoveryHook) -> RecoveryHook:
    """Run `hook(layer)` (a coroutine function) on the event loop each time Redis is back and memberships are rejoined."""
    if hook not in _recovery_hooks:
        _recovery_hooks.append(hook)
    return hook


async def run_recovery_hooks(layer) -> None:
    for hook in list(_recovery_hooks):
        try:
            await hook(layer)
        except Exception:
            logger.exception("channel layer: a recovery hook failed")


class ResilientRedisChannelLayer(RedisChannelLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships: dict[str, set[str]] = collections.defaultdict(set)  # group -> this process's channels
        self.rejoined_at = 0.0
        self.receive_failing = False

    # --- the watch: one per process and event loop ---------------------------------------

    def watch(self) -> "redis_watch.RedisWatch":
        watch = redis_watch.watch_for(self.hosts[0].get("address", ""))
        watch.listen(self._recovered)
        return watch

    async def _recovered(self) -> None:
        await self.rejoin()
        await run_recovery_hooks(self)

    async def rejoin(self) -> None:
        """Add every membership this process holds again (after Redis restarted empty or was unreachable)."""
        now = time.time()
        for group, channels in list(self.memberships.items()):
            if not channels:
                continue
            connection = self.connection(self.consistent_hash(group))
            async with connection.pipeline(transaction=False) as pipe:
                pipe.zadd(self._group_key(group), {channel: now for channel in channels})
                pipe.expire(self._group_key(group), self.group_expiry)
                await pipe.execute()
        self.rejoined_at = time.monotonic()
        logger.warning("channel layer: Redis answers again; %d groups rejoined", len(self.memberships))

    # --- the layer API -------------------------------------------------------------------

    async def receive(self, channel):
        self.watch()
        failures = 0
        while True:
            if redis_watch.cancelling():  # a cancel swallowed by an earlier try still counts (redis_watch._run)
                raise asyncio.CancelledError()
            try:
                message = await super().receive(channel)
                self.receive_failing = False
                return message
            except REDIS_ERRORS as error:
                if redis_watch.cancelling():  # not retried: that would swallow the cancel
                    raise asyncio.CancelledError() from error
                failures += 1
                if not self.receive_failing:  # once per outage, not once per socket
                    self.receive_failing = True
                    logger.warning("channel layer: receiving failed (%s); waiting for Redis", type(error).__name__)
                await asyncio.sleep(min(RECEIVE_RETRY_MAX, 0.1 * failures))

    async def _brpop_with_clean(self, index, channel, timeout):
        """channels-redis's receive loops over this read (`while content is None`) inside the library: a cancel
        swallowed by one read (redis-py's retry turns a cancelled read into a new connection and a new read)
        would keep the loop, and an event loop shutting down, waiting for ever (seen: a PostgreSQL + Redis test
        run hung with a fan-out task at cancelling=2 inside this read). So each read first honours a pending
        cancel. (A private method of channels-redis, pinned in requirements.txt; tests/commons/test_cancel_honoured.py.)"""
        if redis_watch.cancelling():
            raise asyncio.CancelledError()
        return await super()._brpop_with_clean(index, channel, timeout)

    async def group_add(self, group, channel):
        self.memberships[group].add(channel)
        watch = self.watch()
        try:
            await super().group_add(group, channel)
        except REDIS_ERRORS:
            watch.report_failure()  # added again, with the others, once Redis answers

    async def group_discard(self, group, channel):
        channels = self.memberships.get(group)
        if channels is not None:
            channels.discard(channel)
            if not channels:
                del self.memberships[group]
        try:
            await super().group_discard(group, channel)
        except REDIS_ERRORS:
            # Redis is away; a channel left behind in a group only costs a message that nobody receives and
            # expires with the group. Not raised: a socket's clean-up must go on (presence, fan-out).
            self.watch().report_failure()
