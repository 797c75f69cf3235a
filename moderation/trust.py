"""Who is a new account? New accounts are pre-moderated and their reports weigh less.

An account is established once it is at least MODERATION_TRUST_MIN_AGE_HOURS old *and* has at least
MODERATION_TRUST_MIN_POSTS approved forum posts (counted by the forum, which registers the count with
moderation.registry). Moderators and organisers are trusted by role.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from moderation import registry


def _min_posts() -> int:
    return int(getattr(settings, "MODERATION_TRUST_MIN_POSTS", 3))


def _min_age() -> timedelta:
    return timedelta(hours=float(getattr(settings, "MODERATION_TRUST_MIN_AGE_HOURS", 24)))


def approved_post_count(peer, *, at_least: int) -> int:
    """Approved forum posts by `peer`, counted up to `at_least` (enough to decide, no more)."""
    return registry.standing_count(peer, at_least=at_least) if at_least > 0 else 0


def is_established(peer) -> bool:
    if peer is None or not getattr(peer, "is_authenticated", False):
        return False
    if peer.has_perm("peers.moderate") or peer.has_perm("peers.host_rooms"):
        return True
    if timezone.now() - peer.date_joined < _min_age():
        return False
    needed = _min_posts()
    return approved_post_count(peer, at_least=needed) >= needed


def is_new_account(peer) -> bool:
    return not is_established(peer)
