from datetime import timedelta

from django.conf import settings
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.models import ModerationStatus
from rooms.models import Message, Presence, Room, RoomMute

BACKLOG_SIZE = 50  # messages sent on connect without ?after=
REPLAY_MAX = 200  # at most this many after ?after=<id>


def rooms_live_and_upcoming(peer=None) -> QuerySet[Room]:
    """Live rooms first, then scheduled ones by start time; invited-only rooms only for their people, and
    rooms whose texts wait for a moderator only for their hosts (rooms.permissions.can_see)."""
    live_first = Case(When(status=Room.Status.LIVE, then=Value(0)), default=Value(1))
    rooms = Room.objects.exclude(status=Room.Status.CLOSED).select_related("host").order_by(live_first, "starts_at")
    approved = Q(moderation_status=ModerationStatus.APPROVED)
    if peer is None or not peer.is_authenticated:
        return rooms.filter(approved, visibility=Room.Visibility.MEMBERS)
    if peer.is_moderator:
        return rooms
    hosting = Q(host=peer) | Q(cohosts=peer)
    return rooms.filter(hosting | (approved & (Q(visibility=Room.Visibility.MEMBERS) | Q(invited=peer)))).distinct()


def active_mutes(*, room: Room) -> list[dict]:
    """Who is muted in `room` now, with until when (the latest mute per person), soonest to end first."""
    latest: dict[int, dict] = {}
    for peer_id, username, until in (
        RoomMute.objects.filter(room=room, until__gt=timezone.now()).values_list("peer_id", "peer__username", "until")
    ):
        if peer_id not in latest or until > latest[peer_id]["until"]:
            latest[peer_id] = {"pseudonym": username, "until": until}
    return sorted(latest.values(), key=lambda mute: mute["until"])


PENDING_LABELS = {"title": _("New title"), "topic": _("New topic"), "rules": _("New rules")}


def pending_changes(*, room: Room) -> list[tuple[str, str]]:
    """The held edits of a public room's texts that differ from what is shown, for its hosts."""
    return [(label, room.pending_texts[name]) for name, label in PENDING_LABELS.items()
            if name in (room.pending_texts or {}) and room.pending_texts[name] != getattr(room, name)]


def room_get(*, slug: str) -> Room:
    return Room.objects.select_related("host").get(slug=slug)


def room_hosts(*, room: Room) -> list:
    return [room.host, *room.cohosts.all()] if room.host else list(room.cohosts.all())


def room_backlog(*, room: Room, peer, after: int | None = None) -> list[Message]:
    """What `peer` sees on connect, oldest first: the last BACKLOG_SIZE, or up to REPLAY_MAX after `after`.

    Removed messages and messages past the room's retention are never served;
    held messages only to their author and moderators.
    """
    messages = (
        Message.objects.visible_to(peer)
        .filter(room=room, created__gte=room.retention_cutoff)
        .exclude(moderation_status=ModerationStatus.REJECTED)
        .select_related("author")
    )
    if after is not None:
        return list(messages.filter(id__gt=after).order_by("id")[:REPLAY_MAX])
    return list(reversed(messages.order_by("-id")[:BACKLOG_SIZE]))


def presence_online(*, room: Room) -> tuple[int, list[str]]:
    """How many different people have a live socket on `room`, and their pseudonyms, across all processes."""
    fresh = timezone.now() - timedelta(seconds=settings.ROOMS_PRESENCE_TTL)
    rows = (
        Presence.objects.filter(room=room, seen_at__gte=fresh)
        .values("peer__username")
        .annotate(sockets=Count("id"))
        .order_by("peer__username")
    )
    names = [row["peer__username"] for row in rows]
    return len(names), names


def messages_written_by(*, peer) -> QuerySet[Message]:
    return Message.objects.filter(author=peer).select_related("room").order_by("id")
