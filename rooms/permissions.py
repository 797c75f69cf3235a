"""Who may do what in a live room. Views and the consumer both call these."""

from django.core.exceptions import PermissionDenied

from commons.languages import said as _  # noqa: N812 (a str shown in the reader's language; see commons.languages.Said)
from moderation.models import ModerationStatus
from rooms.models import Room, RoomRemoval

NOT_SIGNED_IN = _("Please log in to join live rooms.")
INVITED_ONLY = _("This room is for invited people only. Ask the host if you would like to join.")
REMOVED_FROM_ROOM = _("A host removed you from this room. You can still take part in the rest of the community.")
NOT_A_HOST = _("Only the room's hosts and the moderators can do that.")
NOT_AN_ORGANISER = _("Only organisers can create and schedule rooms.")


def is_host(peer, room: Room) -> bool:
    """The host, a co-host, or a moderator."""
    if peer is None or not peer.is_authenticated:
        return False
    if room.host_id == peer.pk or peer.is_moderator:
        return True
    return room.cohosts.filter(pk=peer.pk).exists()


def can_see(peer, room: Room) -> bool:
    """Members' rooms: everyone. Invited-only rooms: their people. A room whose texts wait for a moderator
    (or were turned down) before it was ever approved: its hosts and the moderators only."""
    if room.moderation_status != ModerationStatus.APPROVED:
        return is_host(peer, room)
    if room.visibility == Room.Visibility.MEMBERS:
        return True
    if peer is None or not peer.is_authenticated:
        return False
    return is_host(peer, room) or room.invited.filter(pk=peer.pk).exists()


def can_see_message(peer, message) -> bool:
    """Reading rules for moderation's reports (moderation.registry): the room is one `peer` can see (an
    invited-only room or a private help conversation only for its people), and the message is public, or
    theirs, or they host the room (hosts see held messages)."""
    room = message.room
    if not can_see(peer, room):
        return False
    if message.moderation_status == ModerationStatus.APPROVED:
        return True
    if peer is None or not peer.is_authenticated:
        return False
    return message.author_id == peer.pk or is_host(peer, room)


def check_can_join(peer, room: Room) -> None:
    """Raise PermissionDenied with a readable reason if `peer` may not open this room."""
    if peer is None or not peer.is_authenticated:
        raise PermissionDenied(NOT_SIGNED_IN)
    if not can_see(peer, room):
        raise PermissionDenied(INVITED_ONLY)
    if RoomRemoval.objects.filter(room=room, peer=peer).exists():
        raise PermissionDenied(REMOVED_FROM_ROOM)


def check_can_host(peer, room: Room) -> None:
    if not is_host(peer, room):
        raise PermissionDenied(NOT_A_HOST)


def check_can_create_rooms(peer) -> None:
    if peer is None or not peer.is_authenticated or not (peer.is_organiser or peer.is_moderator):
        raise PermissionDenied(NOT_AN_ORGANISER)
