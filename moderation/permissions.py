"""Who may do what in moderation; each check raises PermissionDenied with a readable reason."""

from django.core.exceptions import PermissionDenied

from commons.languages import said as _  # noqa: N812 (a str shown in the reader's language; see commons.languages.Said)

MSG_MODERATORS_ONLY = _("Only moderators can do this.")
MSG_SELF_SANCTION = _("You can't act on your own account or content; please ask another moderator.")
MSG_APPEAL_NOT_YOURS = _("You can only appeal a decision about you.")
MSG_APPEAL_SAME_MODERATOR = _("A moderator other than the one who acted must decide this appeal.")


def is_moderator(peer) -> bool:
    return peer is not None and getattr(peer, "is_authenticated", False) and peer.has_perm("peers.moderate")


def check_can_moderate(peer) -> None:
    if not is_moderator(peer):
        raise PermissionDenied(MSG_MODERATORS_ONLY)


def check_can_act_on(peer, subject) -> None:
    """A moderator never decides about their own content or account."""
    check_can_moderate(peer)
    if subject is not None and subject.pk == peer.pk:
        raise PermissionDenied(MSG_SELF_SANCTION)


def check_can_appeal(peer, log_entry) -> None:
    if peer is None or not peer.is_authenticated or log_entry.subject_id != peer.pk:
        raise PermissionDenied(MSG_APPEAL_NOT_YOURS)


def check_can_decide_appeal(peer, appeal) -> None:
    check_can_moderate(peer)
    if appeal.log_entry.actor_id == peer.pk:
        raise PermissionDenied(MSG_APPEAL_SAME_MODERATOR)
