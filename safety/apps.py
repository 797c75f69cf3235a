from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "safety"

    # Imports inside ready(): apps.py is imported before any app's models are loaded (Django's app registry).
    def ready(self):
        from moderation import registry
        from safety.moderated import ALERTS, queue_notice

        registry.register(ALERTS)
        registry.register_queue_notice(queue_notice)

    def export_peer_data(self, peer) -> dict:
        """Download my data: the alerts this person posted, their "seen it too"s and directory suggestions."""
        alerts = [
            {"substance": a.substance, "summary": a.summary, "region": a.region, "severity": a.severity,
             "source": a.source, "created": a.created.isoformat(), "expires": a.expires_at.isoformat(),
             "status": a.moderation_status}
            for a in peer.alerts.all()
        ]
        seen = [{"alert_id": s.alert_id, "created": s.created.isoformat()} for s in peer.alert_sightings.all()]
        suggestions = [
            {"kind": s.kind, "name": s.name, "region": s.region, "contact": s.contact, "hours": s.hours, "notes": s.notes,
             "comment": s.comment, "correction_of": s.entry_id, "status": s.status, "created": s.created.isoformat()}
            for s in peer.service_suggestions.all()
        ]
        regions = list(peer.followed_regions.values_list("region", flat=True))
        return {"drug_alerts": alerts, "alerts_seen": seen, "service_suggestions": suggestions, "followed_regions": regions}
