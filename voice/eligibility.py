"""Who may propose and vote: accounts at least VOICE_MIN_AGE_DAYS old with at least VOICE_MIN_POSTS approved
posts, not suspended or banned. Moderators and organisers count as members, no more. A proposal's electorate is
computed once, when it opens (voice.services._open), so accounts made or warmed up during a vote don't count."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from forum.selectors import authors_with_approved_posts
from moderation.sanctions import restricted_peer_ids
from peers.models import Peer


def min_age_days() -> float:
    days = float(getattr(settings, "VOICE_MIN_AGE_DAYS", 30))
    return int(days) if days == int(days) else days


def min_posts() -> int:
    return int(getattr(settings, "VOICE_MIN_POSTS", 5))


def _eligible():
    cutoff = timezone.now() - timedelta(days=float(min_age_days()))
    people = Peer.objects.filter(is_active=True, date_joined__lte=cutoff).exclude(pk__in=restricted_peer_ids())
    if min_posts() > 0:
        people = people.filter(pk__in=authors_with_approved_posts(at_least=min_posts()))
    return people


def eligible_ids() -> list[int]:
    return list(_eligible().values_list("pk", flat=True))


def is_eligible(peer) -> bool:
    if peer is None or not getattr(peer, "is_authenticated", False):
        return False
    return _eligible().filter(pk=peer.pk).exists()
