"""Writes for live rooms. Each stores first and broadcasts after commit; the service decides who hears it."""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format

from commons.markup import render_markdown
from commons.limits import RateLimited, limit_use
from commons.text import MSG_INVISIBLE_ONLY, has_visible_text, validate_visible
from commons.realtime import group_send_on_commit
from commons.refusals import Refusal
from moderation import sanctions
from moderation.models import ModerationStatus, Target
from moderation.screening import screen
from moderation.selectors import open_report_targets
from moderation.queue import held_item_close, held_item_open, held_items_close, reported_copies_keep
from commons.languages import said as _  # noqa: N812 (a str shown in the reader's language; see commons.languages.Said)
from peers.models import Peer
from peers.roles import FORMER_MEMBER
from rooms.models import (
    MESSAGE_MAX_LENGTH, RETENTION_HOURS_MAX, RETENTION_HOURS_MIN, RULES_MAX_LENGTH, SLOW_MODE_SECONDS_MAX, TITLE_MAX_LENGTH,
    TOPIC_MAX_LENGTH, Message, Presence, Room, RoomMute, RoomRemoval,
)
from rooms.permissions import INVITED_ONLY, REMOVED_FROM_ROOM, can_see
from rooms.fanout import addressed
from rooms.selectors import REPLAY_MAX, presence_online

CLIENT_ID_MAX_LENGTH = 64
logger = logging.getLogger(__name__)

# Error codes of the WebSocket protocol (CONTRACTS.md) and their readable details.
INVALID = "invalid"
TOO_LONG = "too_long"
RATE_LIMITED = "rate_limited"
MUTED = "muted"
ROOM_CLOSED = "room_closed"
FORBIDDEN = "forbidden"

EMPTY_BODY = _("Write something first: a message needs at least one character.")
BODY_TOO_LONG = _("Messages can be up to {max} characters. Try splitting it in two.", max=MESSAGE_MAX_LENGTH)
BAD_CLIENT_ID = f"client_id must be text of at most {CLIENT_ID_MAX_LENGTH} characters."
NOT_SAVED = _("We couldn't save that message just now. It will be sent again in a moment.")
ACCOUNT_GONE = _("Your account is no longer signed in here.")
ROOM_NOT_OPEN = _("This room isn't open yet. You can read along until the host opens it.")
ROOM_IS_CLOSED = _("This room is closed, so it is read-only now.")
NOT_A_MODERATOR = _("Only moderators can redact messages.")
MUTED_IN_ROOM = _("A host has muted you in this room until {until} UTC. You can keep reading.")
MSG_TITLE = _("A room needs a title of at most {max} characters.", max=TITLE_MAX_LENGTH)
MSG_TOPIC = _("The topic can have at most {max} characters.", max=TOPIC_MAX_LENGTH)
MSG_RULES = _("The room rules can have at most {max} characters.", max=RULES_MAX_LENGTH)
MSG_RETENTION = _("Messages can be kept from {min} hour to {max} hours (a year).", min=RETENTION_HOURS_MIN,
                  max=RETENTION_HOURS_MAX)
