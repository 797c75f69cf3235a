from django.apps import AppConfig


class VoiceConfig(AppConfig):
    """Community voice (issue 16): the versioned rules, proposals and consent votes. A content app (floor 3):
    it opens each proposal's discussion through forum's services and registers the current rules with
    moderation, which offers them on its decision form without importing voice (docs/voice.md)."""

    name = "voice"
    verbose_name = "Community voice"

    def ready(self):
        # Imported here: apps.py loads before the models (Django's app registry).
        from commons import extras
        from moderation import registry
        from voice.extras import service_ratings, thread_poll
        from voice.ratings import queue_notice
        from voice.selectors import rules_for_moderation

        registry.register_rules(rules_for_moderation)
        registry.register_queue_notice(queue_notice)
        # A thread's poll on forum's thread page, the ratings on safety's services directory (neither imports voice).
        extras.register("forum.thread", thread_poll)
        extras.register("safety.services", service_ratings)

    def export_peer_data(self, peer) -> dict:
        """Download my data: the proposals this person made, their votes on proposals still open (after a close
        nobody, them included, can know how they voted: the link is deleted) and whether they stand for moderator."""
        from voice.models import Ballot, Candidacy, PollBallot, Proposal, RatingReceipt

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
            # Open polls only: a closed poll keeps no voter. A rating keeps no rater: only when each may rate again.
            "poll_votes_open": [
                {"poll": b.poll_id, "option": b.option.label}
                for b in PollBallot.objects.filter(voter=peer).select_related("option").order_by("poll_id", "option_id")
            ],
            "services_rated": [
                {"service": r.service_id, "may_rate_again_from": r.again_from.isoformat()}
                for r in RatingReceipt.objects.filter(peer=peer).order_by("service_id")
            ],
        }
