"""Who may do what in safety. Each check raises PermissionDenied with a readable reason."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.sanctions import active_restriction, check_can_write

MSG_SIGN_IN = _("Please log in first. Joining takes a pseudonym and a password.")
MSG_NOT_ESTABLISHED = _(
    "Drug alerts can be posted by moderators, organisers and established members "
    "(an account at least {days} days old with {posts} published posts). "
    "Until then, please share what you found in the Safer use board or tell a moderator, and they can post the alert."
)
MSG_MODERATORS_ONLY = _("Only moderators can do this.")
MSG_SIGHTING_RESTRICTED = _("While your account is suspended you can't add a “seen it too”.")


def is_established(peer) -> bool:
    """Moderation's trust idea: an account old enough, with enough published posts."""
    if not (peer and peer.is_authenticated):
        return False
    old_enough = peer.date_joined <= timezone.now() - timedelta(days=settings.SAFETY_ESTABLISHED_DAYS)
    if not old_enough:
        return False
    needed = settings.SAFETY_ESTABLISHED_POSTS
    # Count only as far as needed: an active member may have thousands of posts.
    return len(peer.posts.approved().values_list("pk", flat=True)[:needed]) >= needed


def publishes_alerts_directly(peer) -> bool:
    """Moderators' and organisers' alerts skip pre-moderation; everyone else's wait for a moderator."""
    return bool(peer and peer.is_authenticated and (peer.is_moderator or peer.is_organiser))


def check_can_post_alert(peer) -> None:
    if not (peer and peer.is_authenticated):
        raise PermissionDenied(MSG_SIGN_IN)
    check_can_write(peer)
    if not (publishes_alerts_directly(peer) or is_established(peer)):
        raise PermissionDenied(
            MSG_NOT_ESTABLISHED.format(days=settings.SAFETY_ESTABLISHED_DAYS, posts=settings.SAFETY_ESTABLISHED_POSTS)
        )


def check_can_take_part(peer) -> None:
    """Saying "seen it too" or suggesting a directory entry: any member who may write."""
    if not (peer and peer.is_authenticated):
        raise PermissionDenied(MSG_SIGN_IN)
    check_can_write(peer)


def check_can_count_sighting(peer) -> None:
    """ "Seen it too" is a count that tells others how widespread a batch is, not words anyone reads: a
    muted member may still say it. A suspended or banned account may not, and is told why."""
    if not (peer and peer.is_authenticated):
        raise PermissionDenied(MSG_SIGN_IN)
    restriction = active_restriction(peer)
    if restriction is not None and restriction.blocks_connecting:
        raise PermissionDenied(str(MSG_SIGHTING_RESTRICTED) + " " + restriction.message)


def check_can_moderate(peer) -> None:
    if not (peer and peer.is_authenticated and peer.is_moderator):
        raise PermissionDenied(MSG_MODERATORS_ONLY)
