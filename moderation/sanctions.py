"""Is this person restricted right now? Forum, rooms and safety ask here before any write.

A mute stops writing (posting, replying, reacting, chatting, reporting in bulk);
a suspension or ban also stops opening a room socket (close code 4403).
Sanctions are rows of moderation.models.Sanction, applied through moderation.services.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from moderation.models import Sanction
from moderation.notices import until


STRENGTH = {"mute": 1, "suspend": 2, "ban": 3}
WORDS = {"mute": gettext_noop("Your account is muted. Reason: %(reason)s"),
         "suspend": gettext_noop("Your account is suspended. Reason: %(reason)s"),
         "ban": gettext_noop("Your account is banned. Reason: %(reason)s")}
TIMED_WORDS = {"mute": gettext_noop("Your account is muted until %(until)s. Reason: %(reason)s"),
               "suspend": gettext_noop("Your account is suspended until %(until)s. Reason: %(reason)s")}


@dataclass(frozen=True)
class Restriction:
    kind: str  # "mute", "suspend" or "ban"
    until: datetime | None
    reason: str

    @property
    def blocks_connecting(self) -> bool:
        return self.kind in ("suspend", "ban")

    @property
    def message(self) -> str:
        """Why the person can't take part now, in the active language (the request's, or the socket's person's)."""
        if self.until is not None and self.kind in TIMED_WORDS:
            return gettext(TIMED_WORDS[self.kind]) % {"until": until(self.until), "reason": self.reason}
        return gettext(WORDS[self.kind]) % {"reason": self.reason}


def active_restriction(peer) -> Restriction | None:
    """The restriction in force for `peer` now, the strongest first; None if free to take part."""
    if peer is None or not getattr(peer, "is_authenticated", False) or peer.pk is None:
        return None
    now = timezone.now()
    in_force = list(
        Sanction.objects.filter(peer_id=peer.pk, kind__in=STRENGTH, revoked_at__isnull=True, starts__lte=now)
        .filter(Q(ends__isnull=True) | Q(ends__gt=now))
        .values_list("kind", "ends", "reason")
    )
    if not in_force:
        return None
    # Strongest kind first; within a kind, the one that lasts longest (None: no end).
    kind, ends, reason = max(in_force, key=lambda row: (STRENGTH[row[0]], row[1] is None, row[1] or now))
    return Restriction(kind=kind, until=ends, reason=reason)


def check_can_write(peer) -> None:
    """Raise PermissionDenied with a readable reason if `peer` may not write anything now."""
    restriction = active_restriction(peer)
    if restriction is not None:
        raise PermissionDenied(restriction.message)


def check_can_connect(peer) -> None:
    """Raise PermissionDenied if `peer` may not open a live socket (suspended or banned)."""
    restriction = active_restriction(peer)
    if restriction is not None and restriction.blocks_connecting:
        raise PermissionDenied(restriction.message)


def restricted_peer_ids(kinds=("suspend", "ban")) -> set[int]:
    """Everyone under one of `kinds` now (voice: suspended and banned accounts may not vote)."""
    now = timezone.now()
    return set(
        Sanction.objects.filter(kind__in=kinds, revoked_at__isnull=True, starts__lte=now)
        .filter(Q(ends__isnull=True) | Q(ends__gt=now)).values_list("peer_id", flat=True)
    )
