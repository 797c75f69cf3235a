from django.apps import AppConfig


class VoiceConfig(AppConfig):
    """Community voice (issue 16): the versioned rules, proposals and consent votes. A content app (floor 3):
    it opens each proposal's discussion through forum's services and registers the current rules with
    moderation, which offers them on its decision form without importing voice (docs/voice.md)."""

    name = "voice"
    verbose_name = "Community voice"

    def ready(self):
        # Imported here: apps.py loads before the models (Django's app registry).
        from moderation import registry
        from voice.selectors import rules_for_moderation

        registry.register_rules(rules_for_moderation)
