"""Writes for live rooms."""

from django.db import transaction

from commons.markup import render_markdown
from moderation.screening import screen
from rooms.models import Message, Room


@transaction.atomic
def room_create(*, slug: str, title: str, host, topic: str = "", status: str = Room.Status.SCHEDULED, rules: str = "") -> Room:
    return Room.objects.create(slug=slug, title=title, host=host, topic=topic, status=status, rules=rules)


@transaction.atomic
def message_store(*, room: Room, author, body: str, client_id: str = "") -> Message:
    """Store a message, rendered once. Broadcasting is the live rooms' work (issue 4)."""
    screening = screen(author=author, text=body, kind="message")
    return Message.objects.create(
        room=room, author=author, body=body, body_html=render_markdown(body), client_id=client_id,
        moderation_status=screening.status, moderation_reason="; ".join(screening.reasons),
    )