MSG_SLOW_MODE = _("Slow mode can be from 0 (off) to {max} seconds (an hour).", max=SLOW_MODE_SECONDS_MAX)
SCHEDULE_MAX_DAYS = 10 * 365
MUTE_MAX_MINUTES = 60 * 24 * 7
MSG_MUTE_MINUTES = _("A mute in a room lasts from 1 minute to a week ({max} minutes).", max=MUTE_MAX_MINUTES)
MSG_SCHEDULE = _("Start and end times must be between the year 2000 and {years} years from today.", years=SCHEDULE_MAX_DAYS // 365)


def muted_words(until: datetime) -> str:
    """"A host has muted you in this room until 5 Dec 2026, 14:03 UTC. ...", in the active language."""
    return MUTED_IN_ROOM.format(until=date_format(until.astimezone(dt_timezone.utc), "j M Y, H:i"))


def _send_on_commit(group: str, event: dict | Callable[[], dict]) -> None:
    """After commit, send `event` to one of a room's groups (rooms.fanout hands it to that group's local sockets).
    `event` may be a function that builds it after the commit."""
    group_send_on_commit(group, (lambda: addressed(group, event())) if callable(event) else addressed(group, event))


# --- rooms ------------------------------------------------------------------------------


TEXT_FIELDS = ("title", "topic", "rules")


def _clean_text(value, *, limit: int, message: str, required: bool = False) -> str:
    if not isinstance(value, str):
        raise ValidationError(message, code="invalid")
    value = value.strip()
    if (required and not value) or len(value) > limit:
        raise ValidationError(message, code="length")
    validate_visible(value)
    return value


def _clean_number(value, *, low: int, high: int, message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(message, code="bounds")
    return value


def _clean_moment(value, message: str):
    if value is None:
        return None
    if not isinstance(value, datetime) or value.year < 2000 or value - timezone.now() > timedelta(days=SCHEDULE_MAX_DAYS):
        raise ValidationError(message, code="bounds")
    return value


def clean_room_fields(fields: dict) -> dict:
    """The settings a host typed, checked before anything is stored (the form holds the same bounds):
    texts visible and within their lengths, numbers and dates within bounds. Raises ValidationError."""
    cleaners = {
        "title": lambda v: _clean_text(v, limit=TITLE_MAX_LENGTH, message=MSG_TITLE, required=True),
        "topic": lambda v: _clean_text(v, limit=TOPIC_MAX_LENGTH, message=MSG_TOPIC),
        "rules": lambda v: _clean_text(v, limit=RULES_MAX_LENGTH, message=MSG_RULES),
        "retention_hours": lambda v: _clean_number(v, low=RETENTION_HOURS_MIN, high=RETENTION_HOURS_MAX, message=MSG_RETENTION),
        "slow_mode_seconds": lambda v: _clean_number(v, low=0, high=SLOW_MODE_SECONDS_MAX, message=MSG_SLOW_MODE),
        "starts_at": lambda v: _clean_moment(v, MSG_SCHEDULE),
        "ends_at": lambda v: _clean_moment(v, MSG_SCHEDULE),
    }
    return {name: cleaners[name](value) if name in cleaners else value for name, value in fields.items()}


def _screen_texts(*, host, texts: dict):
    """Screening of a room's title, topic and rules (moderators' rooms and the site's own rooms are not held)."""
    if host is None:
        return None
    return screen(author=host, text="\n".join(texts[name] for name in TEXT_FIELDS), kind="room")


@transaction.atomic
def room_create(
    *, slug: str, title: str, host, topic: str = "", status: str = Room.Status.SCHEDULED, rules: str = "",
    starts_at: datetime | None = None, ends_at: datetime | None = None, visibility: str = Room.Visibility.MEMBERS,
    slow_mode_seconds: int = 0, retention_hours: int = 72, show_names: bool = False,
    cohosts=(), invited=(),
) -> Room:
    """A new room. If screening holds its texts, only its hosts and the moderators see it until a moderator
    approves them. `host` None: a room the site makes itself (Get help now's private rooms)."""
    fields = clean_room_fields({"title": title, "topic": topic, "rules": rules, "starts_at": starts_at, "ends_at": ends_at,
                                "slow_mode_seconds": slow_mode_seconds, "retention_hours": retention_hours})
    if host is not None:
        limit_use("room_manage", host.pk)
    screening = _screen_texts(host=host, texts=fields)
    room = Room.objects.create(
        slug=slug, host=host, status=status, visibility=visibility, show_names=show_names,
        **{**fields, "starts_at": fields["starts_at"] or timezone.now()},
    )
    room.cohosts.set(cohosts)
    room.invited.set(invited)
    if screening is not None and screening.held:
        _texts_hold(room=room, texts=None, host=host, reason="; ".join(screening.reasons))
    return room


ROOM_EDITABLE = ("title", "topic", "rules", "starts_at", "ends_at", "visibility", "slow_mode_seconds", "retention_hours", "show_names")


@transaction.atomic
def room_update(*, room: Room, by=None, cohosts=None, invited=None, **fields) -> Room:
    """Change a room's settings (the ones in ROOM_EDITABLE) and, if given, its co-hosts and invitees.
    `by`: the host making the change (None: Get help now adding the people of a conversation).

    New texts are screened: held ones of a public room wait in `pending_texts` (its approved texts stay
    shown); a room not yet approved takes them as they are and stays hidden until a moderator looks."""
    for name in fields:
        if name not in ROOM_EDITABLE:
            raise ValueError(f"{name} is not editable")
    fields = clean_room_fields(fields)
    if by is not None:
        limit_use("room_manage", by.pk)
    room = Room.objects.select_for_update().get(pk=room.pk)  # as stored: a ModelForm changed the caller's copy
    texts = {name: fields.get(name, getattr(room, name)) for name in TEXT_FIELDS}
    changed_texts = any(texts[name] != getattr(room, name) for name in TEXT_FIELDS)
    screening = _screen_texts(host=by, texts=texts) if changed_texts else None
    held = screening is not None and screening.held
    for name, value in fields.items():
        if name in TEXT_FIELDS and held and room.is_approved:
            continue  # the approved text stays public; the new one waits
        setattr(room, name, value)
    if changed_texts and not held:
        room.pending_texts = {}
        if room.moderation_status == ModerationStatus.PENDING:
            room.moderation_status, room.moderation_reason = ModerationStatus.APPROVED, ""
            held_item_close(kind=Target.ROOM, target_id=room.pk)
    room.save()
    if held:
        _texts_hold(room=room, texts=texts if room.is_approved else None, host=by, reason="; ".join(screening.reasons))
    if cohosts is not None:
        room.cohosts.set(cohosts)
    if invited is not None:
        room.invited.set(invited)
    return room


def _texts_hold(*, room: Room, texts: dict | None, host, reason: str) -> None:
    """Hold a room's texts for a moderator: `texts` waiting beside the approved ones, or (None) the room's
    own texts, the room hidden until approved. The caller holds a transaction."""
    if texts is None:
        room.moderation_status = ModerationStatus.PENDING
    room.pending_texts = texts or {}
    room.moderation_reason = reason[:500]
    room.save(update_fields=["moderation_status", "pending_texts", "moderation_reason"])
    held_item_open(kind=Target.ROOM, target_id=room.pk, subject=host, reason=reason)


@transaction.atomic
def room_texts_approve(*, room: Room, by) -> bool:
    """A moderator approves a room's held texts: a hidden new room becomes visible, or the waiting texts
    replace the public ones. False if nothing was waiting."""
    room = Room.objects.select_for_update().get(pk=room.pk)
    if room.is_approved and not room.pending_texts:
        return False
    for name, value in (room.pending_texts or {}).items():
        if name in TEXT_FIELDS:
            setattr(room, name, value)
    room.pending_texts, room.moderation_status, room.moderation_reason = {}, ModerationStatus.APPROVED, ""
    room.save(update_fields=[*TEXT_FIELDS, "pending_texts", "moderation_status", "moderation_reason"])
    return True


@transaction.atomic
def room_texts_reject(*, room: Room, by, reason: str = "") -> bool:
    """A moderator turns down a room's held texts: waiting texts are dropped (the approved ones stay), or a
    room never approved stays hidden from everyone but its hosts and the moderators. False if nothing waited."""
    room = Room.objects.select_for_update().get(pk=room.pk)
    if room.pending_texts:
        room.pending_texts, room.moderation_reason = {}, ""
        room.save(update_fields=["pending_texts", "moderation_reason"])
        return True
    if room.moderation_status == ModerationStatus.PENDING:
        room.moderation_status, room.moderation_reason = ModerationStatus.REJECTED, reason[:500]
        room.save(update_fields=["moderation_status", "moderation_reason"])
        return True
    return False


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
    if by is not None:
        limit_use("room_manage", by.pk)
    return _room_status_set(room=room, status=Room.Status.LIVE)


def room_close(*, room: Room, by) -> bool:
    """Close the room: it stays readable, and every socket is told it is read-only now."""
    if by is not None:
        limit_use("room_manage", by.pk)
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
    message = Message.objects.create(
        room=room, author=author, body=body, body_html=render_markdown(body, line_breaks=True), client_id=client_id,
        moderation_status=screening.status, moderation_reason="; ".join(screening.reasons),
    )
    if screening.held:  # into the moderators' queue in this same transaction
        held_item_open(kind=Target.MESSAGE, target_id=message.pk, subject=author, reason=message.moderation_reason)
    return message


def _validate_body(body, client_id) -> None:
    if not isinstance(body, str) or not body.strip():
        raise Refusal(INVALID, EMPTY_BODY)
    if len(body) > MESSAGE_MAX_LENGTH:
        raise Refusal(TOO_LONG, BODY_TOO_LONG)
    if not has_visible_text(body):
        raise Refusal(INVALID, MSG_INVISIBLE_ONLY)
    if client_id is not None and (not isinstance(client_id, str) or len(client_id) > CLIENT_ID_MAX_LENGTH):
        raise Refusal(INVALID, BAD_CLIENT_ID)


def active_room_mute(*, room: Room, peer) -> RoomMute | None:
    return RoomMute.objects.filter(room=room, peer=peer, until__gt=timezone.now()).order_by("-until").first()


def _check_rate(*, room: Room, author) -> None:
    """Slow mode (per person per room, the room's own window) and the flood limit (per person, all rooms):
    commons.limits, shared by every process."""
    try:
        if room.slow_mode_seconds:
            limit_use("room_slow_mode", room.pk, author.pk, window=room.slow_mode_seconds)
        limit_use("room_message", author.pk)
    except RateLimited as refused:
        raise Refusal(RATE_LIMITED, refused.message) from None


def message_send(*, room: Room, author, body, client_id=None) -> Message:
    """Check, store and (after commit) broadcast one chat message; raise Refusal and store nothing if refused.

    A `client_id` the author already used in the room returns the stored message (`resent` set) and stores
    nothing. The returned message carries `room_event`: the event its broadcast sent, which the writer's
    process hands to its own sockets at once (rooms.fanout)."""
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
                author_present=Exists(Peer.objects.filter(pk=author.pk, is_active=True)),
            )
            .get(pk=room.pk)
        )
        if not room.author_present:  # deleted (or deactivated) a moment ago; its sockets are closing
            raise Refusal(FORBIDDEN, ACCOUNT_GONE)
        if room.author_removed:
            raise Refusal(FORBIDDEN, REMOVED_FROM_ROOM)
        if not can_see(author, room):
            raise Refusal(FORBIDDEN, INVITED_ONLY)
        if room.status == Room.Status.SCHEDULED:
            raise Refusal(ROOM_CLOSED, ROOM_NOT_OPEN)
        if room.status == Room.Status.CLOSED:
            raise Refusal(ROOM_CLOSED, ROOM_IS_CLOSED)
        try:
            sanctions.check_can_write(author)
        except PermissionDenied as refusal:
            raise Refusal(MUTED, str(refusal)) from None
        if room.author_muted_until is not None:
            raise Refusal(MUTED, muted_words(room.author_muted_until))
        if client_id:
            # A client that lost its socket resends what it never saw echoed; store it only once.
            earlier = Message.objects.filter(author=author, client_id=client_id, room=room).select_related("author").first()
            if earlier is not None:
                earlier.resent = True
                earlier.room_event = message_event(earlier)
                return earlier
        _check_rate(room=room, author=author)
        # The room's message before this one (its `prev`, so every process can tell when one was lost on the
        # way), read in a statement of its own now that the lock is held: a subquery of the locking SELECT
        # reads the snapshot from before it waited, and would miss a message committed meanwhile.
        prev = latest_message_id(room=room)
        message = _message_create(room=room, author=author, body=body, client_id=client_id or "")
        message.resent = False
        message.room_event = message_event(message, prev=prev)
        _send_on_commit(room.group_name, message.room_event)
    return message


