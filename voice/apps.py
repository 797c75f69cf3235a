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

    def export_peer_data(self, peer) -> dict:
        """Download my data: the proposals this person made, their votes on proposals still open (after a close
        nobody, them included, can know how they voted: the link is deleted) and whether they stand for moderator."""
        from voice.models import Ballot, Candidacy, Proposal

        return {
            "proposals": [
                {"id": p.pk, "kind": p.kind, "title": p.title, "text": p.text, "opened": p.opened.isoformat(), "status": p.status}
                for p in Proposal.objects.filter(author=peer).order_by("id")
            ],
            "proposal_votes_open": [
                {"proposal": b.proposal_id, "choice": b.choice, "reason": b.reason}
                for b in Ballot.objects.filter(voter=peer).order_by("id")
            ],
            "standing_for_moderator": Candidacy.objects.filter(peer=peer).exists(),
        }
