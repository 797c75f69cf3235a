"""One small watch on Redis per process (and event loop): is it answering, and is it the same server as before?

Every second it asks Redis for its `run_id` (INFO server) over one connection of its own, with a one-second
time-out and no retries, so a check never waits behind a busy pool and never takes long. It knows:

- `ready`: the last check answered, recently, and the listeners have caught up since Redis came back;
- when Redis answers again after failing, or answers with another `run_id` (it restarted, empty), it calls
  its listeners (the channel layer rejoins its groups, the room fan-outs catch up) until they all succeed.

/healthz/ready reads `ready` (no Redis round trip per request); docs/reliability.md.
"""

import asyncio
import logging
import time
import weakref
from typing import Awaitable, Callable

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

logger = logging.getLogger(__name__)

INTERVAL = 1.0  # seconds between checks
TIMEOUT = 1.0  # seconds a check may take
FRESH = 5.0  # a result older than this does not count as ready (the loop is stuck, or the watch died)

Listener = Callable[[], Awaitable[None]]


class RedisWatch:
    def __init__(self, address: str):
        self.address = address
        self.client = aioredis.Redis.from_url(
            address, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT, retry=Retry(NoBackoff(), 0),
            single_connection_client=True,
        )
        self.answering = False  # the last check answered
        self.caught_up = True  # the listeners have run since Redis came back (or nothing was missed)
        self.checked_at = 0.0  # time.monotonic() of the last finished check
        self.server_id: str | None = None
        self.listeners: list[Listener] = []
        self.outages = 0  # how many times Redis stopped answering (for tests and figures)
        self._wake = asyncio.Event()
        self._first_check = asyncio.Event()
        self.task = asyncio.get_running_loop().create_task(self._run(), name="redis-watch")

    @property
    def ready(self) -> bool:
        return self.answering and self.caught_up and time.monotonic() - self.checked_at < FRESH

    def listen(self, listener: Listener) -> None:
        if listener not in self.listeners:
            self.listeners.append(listener)

    def report_failure(self) -> None:
        """Someone saw Redis fail: check now rather than at the next tick."""
        self._wake.set()

    async def first_check(self) -> None:
        await self._first_check.wait()

    async def check(self) -> None:
        try:
            info = await asyncio.wait_for(self.client.info("server"), TIMEOUT)
            server_id = str(info.get("run_id", ""))
        except Exception as error:  # any failure means "not answering"; the reason is logged once per outage
            if cancelling():
                raise asyncio.CancelledError() from error
            if self.answering or self.checked_at == 0.0:
                logger.warning("Redis is not answering (%s)", type(error).__name__)
                self.outages += 1
            self.answering = False
            self.caught_up = False
            with_reset = getattr(self.client, "connection", None)
            if with_reset is not None:  # a half-read reply must not be mistaken for the next one
                try:
                    await with_reset.disconnect()
                except Exception:
                    pass
            return
        finally:
            self.checked_at = time.monotonic()
            self._first_check.set()
        restarted = self.server_id is not None and server_id != self.server_id
        if restarted:
            logger.warning("Redis restarted (a new server id); catching up")
            self.caught_up = False
        self.server_id = server_id
        self.answering = True
        if not self.caught_up:
            self.caught_up = await self._notify()

    async def _notify(self) -> bool:
        for listener in list(self.listeners):
            try:
                await listener()
            except Exception:
                logger.warning("catching up after Redis came back failed; trying again", exc_info=True)
                return False
        return True

    async def _run(self) -> None:
        while True:
            await self.check()
            # A cancel can be swallowed on the way (Python 3.11's wait_for returns a result that arrived as it was
            # cancelled; redis-py turns a cancelled read into a connection error): the pending request still
            # counts, so honour it here, or an event loop shutting down waits on this task for ever (seen: a
            # test run hung in pytest-asyncio's teardown with this task at `cancelling=1`).
            if cancelling():
                raise asyncio.CancelledError()
            self._wake.clear()
            interval = INTERVAL if self.answering and self.caught_up else INTERVAL / 2
            try:
                await asyncio.wait_for(self._wake.wait(), interval)
            except asyncio.TimeoutError:
                pass


def cancelling() -> bool:
    """redis-py can turn the cancellation of a read into a connection error: carrying on would swallow the
    cancel, and an event loop shutting down would wait on this task for ever."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


_watches: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, RedisWatch]]" = weakref.WeakKeyDictionary()


def watch_for(address: str) -> RedisWatch:
    """This event loop's watch on the Redis at `address` (started on first use)."""
    loop = asyncio.get_running_loop()
    by_address = _watches.setdefault(loop, {})
    watch = by_address.get(address)
    if watch is None or watch.task.done():
        watch = by_address[address] = RedisWatch(address)
    return watch