def message_event(message: Message, *, prev: int | None = None) -> dict:
    """The channel-layer event of a message, sent to the room's group and handed to the sockets in `to`.

    With `prev` (the room's message before it) it is a new message in the room's order (`seq`); without, an
    update of one already sent (approved, redacted). Held messages go to their author and the room's hosts
    only; removed ones to nobody. Serialised once here, not once per socket."""
    room = message.room
    if message.moderation_status == ModerationStatus.APPROVED:
        to = [room.group_name]
    elif message.moderation_status == ModerationStatus.PENDING:
        to = ([room.peer_group_name(message.author_id)] if message.author_id else []) + [room.moderators_group_name]
    else:
        to = []
    event = {"type": "room.message", "id": message.id, "text": json.dumps(message_frame(message)), "to": to}
    if prev is not None:
        event.update(seq=True, prev=prev)
    return event


def message_events_after(*, room: Room, after: int, upto: int | None = None) -> list[dict]:
    """New-message events of `room` with ids after `after` (up to `upto`), in id order, as message_send sent them:
    what a process reads back when a broadcast was lost (rooms.fanout)."""
    messages = Message.objects.filter(room=room, id__gt=after).select_related("author", "room").order_by("id")
    if upto is not None:
        messages = messages.filter(id__lte=upto)
    events, prev = [], after
    for message in messages[:REPLAY_MAX]:
        events.append(message_event(message, prev=prev))
        prev = message.id
    return events


