from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from moderation.models import Moderated

ALERT_DEFAULT_DAYS, ALERT_MAX_DAYS = 7, 30


def default_alert_expiry():
    return timezone.now() + timedelta(days=ALERT_DEFAULT_DAYS)


class DrugAlert(Moderated):
    class Severity(models.TextChoices):
        INFO = "info", "for your information"
        WARNING = "warning", "warning"
        DANGER = "danger", "danger"

    class Source(models.TextChoices):
        DRUG_CHECKING = "drug_checking", "drug-checking service"
        PEER = "peer", "peer report"
        HEALTH = "health", "health department"

    substance = models.CharField(max_length=100)
    summary = models.CharField(max_length=300)
    region = models.CharField(max_length=100)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.WARNING)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.PEER)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")
    created = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=default_alert_expiry, db_index=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.substance}: {self.summary}"
