"""Per-account posting limit, stricter in an account's first days.

Fixed windows counted in the cache (atomic `incr` on Redis), keyed by a hash of the
account id. Only successful posts are counted; the check happens before anything is written.
"""

import hashlib
import math
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from commons.ratelimit import window_hit

MSG_RATE_LIMITED = "You've posted a lot in a short time. Please take a breather and try again in {wait}."
MSG_RATE_LIMITED_NEW = (
    "New accounts can post {limit} times every {minutes} minutes while they settle in. Please try again in {wait}."
)


@dataclass(frozen=True)
class RateLimited(Exception):
    retry_after: int  # seconds
    message: str

    def __str__(self) -> str:
        return self.message


def _is_new(peer) -> bool:
    return timezone.now() - peer.date_joined < timedelta(days=settings.FORUM_NEW_ACCOUNT_DAYS)


def _rate(peer) -> tuple[int, int, bool]:
    """(posts allowed, window in seconds, is the stricter new-account rate)."""
    if _is_new(peer) and not peer.is_moderator:
        return settings.FORUM_NEW_ACCOUNT_POSTS, settings.FORUM_POST_WINDOW_SECONDS, True
    return settings.FORUM_POSTS, settings.FORUM_POST_WINDOW_SECONDS, False


def _key(peer, window: int) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:forum-post:{peer.pk}".encode()).hexdigest()[:32]
    return f"forum:post-rate:{digest}:{window}"


def _wait_text(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def post_rate_check(peer) -> None:
    """Raise RateLimited (with seconds until the window resets) if `peer` has used up its posts."""
    limit, period, new = _rate(peer)
    now = time.time()
    window = int(now // period)
    if (cache.get(_key(peer, window)) or 0) < limit:
        return
    retry_after = max(1, math.ceil((window + 1) * period - now))
    template = MSG_RATE_LIMITED_NEW if new else MSG_RATE_LIMITED
    raise RateLimited(retry_after, template.format(limit=limit, minutes=period // 60, wait=_wait_text(retry_after)))


def post_rate_record(peer) -> None:
    """Count one successful post for `peer` in the current window."""
    _, period, _ = _rate(peer)
    window_hit(_key(peer, int(time.time() // period)), timeout=period + 5)
