"""Rooms' held texts as a kind of moderation's queue (moderation.registry), registered in RoomsConfig.ready."""

from django.utils.html import format_html_join, linebreaks

from moderation.models import Target
from moderation.registry import HeldKind
from moderation.targets import Resolved
from rooms import services
from rooms.models import Room

LABELS = {"title": "Title", "topic": "Topic", "rules": "Rules"}


def _resolve(pk: int) -> Resolved | None:
    room = Room.objects.select_related("host").filter(pk=pk).first()
    if room is None:
        return None
    texts = room.pending_texts or {name: getattr(room, name) for name in services.TEXT_FIELDS}
    body = "\n\n".join(f"{LABELS[name]}: {texts.get(name, '')}" for name in services.TEXT_FIELDS if texts.get(name))
    body_html = format_html_join("", "<h5>{}</h5>{}", ((LABELS[name], linebreaks(texts[name], autoescape=True))
                                                      for name in services.TEXT_FIELDS if texts.get(name)))
    where = "Live room settings (changes to a public room)" if room.pending_texts else "Live room settings (a new room)"
    return Resolved(kind=Target.ROOM, id=room.pk, obj=room, author=room.host, label=f"room {room.slug}",
                    url=room.get_absolute_url(), where=where, body_html=body_html, body=body,
                    status="pending" if room.pending_texts else room.moderation_status)


ROOM_TEXTS = HeldKind(
    kind=Target.ROOM, noun="room",
    resolve=_resolve,
    approve=lambda room, by: services.room_texts_approve(room=room, by=by),
    reject=lambda room, by, reason: services.room_texts_reject(room=room, by=by, reason=reason),
)
