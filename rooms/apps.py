from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "rooms"

    # Imports inside these methods: apps.py is imported before any app's models are loaded (Django's app
    # registry), so what needs models is imported once the registry is ready.

    def ready(self):
        from moderation import registry
        from rooms.moderated import MESSAGES, ROOM_TEXTS
        from rooms.permissions import can_see_message

        registry.register(ROOM_TEXTS)
        registry.register(MESSAGES)
        registry.register_visibility(MESSAGES.kind, can_see_message)

    def export_peer_data(self, peer) -> dict:
        from rooms.models import Room
        from rooms.selectors import messages_written_by

        return {
            "room_messages": [
                {"id": m.id, "room": m.room.slug, "created": m.created.isoformat(), "status": m.moderation_status, "body": m.body}
                for m in messages_written_by(peer=peer)
            ],
            "rooms_hosted": [
                {"slug": r.slug, "title": r.title, "topic": r.topic, "rules": r.rules, "starts": r.starts_at.isoformat()}
                for r in Room.objects.filter(host=peer).exclude(visibility=Room.Visibility.INVITED).order_by("id")
            ],
            "room_mutes": [
                {"room": m.room.slug, "until": m.until.isoformat(), "reason": m.reason, "created": m.created.isoformat()}
                for m in peer.room_mutes.select_related("room").order_by("id")
            ],
            "room_removals": [
                {"room": r.room.slug, "reason": r.reason, "created": r.created.isoformat()}
                for r in peer.room_removals.select_related("room").order_by("id")
            ],
        }

    def account_deleting(self, peer, *, erase_words: bool) -> None:
        """Account deletion (peers.services.account_delete): with "erase my words", their room messages go."""
        from rooms.services import messages_erase_by

        if erase_words:
            messages_erase_by(author=peer)
