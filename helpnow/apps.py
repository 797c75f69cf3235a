from django.apps import AppConfig


class HelpNowConfig(AppConfig):
    name = "helpnow"
    verbose_name = "Get help now"

    def ready(self):
        from helpnow.moderated import HELP_ANSWERS
        from moderation import registry

        registry.register(HELP_ANSWERS)

    def export_peer_data(self, peer) -> dict:
        """Download my data: the help requests this person made (their own answers, status and rating).
        Supporters' private handover notes are not included."""
        from helpnow.selectors import requests_of

        return {
            "help_requests": [
                {"created": r.created.isoformat(), "happening": r.happening, "danger": r.danger, "would_help": r.would_help,
                 "status": r.status, "ended": r.resolved_at.isoformat() if r.resolved_at else None, "helped": r.helped}
                for r in requests_of(peer=peer)
            ]
        }
