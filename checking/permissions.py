"""Who may do what with drug-checking results. Each check raises PermissionDenied with a readable reason."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from moderation.sanctions import check_can_write

MSG_SIGN_IN = _("Please log in first. Joining takes only a pseudonym and a password.")
MSG_CHECKERS_ONLY = _(
    "Only checkers (people from a drug-checking service, given the role by an organiser) can publish results. "
    "If you had a sample checked, you can report it and a checker will confirm it."
)
MSG_ORGANISERS_ONLY = _("Only organisers can give or take back the checker role.")
MSG_MODERATORS_ONLY = _("Only moderators can raise an alert from a result.")


def is_checker(peer) -> bool:
    return bool(peer is not None and peer.is_authenticated and peer.has_perm("peers.check_results"))


def check_can_publish_results(peer) -> None:
    if not (peer is not None and peer.is_authenticated):
        raise PermissionDenied(MSG_SIGN_IN)
    if not is_checker(peer):
        raise PermissionDenied(MSG_CHECKERS_ONLY)
    check_can_write(peer)


def check_can_report_sample(peer) -> None:
    if not (peer is not None and peer.is_authenticated):
        raise PermissionDenied(MSG_SIGN_IN)
    check_can_write(peer)


def check_can_give_checker_role(peer) -> None:
    if not (peer is not None and peer.is_authenticated and peer.is_organiser):
        raise PermissionDenied(MSG_ORGANISERS_ONLY)