def latest_message_id(*, room: Room) -> int:
    return Message.objects.filter(room=room).order_by("-id").values_list("id", flat=True).first() or 0


def _broadcast_message(*, room: Room, message: Message) -> None:
    """An update of a message already sent (approved, redacted): every socket that may see it gets it again."""
    _send_on_commit(room.group_name, message_event(message))


@transaction.atomic
def message_redact(*, message: Message, body: str, by, reason: str = "") -> bool:
    """A moderator edits personal information out of a message; open sockets get the new text. False if unchanged."""
    if not by.is_moderator:
        raise PermissionDenied(NOT_A_MODERATOR)
    message = Message.objects.select_for_update(of=("self",)).select_related("room", "author").get(pk=message.pk)
    body = body.strip() if isinstance(body, str) else body
    try:
        _validate_body(body, None)
    except Refusal as refusal:
        raise ValidationError(refusal.detail) from None
    if body == message.body:
        return False
    message.body, message.body_html = body, render_markdown(body, line_breaks=True)
    message.save(update_fields=["body", "body_html"])
    _broadcast_message(room=message.room, message=message)
    return True


def _copy_reported(messages) -> int:
    """Before messages go (retention, a private conversation's end), copy those under an open report for the
    moderators (moderation keeps the copy until the report itself is purged). Nothing else stays: a held one
    nobody reported leaves the queue."""
    held_items_close(kind=Target.MESSAGE, target_ids=messages.values("pk"))
    reported = open_report_targets(target_kind=Target.MESSAGE, target_ids=messages.values("pk"))
    if not reported:
        return 0
    originals = [
        {"id": m.pk, "author_name": m.author.username if m.author_id else FORMER_MEMBER, "where": f"Live room › {m.room.title}",
         "body": m.body, "body_html": m.body_html, "written": m.created}
        for m in Message.objects.filter(pk__in=reported).select_related("author", "room")
    ]
    return reported_copies_keep(kind=Target.MESSAGE, originals=originals)


