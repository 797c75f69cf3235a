"""Room messages and rooms' held texts as kinds of moderation's targets (moderation.registry), registered in
RoomsConfig.ready: moderation finds, shows, approves, hides, redacts and restores them through these."""

from django.utils.html import format_html_join, linebreaks
from django.utils.translation import gettext

from moderation.models import ModerationStatus, Target
from moderation.registry import HeldKind
from moderation.targets import Resolved
from rooms import services
from rooms.models import Message, Room

LABELS = {"title": "Title", "topic": "Topic", "rules": "Rules"}


def _resolve(pk: int) -> Resolved | None:
    room = Room.objects.select_related("host").filter(pk=pk).first()
    if room is None:
        return None
    texts = room.pending_texts or {name: getattr(room, name) for name in services.TEXT_FIELDS}
    body = "\n\n".join(f"{LABELS[name]}: {texts.get(name, '')}" for name in services.TEXT_FIELDS if texts.get(name))
    body_html = format_html_join("", "<h5>{}</h5>{}", ((LABELS[name], linebreaks(texts[name], autoescape=True))
                                                      for name in services.TEXT_FIELDS if texts.get(name)))
    where = gettext("Live room settings (changes to a public room)") if room.pending_texts else gettext("Live room settings (a new room)")
    return Resolved(kind=Target.ROOM, id=room.pk, obj=room, author=room.host, label=gettext("room %(slug)s") % {"slug": room.slug},
                    url=room.get_absolute_url(), where=where, body_html=body_html, body=body,
                    status="pending" if room.pending_texts else room.moderation_status)


ROOM_TEXTS = HeldKind(
    kind=Target.ROOM, noun="room",
    resolve=_resolve,
    approve=lambda room, by: services.room_texts_approve(room=room, by=by),
    reject=lambda room, by, reason: services.room_texts_reject(room=room, by=by, reason=reason),
)


def _message_resolved(message: Message) -> Resolved:
    return Resolved(
        kind=Target.MESSAGE, id=message.pk, obj=message, author=message.author, label=gettext("room message #%(id)s") % {"id": message.pk},
        url=message.room.get_absolute_url(), where=gettext("Live room › %(title)s") % {"title": message.room.title},
        body_html=message.body_html, body=message.body, status=message.moderation_status,
    )


def _messages(pks):
    return Message.objects.filter(pk__in=pks).select_related("room", "author")


def _message_resolve(pk: int) -> Resolved | None:
    message = _messages([pk]).first()
    return _message_resolved(message) if message is not None else None


def _message_context(message: Message) -> list:
    before = Message.objects.approved().filter(room_id=message.room_id, pk__lt=message.pk).select_related("author").order_by("-pk")[:3]
    return [(m.author.username if m.author else "former member", m.body_html) for m in reversed(before)]


def _message_redact(message: Message, body: str, by, reason: str) -> bool:
    """The personal information goes; the rest is public (a held message is approved with it)."""
    changed = services.message_redact(message=message, body=body, by=by, reason=reason)
    if message.moderation_status != ModerationStatus.APPROVED:
        services.message_approve(message=message, by=by)
    return changed


MESSAGES = HeldKind(
    kind=Target.MESSAGE, noun="room message", reportable=True,
    resolve=_message_resolve,
    resolve_many=lambda pks: {message.pk: _message_resolved(message) for message in _messages(pks)},
    context=_message_context,
    approve=lambda message, by: services.message_approve(message=message, by=by),
    reject=lambda message, by, reason: services.message_remove(message=message, by=by, reason=reason),
    redact=_message_redact,
    auto_hide=lambda message, reason: services.message_remove(message=message, by=None, reason=reason),
    restore=lambda message, by, reason: services.message_approve(message=message, by=by),
)
