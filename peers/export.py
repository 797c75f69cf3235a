"""Download my data: everything the account wrote, as JSON. Each app adds its part."""

from django.apps import apps

from peers.models import Peer


def profile_export(peer: Peer) -> dict:
    return {
        "pseudonym": peer.username,
        "bio": peer.bio,
        "bio_waiting_for_a_moderator": peer.bio_pending or None,
        "date_joined": peer.date_joined.isoformat(),
        "time_zone": peer.time_zone or None,
        "language": peer.language or None,
        "roles": sorted(peer.groups.values_list("name", flat=True)),
    }


def notifications_export(peer: Peer) -> list[dict]:
    return [
        {"kind": n.kind, "text": n.shown_text, "url": n.url, "created": n.created.isoformat(), "read": n.read_at.isoformat() if n.read_at else None}
        for n in peer.notifications.order_by("id")
    ]


def peer_data_export(*, peer: Peer) -> dict:
    """Collect each installed app's `export_peer_data(peer)` into one document."""
    document: dict = {"format": "harm-reduction-commons/export/1"}
    for config in apps.get_app_configs():
        exporter = getattr(config, "export_peer_data", None)
        if exporter is not None:
            document.update(exporter(peer))
    return document
