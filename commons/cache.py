"""Django's Redis cache, made to ride out a Redis outage instead of failing every page.

While Redis does not answer, each process uses a small in-memory cache of its own (sessions then come from
the database, as `cached_db` does on a miss; rate limits count per process) and stops asking Redis for a
second after each failure, so a page never waits on it twice. Every key written or deleted meanwhile is
remembered; before Redis is used again those keys are deleted there, so nothing Redis held from before the
outage can come back (a session that was signed out, a permission that changed). docs/reliability.md.
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

REDIS_ERRORS = (RedisError, OSError)
RETRY_AFTER = 1.0  # seconds without asking Redis after it failed
MAX_REMEMBERED_KEYS = 100_000  # keys written during an outage, deleted from Redis when it is back


def _full_key(key, key_prefix, version):
    return key  # the keys reaching the client are already made by RedisCache


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fallback = LocMemCache("redis-fallback", {"KEY_FUNCTION": _full_key, "TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": 10_000}})
        self.down_until = 0.0
        self.outage = False
        self.touched: set[str] = set()
        self.lock = threading.Lock()
        self.outages = 0

    def _usable(self) -> bool:
        if not self.outage:
            return True
        if time.monotonic() < self.down_until:
            return False
        with self.lock:
            if not self.outage:
                return True
            try:
                keys = list(self.touched)
                client = super().get_client(None, write=True)
                for start in range(0, len(keys), 1000):
                    client.delete(*keys[start:start + 1000])
            except REDIS_ERRORS:
                self.down_until = time.monotonic() + RETRY_AFTER
                return False
            logger.warning("cache: Redis answers again; %d keys written meanwhile forgotten there", len(keys))
            self.touched.clear()
            self.fallback.clear()
            self.outage = False
            return True

    def _failed(self, error: Exception) -> None:
        with self.lock:
            if not self.outage:
                logger.warning("cache: Redis failed (%s); using this process's memory until it answers", type(error).__name__)
                self.outages += 1
            self.outage = True
            self.down_until = time.monotonic() + RETRY_AFTER

    def _remember(self, *keys) -> None:
        with self.lock:
            if len(self.touched) < MAX_REMEMBERED_KEYS:
                self.touched.update(keys)
            elif keys:
                logger.error("cache: too many keys written during the Redis outage to forget them all there")

    def _call(self, name: str, keys: tuple, *args):
        """Run method `name` on Redis, or on the fallback while Redis is away; `keys` are the keys it writes."""
        if self._usable():
            try:
                return getattr(super(), name)(*args)
            except REDIS_ERRORS as error:
                self._failed(error)
        self._remember(*keys)
        return getattr(self.fallback, name)(*args)

    def add(self, key, value, timeout):
        return self._call("add", (key,), key, value, timeout)

    def get(self, key, default):
        return self._call("get", (), key, default)

    def set(self, key, value, timeout):
        return self._call("set", (key,), key, value, timeout)

    def touch(self, key, timeout):
        return self._call("touch", (key,), key, timeout)

    def delete(self, key):
        return self._call("delete", (key,), key)

    def get_many(self, keys):
        return self._call("get_many", (), keys)

    def has_key(self, key):
        return self._call("has_key", (), key)

    def incr(self, key, delta):
        return self._call("incr", (key,), key, delta)

    def set_many(self, data, timeout):
        return self._call("set_many", tuple(data), data, timeout)

    def delete_many(self, keys):
        return self._call("delete_many", tuple(keys), keys)

    def clear(self):
        return self._call("clear", ())


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
