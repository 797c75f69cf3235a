from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    # Imports inside these methods: apps.py is imported before any app's models are loaded (Django's app
    # registry), so what needs models is imported once the registry is ready.

    def ready(self):
        from moderation import registry
        from moderation.profiles import BIO, bio_screen
        from peers.services import bio_screen_register

        registry.register(BIO)
        bio_screen_register(bio_screen)

    def export_peer_data(self, peer) -> dict:
        from moderation.selectors import peer_moderation_export

        return {"moderation": peer_moderation_export(peer)}

    def account_section(self, peer) -> dict:
        """The "Moderation decisions about you" part of the person's settings page."""
        from moderation.selectors import decisions_about

        return {"template": "moderation/_decisions_about_you.html", "entries": list(decisions_about(peer)[:20])}
