"""Rate limits through allauth's cache-backed limiter, with our own named actions.

The per-address key is a keyed hash (see peers.adapters), never the address itself.
"""

from allauth.core import ratelimit
from django.core.cache import cache
from django.http import HttpRequest


def allow(request: HttpRequest, *, action: str, key: str | None = None) -> bool:
    """Count one attempt at `action` (configured in ACCOUNT_RATE_LIMITS); False once over the limit."""
    return ratelimit.consume(request, action=action, key=key)


def window_hit(key: str, *, timeout: int) -> int:
    """Count one hit on a fixed-window counter kept in the cache (atomic on Redis); returns the new count.

    For limits outside a request (services, consumers); the key must not hold an IP address."""
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1
