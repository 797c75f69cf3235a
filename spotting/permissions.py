"""Who may do what in Spot me. Views and the sockets both call these."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from helpnow.permissions import is_supporter
from spotting.models import SpotSession

NOT_SIGNED_IN = _("Please log in first. Joining takes only a pseudonym and a password.")
NOT_YOURS = _("This spotting session is private: only the member, their spotter and the moderators can see it.")
NOT_THE_MEMBER = _("Only the member being spotted can do that.")
NOT_THE_SPOTTER = _("Only the spotter of this session can do that.")


def is_spotter(peer, session: SpotSession) -> bool:
    """The supporter who claimed it, or, once the alarm went to everyone on duty, any supporter."""
    if peer is None or not peer.is_authenticated:
        return False
    return session.claimed_by_id == peer.pk or (session.alarm_to_all and is_supporter(peer) and session.member_id != peer.pk)


def can_view(peer, session: SpotSession) -> bool:
    if peer is None or not peer.is_authenticated:
        return False
    return session.member_id == peer.pk or is_spotter(peer, session) or peer.is_moderator


def check_can_view(peer, session: SpotSession) -> None:
    if peer is None or not peer.is_authenticated:
        raise PermissionDenied(NOT_SIGNED_IN)
    if not can_view(peer, session):
        raise PermissionDenied(NOT_YOURS)


def reads_note(peer, session: SpotSession) -> bool:
    """The rescue note: the member always; their spotter (or everyone alarmed) only once an alarm was raised."""
    if peer is None or not peer.is_authenticated:
        return False
    return session.member_id == peer.pk or (session.alarm_at is not None and is_spotter(peer, session))
