from django.apps import AppConfig


class HelpNowConfig(AppConfig):
    name = "helpnow"
    verbose_name = "Get help now"
