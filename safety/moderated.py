"""Drug alerts as a kind of moderation's targets (moderation.registry), registered in SafetyConfig.ready.

A held alert is reviewed on safety's own page (/alerts/<id>/review/): the moderators' queue lists the alerts
and directory suggestions waiting there (a queue notice), and an appeal against a hidden alert restores it
through this kind, as it does a post."""

from django.utils.html import format_html

from moderation.models import ModerationStatus, Target
from moderation.registry import HeldKind
from moderation.targets import Resolved
from safety import services
from safety.models import DrugAlert, ServiceSuggestion
from safety.selectors import alerts_pending

QUEUE_ALERTS = 20  # the queue page lists at most this many alerts waiting (oldest first)


def _resolve(pk: int) -> Resolved | None:
    alert = DrugAlert.objects.select_related("author").filter(pk=pk).first()
    if alert is None:
        return None
    return Resolved(kind=Target.ALERT, id=alert.pk, obj=alert, author=alert.author, label=f"drug alert #{alert.pk}",
                    url=alert.get_absolute_url(), where=f"Drug alerts › {alert.region}",
                    body_html=format_html("<p><strong>{}</strong>: {}</p>", alert.substance, alert.summary),
                    body=f"{alert.substance}: {alert.summary}", status=alert.moderation_status)


def queue_notice() -> dict:
    """What waits on safety's own review pages, for the top of the moderators' queue."""
    waiting = ServiceSuggestion.objects.filter(status=ServiceSuggestion.Status.PENDING)
    return {"alerts": list(alerts_pending()[:QUEUE_ALERTS]), "suggestions": waiting.count(),
            "flagged_suggestions": waiting.exclude(screening_reason="").count()}


ALERTS = HeldKind(
    kind=Target.ALERT, noun="drug alert",
    resolve=_resolve,
    approve=lambda alert, by: services.alert_moderate(alert=alert, status=ModerationStatus.APPROVED, by=by),
    reject=lambda alert, by, reason: services.alert_moderate(alert=alert, status=ModerationStatus.REJECTED, by=by, reason=reason),
    restore=lambda alert, by, reason: services.alert_moderate(alert=alert, status=ModerationStatus.APPROVED, by=by, reason=reason),
)
