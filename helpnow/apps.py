from django.apps import AppConfig


class HelpNowConfig(AppConfig):
    name = "helpnow"
    verbose_name = "Get help now"

    # Imports inside these methods: apps.py is imported before any app's models are loaded (Django's app
    # registry), so what needs models is imported once the registry is ready.

    def ready(self):
        from helpnow.moderated import HELP_ANSWERS
        from moderation import registry

        registry.register(HELP_ANSWERS)

    def export_peer_data(self, peer) -> dict:
        """Download my data: the help requests this person made (their own answers, status and rating) with
        each conversation as they saw it, the supporters' side named only "supporter". Supporters' private
        handover notes are not included. A supporter gets their duty state."""
        from helpnow.models import Duty
        from helpnow.selectors import conversation_export, requests_of

        return {
            "help_requests": [
                {"created": r.created.isoformat(), "happening": r.happening, "danger": r.danger, "would_help": r.would_help,
                 "status": r.status, "ended": r.resolved_at.isoformat() if r.resolved_at else None, "helped": r.helped,
                 "conversation": conversation_export(help_request=r, peer=peer)}
                for r in requests_of(peer=peer)
            ],
            "supporter_duty": [
                {"on_duty": d.on_duty, "on_break": d.on_break, "since": d.since.isoformat() if d.since else None}
                for d in Duty.objects.filter(supporter=peer)
            ],
        }

    def account_deleting(self, peer, *, erase_words: bool) -> None:
        """Account deletion (peers.services.account_delete): the person's private help conversations go,
        room and messages, whichever choice they made for their public words."""
        from helpnow.services import conversations_delete

        conversations_delete(requester=peer)
