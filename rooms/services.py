"""Writes for live rooms. Each stores first and broadcasts after commit; the service decides who hears it."""

import hashlib
import json
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from commons.markup import render_markdown
from commons.ratelimit import window_hit
from commons.realtime import group_send_on_commit
from moderation import sanctions
from moderation.models import ModerationStatus
from moderation.screening import screen
from peers.roles import FORMER_MEMBER
from rooms.models import MESSAGE_MAX_LENGTH, Message, Presence, Room, RoomMute, RoomRemoval
from rooms.permissions import INVITED_ONLY, REMOVED_FROM_ROOM, can_see
from rooms.fanout import addressed
from rooms.selectors import presence_online

CLIENT_ID_MAX_LENGTH = 64

# Error codes of the WebSocket protocol (CONTRACTS.md) and their readable details.
INVALID = "invalid"
TOO_LONG = "too_long"
RATE_LIMITED = "rate_limited"
MUTED = "muted"
ROOM_CLOSED = "room_closed"
FORBIDDEN = "forbidden"

EMPTY_BODY = "Write something first: a message needs at least one character."
BODY_TOO_LONG = f"Messages can be up to {MESSAGE_MAX_LENGTH:,} characters. Try splitting it in two."
BAD_CLIENT_ID = f"client_id must be text of at most {CLIENT_ID_MAX_LENGTH} characters."
SLOW_MODE = "Slow mode is on in this room: please wait {seconds} seconds between messages."
FLOOD = "That's a lot of messages in a short time. Take a breath and try again in a few seconds."
ROOM_NOT_OPEN = "This room isn't open yet. You can read along until the host opens it."
ROOM_IS_CLOSED = "This room is closed, so it is read-only now."
NOT_A_MODERATOR = "Only moderators can redact messages."
MUTED_IN_ROOM = "A host has muted you in this room until {until} UTC. You can keep reading."


class RoomRefusal(Exception):
    """A refused frame: `code` is the protocol's error code, `detail` a readable sentence."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


def _send_on_commit(group: str, event: dict) -> None:
    """After commit, send `event` to one of a room's groups (rooms.fanout hands it to that group's local sockets)."""
    group_send_on_commit(group, addressed(group, event))


def _hashed(*parts) -> str:
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:32]


# --- rooms ------------------------------------------------------------------------------


@transaction.atomic
def room_create(
    *, slug: str, title: str, host, topic: str = "", status: str = Room.Status.SCHEDULED, rules: str = "",
    starts_at: datetime | None = None, ends_at: datetime | None = None, visibility: str = Room.Visibility.MEMBERS,
    slow_mode_seconds: int = 0, retention_hours: int = 72, show_names: bool = False,
    cohosts=(), invited=(),
) -> Room:
    room = Room.objects.create(
        slug=slug, title=title, host=host, topic=topic, status=status, rules=rules,
        starts_at=starts_at or timezone.now(), ends_at=ends_at, visibility=visibility,
        slow_mode_seconds=slow_mode_seconds, retention_hours=retention_hours, show_names=show_names,
    )
    room.cohosts.set(cohosts)
    room.invited.set(invited)
    return room


ROOM_EDITABLE = ("title", "topic", "rules", "starts_at", "ends_at", "visibility", "slow_mode_seconds", "retention_hours", "show_names")


@transaction.atomic
def room_update(*, room: Room, cohosts=None, invited=None, **fields) -> Room:
    """Change a room's settings (the ones in ROOM_EDITABLE) and, if given, its co-hosts and invitees."""
    for name, value in fields.items():
        if name not in ROOM_EDITABLE:
            raise ValueError(f"{name} is not editable")
        setattr(room, name, value)
    room.save()
    if cohosts is not None:
        room.cohosts.set(cohosts)
    if invited is not None:
        room.invited.set(invited)
    return room


def _room_status_set(*, room: Room, status: str) -> bool:
    with transaction.atomic():
        locked = Room.objects.select_for_update().get(pk=room.pk)
        if locked.status == status:
            return False
        locked.status = status
        changes = ["status"]
        if status == Room.Status.LIVE and locked.starts_at > timezone.now():
            locked.starts_at = timezone.now()
            changes.append("starts_at")
        if status == Room.Status.CLOSED:
            locked.ends_at = timezone.now()
            changes.append("ends_at")
        locked.save(update_fields=changes)
        room.status, room.starts_at, room.ends_at = locked.status, locked.starts_at, locked.ends_at
        _send_on_commit(room.group_name, {"type": "room.status", "status": status})
    return True


