"""Profile bios, screened like every text others read (issue 13): a held bio waits for a moderator while the
approved one stays public. peers stores bios; moderation screens them and registers itself with peers and
with its own queue (ModerationConfig.ready), so peers imports nothing of moderation."""

from django.utils.translation import gettext

from moderation.models import Target
from moderation.registry import HeldKind
from moderation.screening import screen
from moderation.queue import held_item_close, held_item_open
from moderation.targets import Resolved
from peers import services as peer_services
from peers.models import Peer


def bio_screen(peer: Peer, bio: str) -> str:
    """peers.services.profile_update's screening: the reason a new bio is held ("" to publish it), with the
    queue item opened (or a stale one closed) in the caller's transaction."""
    screening = screen(author=peer, text=bio, kind="bio")
    if screening.held:
        reason = "; ".join(screening.reasons)
        held_item_open(kind=Target.BIO, target_id=peer.pk, subject=peer, reason=reason)
        return reason
    held_item_close(kind=Target.BIO, target_id=peer.pk)
    return ""


def _resolve(pk: int) -> Resolved | None:
    peer = Peer.objects.filter(pk=pk).first()
    if peer is None:
        return None
    return Resolved(kind=Target.BIO, id=peer.pk, obj=peer, author=peer, label=gettext("bio of %(name)s") % {"name": peer.username},
                    url=f"/u/{peer.username}/", where=gettext("Member profile (new bio; the approved one stays shown)"),
                    body_html=peer.bio_pending_html,  # sanitised at write (commons.markup)
                    body=peer.bio_pending, status="pending" if peer.bio_pending else "approved")


BIO = HeldKind(
    kind=Target.BIO, noun="profile",
    resolve=_resolve,
    approve=lambda peer, by: peer_services.bio_pending_approve(peer=peer),
    reject=lambda peer, by, reason: peer_services.bio_pending_drop(peer=peer),
)
