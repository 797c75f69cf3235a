"""Reads for peers that other apps and templates share."""

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from peers.models import Peer
from peers.pseudonyms import MSG_LOOKALIKE, pseudonym_keys, validate_not_reserved

UNREAD_TIMEOUT = 5 * 60  # a safety net; peers.services forgets the count whenever it changes


def unread_key(peer_id: int) -> str:
    return f"peers:unread:{peer_id}"


def unread_notifications_count(*, peer) -> int:
    """The header's unread count, from the cache when it can (every page shows it)."""
    key = unread_key(peer.pk)
    count = cache.get(key)
    if count is None:
        count = peer.notifications.filter(read_at__isnull=True).count()
        cache.set(key, count, UNREAD_TIMEOUT)
    return count


def check_pseudonym_free(name: str) -> None:
    """Refuse a pseudonym that reads like a reserved name or like any existing one (peers.pseudonyms):
    ValidationError with the reason. Sign-up calls it; so can anything else that hands out a name."""
    validate_not_reserved(name)
    if Peer.objects.filter(username_key__in=pseudonym_keys(name)).exists():
        raise ValidationError(gettext(MSG_LOOKALIKE), code="lookalike")


def account_sections(*, peer) -> list[dict]:
    """Parts of the settings page that other apps add: each AppConfig may define `account_section(peer)`
    returning {"template": ..., ...} (moderation: the decisions about this person)."""
    sections = []
    for config in apps.get_app_configs():
        hook = getattr(config, "account_section", None)
        section = hook(peer) if hook is not None else None
        if section:
            sections.append(section)
    return sections