def room_open(*, room: Room, by) -> bool:
    """Open a scheduled (or reopen a closed) room for messages. False if it was already live."""
    return _room_status_set(room=room, status=Room.Status.LIVE)


def room_close(*, room: Room, by) -> bool:
    """Close the room: it stays readable, and every socket is told it is read-only now."""
    return _room_status_set(room=room, status=Room.Status.CLOSED)


# --- messages ---------------------------------------------------------------------------


def message_frame(message: Message) -> dict:
    """The protocol's `message` frame."""
    frame = {
        "type": "message",
        "id": message.id,
        "client_id": message.client_id or None,
        "author": message.author.username if message.author_id else FORMER_MEMBER,
        "body_html": message.body_html,
        "created": message.created.isoformat(),
    }
    if message.moderation_status == ModerationStatus.PENDING:
        frame["pending"] = True
    return frame


@transaction.atomic
def message_store(*, room: Room, author, body: str, client_id: str = "") -> Message:
    """Store a message, screened and rendered once. No checks, no broadcast: message_send does those."""
    return _message_create(room=room, author=author, body=body, client_id=client_id)


def _message_create(*, room: Room, author, body: str, client_id: str) -> Message:
    """Caller holds a transaction."""
    screening = screen(author=author, text=body, kind="message")
    return Message.objects.create(
        room=room, author=author, body=body, body_html=render_markdown(body), client_id=client_id,
        moderation_status=screening.status, moderation_reason="; ".join(screening.reasons),
    )


def _validate_body(body, client_id) -> None:
    if not isinstance(body, str) or not body.strip():
        raise RoomRefusal(INVALID, EMPTY_BODY)
    if len(body) > MESSAGE_MAX_LENGTH:
        raise RoomRefusal(TOO_LONG, BODY_TOO_LONG)
    if client_id is not None and (not isinstance(client_id, str) or len(client_id) > CLIENT_ID_MAX_LENGTH):
        raise RoomRefusal(INVALID, BAD_CLIENT_ID)


def active_room_mute(*, room: Room, peer) -> RoomMute | None:
    return RoomMute.objects.filter(room=room, peer=peer, until__gt=timezone.now()).order_by("-until").first()


