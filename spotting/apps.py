from django.apps import AppConfig


class SpottingConfig(AppConfig):
    name = "spotting"
    verbose_name = "Spot me"

    # Imports inside these methods: apps.py is imported before any app's models are loaded.

    def export_peer_data(self, peer) -> dict:
        """Download my data: the person's spotting sessions (their note, settings, check-ins and outcome) with
        each chat as they saw it, the spotter named only "spotter"."""
        from spotting.selectors import session_export

        return {"spotting_sessions": session_export(member=peer)}

    def account_deleting(self, peer, *, erase_words: bool) -> None:
        """Account deletion: the person's spotting sessions go, note, chat and record, whatever their state."""
        from spotting.services import sessions_delete

        sessions_delete(member=peer)
