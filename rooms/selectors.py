from django.db.models import QuerySet

from rooms.models import Message, Room


def rooms_live_and_upcoming() -> QuerySet[Room]:
    return Room.objects.exclude(status=Room.Status.CLOSED).select_related("host").order_by("-status", "starts_at")


def messages_written_by(*, peer) -> QuerySet[Message]:
    return Message.objects.filter(author=peer).select_related("room").order_by("id")
