"""Rate limits through allauth's cache-backed limiter, with our own named actions.

The per-address key is a keyed hash (see peers.adapters), never the address itself.
"""

from allauth.core import ratelimit
from django.http import HttpRequest


def allow(request: HttpRequest, *, action: str, key: str | None = None) -> bool:
    """Count one attempt at `action` (configured in ACCOUNT_RATE_LIMITS); False once over the limit."""
    return ratelimit.consume(request, action=action, key=key)
