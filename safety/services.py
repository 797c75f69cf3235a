"""Writes for drug alerts and the other safety features."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from safety.models import ALERT_DEFAULT_DAYS, DrugAlert


@transaction.atomic
def alert_create(*, author, substance: str, summary: str, region: str, severity: str, source: str, days: int = ALERT_DEFAULT_DAYS) -> DrugAlert:
    """Publish a drug alert. Who may post and the live push are issue 6's work."""
    return DrugAlert.objects.create(
        author=author, substance=substance, summary=summary, region=region, severity=severity, source=source,
        expires_at=timezone.now() + timedelta(days=days),
    )
