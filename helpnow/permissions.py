"""Who may do what in Get help now. Views and the board consumer both call these."""

from django.core.exceptions import PermissionDenied

from commons.languages import said as _  # noqa: N812 (a str shown in the reader's language; see commons.languages.Said)
from helpnow.models import HelpRequest

NOT_SIGNED_IN = _("Please log in first. Joining takes only a pseudonym and a password.")
NOT_A_SUPPORTER = _("Only supporters and organisers can use the supporters' board.")
NOT_YOURS = _("This conversation is private: only the person who asked, their supporters and the moderators can see it.")
NOT_THE_REQUESTER = _("Only the person who asked for help can do that.")
NOT_A_CLAIMER = _("Only the supporters in this conversation can do that.")


def is_supporter(peer) -> bool:
    return bool(peer is not None and peer.is_authenticated and peer.has_perm("peers.support"))


def is_claimer(peer, help_request: HelpRequest) -> bool:
    if peer is None or not peer.is_authenticated:
        return False
    return peer.pk in (help_request.claimed_by_id, help_request.backup_by_id)


def check_can_support(peer) -> None:
    if peer is None or not peer.is_authenticated:
        raise PermissionDenied(NOT_SIGNED_IN)
    if not is_supporter(peer):
        raise PermissionDenied(NOT_A_SUPPORTER)


def can_view(peer, help_request: HelpRequest) -> bool:
    """The person who asked, the supporters who claimed it, and moderators."""
    if peer is None or not peer.is_authenticated:
        return False
    return help_request.requester_id == peer.pk or is_claimer(peer, help_request) or peer.is_moderator


def check_can_view(peer, help_request: HelpRequest) -> None:
    if peer is None or not peer.is_authenticated:
        raise PermissionDenied(NOT_SIGNED_IN)
    if not can_view(peer, help_request):
        raise PermissionDenied(NOT_YOURS)


def check_is_requester(peer, help_request: HelpRequest) -> None:
    if peer is None or not peer.is_authenticated or help_request.requester_id != peer.pk:
        raise PermissionDenied(NOT_THE_REQUESTER)


def check_is_claimer(peer, help_request: HelpRequest) -> None:
    if not is_claimer(peer, help_request):
        raise PermissionDenied(NOT_A_CLAIMER)