def _check_rate(*, room: Room, author) -> None:
    """Slow mode (per person per room) and the flood limit (per person, all rooms), shared by every process."""
    if room.slow_mode_seconds:
        key = "rooms:slow:" + _hashed(room.pk, author.pk)
        if not cache.add(key, 1, timeout=room.slow_mode_seconds):
            raise RoomRefusal(RATE_LIMITED, SLOW_MODE.format(seconds=room.slow_mode_seconds))
    window = settings.ROOMS_FLOOD_SECONDS
    key = "rooms:flood:" + _hashed(author.pk, int(time.time() // window))
    count = window_hit(key, timeout=window * 2)
    if count > settings.ROOMS_FLOOD_MESSAGES:
        raise RoomRefusal(RATE_LIMITED, FLOOD)


def message_send(*, room: Room, author, body, client_id=None) -> Message:
    """Check, store and (after commit) broadcast one chat message; raise RoomRefusal and store nothing if refused."""
    _validate_body(body, client_id)
    now = timezone.now()
    with transaction.atomic():
        # The row lock serialises writers per room, so ids follow commit order. The person's
        # removal and mute come with it, as subqueries: this runs for every message.
        room = (
            Room.objects.select_for_update(of=("self",))
            .annotate(
                author_removed=Exists(RoomRemoval.objects.filter(room=OuterRef("pk"), peer=author)),
                author_muted_until=Subquery(
                    RoomMute.objects.filter(room=OuterRef("pk"), peer=author, until__gt=now).order_by("-until").values("until")[:1]
                ),
            )
            .get(pk=room.pk)
        )
        if room.author_removed:
            raise RoomRefusal(FORBIDDEN, REMOVED_FROM_ROOM)
        if not can_see(author, room):
            raise RoomRefusal(FORBIDDEN, INVITED_ONLY)
        if room.status == Room.Status.SCHEDULED:
            raise RoomRefusal(ROOM_CLOSED, ROOM_NOT_OPEN)
        if room.status == Room.Status.CLOSED:
            raise RoomRefusal(ROOM_CLOSED, ROOM_IS_CLOSED)
        try:
            sanctions.check_can_write(author)
        except PermissionDenied as refusal:
            raise RoomRefusal(MUTED, str(refusal)) from None
        if room.author_muted_until is not None:
            raise RoomRefusal(MUTED, MUTED_IN_ROOM.format(until=f"{room.author_muted_until:%d %b %Y, %H:%M}"))
        if client_id:
            # A client that lost its socket resends what it never saw echoed; store it only once.
            earlier = Message.objects.filter(author=author, client_id=client_id, room=room).first()
            if earlier is not None:
                return earlier
        _check_rate(room=room, author=author)
        message = _message_create(room=room, author=author, body=body, client_id=client_id or "")
        _broadcast_message(room=room, message=message)
    return message


def _broadcast_message(*, room: Room, message: Message) -> None:
    # Serialised once here, not once per socket.
    event = {"type": "room.message", "id": message.id, "text": json.dumps(message_frame(message))}
    if message.moderation_status == ModerationStatus.APPROVED:
        _send_on_commit(room.group_name, event)
    elif message.moderation_status == ModerationStatus.PENDING:
        # Held: only its author and the people who can approve it see it until then.
        if message.author_id:
            _send_on_commit(room.peer_group_name(message.author_id), event)
        _send_on_commit(room.moderators_group_name, event)


@transaction.atomic
def message_redact(*, message: Message, body: str, by, reason: str = "") -> bool:
    """A moderator edits personal information out of a message; open sockets get the new text. False if unchanged."""
    if not by.is_moderator:
        raise PermissionDenied(NOT_A_MODERATOR)
    message = Message.objects.select_for_update(of=("self",)).select_related("room", "author").get(pk=message.pk)
    body = body.strip() if isinstance(body, str) else body
    try:
        _validate_body(body, None)
    except RoomRefusal as refusal:
        raise ValidationError(refusal.detail) from None
    if body == message.body:
        return False
    message.body, message.body_html = body, render_markdown(body)
    message.save(update_fields=["body", "body_html"])
    _broadcast_message(room=message.room, message=message)
    return True


@transaction.atomic
def room_delete(*, room: Room, clear_screens: bool = False) -> bool:
    """Delete a room and its messages (a private support room past its retention, say). False if already gone.
    With `clear_screens`, sockets still open on it drop each message (a conversation deleted with an account)."""
    message_ids = list(Message.objects.filter(room_id=room.pk).values_list("pk", flat=True)) if clear_screens else []
    deleted, _ = Room.objects.filter(pk=room.pk).delete()
    for message_id in message_ids:
        _send_on_commit(room.group_name, {"type": "room.removed", "id": message_id})
    return bool(deleted)


@transaction.atomic
def messages_erase_by(*, author) -> int:
    """Deleting an account with "erase my words": every room message `author` wrote is deleted, and sockets
    open on those rooms drop them (the protocol's message_removed). Returns how many."""
    if author is None or author.pk is None:
        return 0
    rows = list(Message.objects.select_for_update().filter(author=author).values_list("pk", "room_id"))
    Message.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
    for message_id, room_id in rows:
        room = Room(pk=room_id)
        event = {"type": "room.removed", "id": message_id}
        _send_on_commit(room.group_name, event)
        _send_on_commit(room.moderators_group_name, event)
    return len(rows)


@transaction.atomic
def message_remove(*, message: Message, by, reason: str = "") -> bool:
    """Remove a room message (status rejected) and tell every socket in the room. False if already removed."""
    message = Message.objects.select_for_update(of=("self",)).select_related("room").get(pk=message.pk)
    if message.moderation_status == ModerationStatus.REJECTED:
        return False
    message.moderation_status = ModerationStatus.REJECTED
    message.moderation_reason = reason[:500]
    message.moderated_by = by
    message.moderated_at = timezone.now()
    message.save(update_fields=["moderation_status", "moderation_reason", "moderated_by", "moderated_at"])
    event = {"type": "room.removed", "id": message.id}
    _send_on_commit(message.room.group_name, event)
    _send_on_commit(message.room.moderators_group_name, event)  # they may hold it as a pending one
    if message.author_id:
        _send_on_commit(message.room.peer_group_name(message.author_id), event)
    return True


@transaction.atomic
def message_approve(*, message: Message, by) -> bool:
    """Publish a held room message to everyone in the room. False if it was already approved."""
    message = Message.objects.select_for_update(of=("self",)).select_related("room", "author").get(pk=message.pk)
    if message.moderation_status == ModerationStatus.APPROVED:
        return False
    message.moderation_status = ModerationStatus.APPROVED
    message.moderated_by = by
    message.moderated_at = timezone.now()
    message.save(update_fields=["moderation_status", "moderated_by", "moderated_at"])
    _broadcast_message(room=message.room, message=message)
    return True


# --- people -----------------------------------------------------------------------------


@transaction.atomic
def mute_in_room(*, room: Room, peer, by, minutes: int, reason: str = "") -> RoomMute:
    """Stop `peer` writing in `room` for `minutes`; their open sockets are told at once."""
    until = timezone.now() + timedelta(minutes=minutes)
    mute = RoomMute.objects.create(room=room, peer=peer, until=until, by=by, reason=reason[:300])
    detail = MUTED_IN_ROOM.format(until=f"{until:%d %b %Y, %H:%M}")
    _send_on_commit(room.peer_group_name(peer.pk), {"type": "room.muted", "detail": detail})
    return mute


@transaction.atomic
def unmute_in_room(*, room: Room, peer, by) -> bool:
    """End `peer`'s mutes in `room` now. False if none was in force."""
    return RoomMute.objects.filter(room=room, peer=peer, until__gt=timezone.now()).update(until=timezone.now()) > 0


@transaction.atomic
def person_remove(*, room: Room, peer, by, reason: str = "") -> bool:
    """Remove `peer` from `room`: their sockets close (4403) and they cannot rejoin. False if already removed."""
    _, created = RoomRemoval.objects.get_or_create(room=room, peer=peer, defaults={"by": by, "reason": reason[:300]})
    if not created:
        return False
    room.invited.remove(peer)
    room.cohosts.remove(peer)
    Presence.objects.filter(room=room, peer=peer).delete()
    _send_on_commit(room.peer_group_name(peer.pk), {"type": "room.kick"})
    _broadcast_presence(room=room)
    return True


# --- presence ---------------------------------------------------------------------------


def _broadcast_presence(*, room: Room) -> None:
    def send() -> None:
        from asgiref.sync import async_to_sync
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(room.group_name, addressed(room.group_name, presence_event(room=room)))

    # Counted after commit, so the number includes the change that caused it.
    transaction.on_commit(send)


@transaction.atomic
def presence_join(*, room: Room, peer, channel_name: str) -> None:
    """Record one open socket. The caller announces the new count (rooms.consumers debounces it)."""
    Presence.objects.update_or_create(
        channel_name=channel_name, defaults={"room": room, "peer": peer, "seen_at": timezone.now()}
    )


@transaction.atomic
def presence_leave(*, room: Room, channel_name: str) -> None:
    Presence.objects.filter(channel_name=channel_name).delete()


def presence_event(*, room: Room) -> dict:
    """The channel-layer event that tells every socket the room's count, read fresh from the shared table."""
    online, names = presence_online(room=room)
    return {"type": "room.presence", "online": online, "names": names if room.show_names else []}


def presence_touch(*, channel_names: list[str]) -> None:
    """Heartbeat of live sockets: rows not touched within ROOMS_PRESENCE_TTL stop counting."""
    Presence.objects.filter(channel_name__in=channel_names).update(seen_at=timezone.now())


def typing_allowed(*, room: Room, peer) -> bool:
    """At most one typing notice per person per room every ROOMS_TYPING_SECONDS, across processes."""
    return cache.add("rooms:typing:" + _hashed(room.pk, peer.pk), 1, timeout=settings.ROOMS_TYPING_SECONDS)


# --- retention --------------------------------------------------------------------------


def messages_purge(*, now: datetime | None = None) -> int:
    """Delete every message older than its room's retention, and stale presence rows. Returns messages deleted."""
    now = now or timezone.now()
    deleted = 0
    for room in Room.objects.only("pk", "retention_hours"):
        count, _ = Message.objects.filter(room=room, created__lt=now - timedelta(hours=room.retention_hours)).delete()
        deleted += count
    Presence.objects.filter(seen_at__lt=now - timedelta(seconds=settings.ROOMS_PRESENCE_TTL * 10)).delete()
    return deleted
