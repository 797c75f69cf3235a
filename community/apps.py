from django.apps import AppConfig


class CommunityConfig(AppConfig):
    """The top floor (docs/architecture.md, "Layers"): what shows or builds several apps at once, the home
    page and the demo community (`manage.py seed_demo`). Nothing below imports it."""

    name = "community"
