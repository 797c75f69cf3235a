from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def export_peer_data(self, peer) -> dict:
        from moderation.selectors import peer_moderation_export

        return {"moderation": peer_moderation_export(peer)}
