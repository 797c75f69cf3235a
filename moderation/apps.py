from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def ready(self):
        from moderation import registry
        from moderation.profiles import BIO, bio_screen
        from peers.services import bio_screen_register

        registry.register(BIO)
        bio_screen_register(bio_screen)

    def export_peer_data(self, peer) -> dict:
        from moderation.selectors import peer_moderation_export

        return {"moderation": peer_moderation_export(peer)}
