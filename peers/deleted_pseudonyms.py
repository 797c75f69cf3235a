"""Pseudonyms of deleted accounts stay unavailable for PEERS_DELETED_PSEUDONYM_DAYS (90) days, so nobody can
sign up as a member who has just left and speak in their name. Only a keyed hash is kept: HMAC-SHA256, with
the secret key, of the name's look-alike key (peers.pseudonyms.pseudonym_key: NFKC, case-folded, confusable
skeleton), so the table alone names nobody and a look-alike of the name is refused as the name is.
Rotating DJANGO_SECRET_KEY forgets every one. (Names reserved for the site itself are peers.pseudonyms'.)"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from peers.models import DeletedPseudonym
from peers.pseudonyms import pseudonym_key, pseudonym_keys

MSG_PSEUDONYM_RECENTLY_DELETED = gettext_noop(
    "That pseudonym belonged to an account that was deleted recently, so it can't be used again yet. "
    "Please choose another."
)


def kept_days() -> int:
    return int(getattr(settings, "PEERS_DELETED_PSEUDONYM_DAYS", 90))


def _digest(key: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), b"deleted-pseudonym:" + key.encode(), hashlib.sha256).hexdigest()


def deleted_pseudonym_digest(pseudonym: str) -> str:
    return _digest(pseudonym_key(pseudonym))


def deleted_pseudonym_keep(*, pseudonym: str) -> None:
    """Keep `pseudonym` from sign-up for the coming kept_days(); a second deletion restarts the wait."""
    DeletedPseudonym.objects.update_or_create(digest=deleted_pseudonym_digest(pseudonym), defaults={"deleted_at": timezone.now()})


def was_deleted_recently(pseudonym: str) -> bool:
    """Does `pseudonym`, or a look-alike of it, belong to an account deleted in the last kept_days()?"""
    since = timezone.now() - timedelta(days=kept_days())
    digests = [_digest(key) for key in pseudonym_keys(pseudonym)]
    return DeletedPseudonym.objects.filter(digest__in=digests, deleted_at__gte=since).exists()


def deleted_pseudonyms_purge(*, now=None) -> int:
    """Forget the ones older than kept_days(); returns how many (manage.py purge_deleted_pseudonyms)."""
    cutoff = (now or timezone.now()) - timedelta(days=kept_days())
    deleted, _ = DeletedPseudonym.objects.filter(deleted_at__lt=cutoff).delete()
    return deleted
