from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "rooms"

    def ready(self):
        from moderation import registry
        from moderation.models import Target
        from rooms.moderated import ROOM_TEXTS
        from rooms.permissions import can_see_message

        registry.register(ROOM_TEXTS)
        registry.register_visibility(Target.MESSAGE, can_see_message)

    def export_peer_data(self, peer) -> dict:
        from rooms.selectors import messages_written_by

        return {
            "room_messages": [
                {"id": m.id, "room": m.room.slug, "created": m.created.isoformat(), "body": m.body}
                for m in messages_written_by(peer=peer)
            ]
        }