@transaction.atomic
def room_delete(*, room: Room, clear_screens: bool = False) -> int | None:
    """Delete a room and its messages (a private support room past its retention, say); messages under an
    open report are copied for the moderators first. Returns how many copies were made; None if already gone.
    With `clear_screens`, sockets still open on it drop each message (a conversation deleted with an account)."""
    message_ids = list(Message.objects.filter(room_id=room.pk).values_list("pk", flat=True)) if clear_screens else []
    copied = _copy_reported(Message.objects.filter(room=room))
    deleted, _ = Room.objects.filter(pk=room.pk).delete()
    for message_id in message_ids:
        _send_on_commit(room.group_name, {"type": "room.removed", "id": message_id})
    return copied if deleted else None


@transaction.atomic
def messages_erase_by(*, author) -> int:
    """Deleting an account with "erase my words": every room message `author` wrote is deleted, and sockets
    open on those rooms drop them (the protocol's message_removed). One under an open report is copied for the
    moderators first, as before any deletion (moderation.queue.reported_copies_keep). Returns how many."""
    if author is None or author.pk is None:
        return 0
    rows = list(Message.objects.select_for_update().filter(author=author).values_list("pk", "room_id"))
    _copy_reported(Message.objects.filter(pk__in=[pk for pk, _ in rows]))  # as before any deletion: a report keeps a copy
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
    if by is not None:
        limit_use("room_manage", by.pk)
    message = Message.objects.select_for_update(of=("self",)).select_related("room").get(pk=message.pk)
    if message.moderation_status == ModerationStatus.REJECTED:
        return False
    message.moderation_status = ModerationStatus.REJECTED
    message.moderation_reason = reason[:500]
    message.moderated_by = by
    message.moderated_at = timezone.now()
    message.save(update_fields=["moderation_status", "moderation_reason", "moderated_by", "moderated_at"])
    held_item_close(kind=Target.MESSAGE, target_id=message.pk)  # decided here: a held item nobody reported closes
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
    held_item_close(kind=Target.MESSAGE, target_id=message.pk)  # decided here: a held item nobody reported closes
    _broadcast_message(room=message.room, message=message)
    return True


