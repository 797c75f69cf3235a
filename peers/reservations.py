"""Pseudonyms of deleted accounts stay unavailable for PEERS_PSEUDONYM_RESERVED_DAYS (90) days, so nobody
can sign up as a member who has just left and speak in their name. Only a keyed hash is kept: HMAC-SHA256
of the pseudonym (NFKC-normalised, case-folded) with the secret key, so the table alone names nobody.
Rotating DJANGO_SECRET_KEY forgets every reservation."""

import hashlib
import hmac
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from peers.models import ReservedPseudonym

MSG_PSEUDONYM_RESERVED = (
    "That pseudonym belonged to an account that was deleted recently, so it can't be used again yet. "
    "Please choose another."
)


def reserved_days() -> int:
    return int(getattr(settings, "PEERS_PSEUDONYM_RESERVED_DAYS", 90))


def pseudonym_digest(pseudonym: str) -> str:
    folded = unicodedata.normalize("NFKC", pseudonym.strip()).casefold()
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"reserved-pseudonym:" + folded.encode(), hashlib.sha256).hexdigest()


def pseudonym_reserve(*, pseudonym: str) -> None:
    """Keep `pseudonym` from sign-up for the coming reserved_days(); a second deletion restarts the wait."""
    ReservedPseudonym.objects.update_or_create(digest=pseudonym_digest(pseudonym), defaults={"deleted_at": timezone.now()})


def is_reserved(pseudonym: str) -> bool:
    since = timezone.now() - timedelta(days=reserved_days())
    return ReservedPseudonym.objects.filter(digest=pseudonym_digest(pseudonym), deleted_at__gte=since).exists()


def reservations_purge(*, now=None) -> int:
    """Forget reservations older than reserved_days(); returns how many (manage.py purge_reserved_pseudonyms)."""
    cutoff = (now or timezone.now()) - timedelta(days=reserved_days())
    deleted, _ = ReservedPseudonym.objects.filter(deleted_at__lt=cutoff).delete()
    return deleted