# --- people -----------------------------------------------------------------------------


@transaction.atomic
def mute_in_room(*, room: Room, peer, by, minutes: int, reason: str = "") -> RoomMute:
    """Stop `peer` writing in `room` for `minutes` (1 to a week); their open sockets are told at once."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MUTE_MAX_MINUTES:
        raise ValidationError(MSG_MUTE_MINUTES, code="bounds")
    limit_use("room_manage", by.pk)
    until = timezone.now() + timedelta(minutes=minutes)
    mute = RoomMute.objects.create(room=room, peer=peer, until=until, by=by, reason=reason[:300])
    # The time, not the sentence: each socket words it in its own person's language (rooms.consumers).
    _send_on_commit(room.peer_group_name(peer.pk), {"type": "room.muted", "until": until.isoformat()})
    return mute


@transaction.atomic
def unmute_in_room(*, room: Room, peer, by) -> bool:
    """End `peer`'s mutes in `room` now. False if none was in force."""
    limit_use("room_manage", by.pk)
    return RoomMute.objects.filter(room=room, peer=peer, until__gt=timezone.now()).update(until=timezone.now()) > 0


@transaction.atomic
def person_remove(*, room: Room, peer, by, reason: str = "") -> bool:
    """Remove `peer` from `room`: their sockets close (4403) and they cannot rejoin. False if already removed."""
    limit_use("room_manage", by.pk)
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
    # Counted after commit, so the number includes the change that caused it.
    _send_on_commit(room.group_name, lambda: presence_event(room=room))


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
    """At most one typing notice per person per room (the room_typing limit), across processes."""
    try:
        limit_use("room_typing", room.pk, peer.pk)
    except RateLimited:
        return False
    return True


# --- retention --------------------------------------------------------------------------


@dataclass(frozen=True)
class Purged:
    deleted: int  # messages
    copied: int  # of them, copies kept for the moderators (under an open report)
    failed: int  # rooms that could not be purged this time (logged without naming them)


def messages_purge(*, now: datetime | None = None) -> Purged:
    """Delete every message older than its room's retention, and stale presence rows. Each room on its own:
    one that fails (a bad row) is logged and skipped, the others are purged."""
    now = now or timezone.now()
    deleted = copied = failed = 0
    for room in Room.objects.only("pk", "retention_hours"):
        try:
            with transaction.atomic():
                old = Message.objects.filter(room=room, created__lt=now - room.kept_for)
                copied += _copy_reported(old)
                deleted += old.delete()[0]
        except Exception as error:  # noqa: BLE001: one room must not stop the others
            failed += 1
            logger.error("purge_rooms: one room's messages could not be purged (%s); the other rooms went on", type(error).__name__)
    Presence.objects.filter(seen_at__lt=now - timedelta(seconds=settings.ROOMS_PRESENCE_TTL * 10)).delete()
    return Purged(deleted=deleted, copied=copied, failed=failed)
