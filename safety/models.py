from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.models import Moderated

ALERT_DEFAULT_DAYS, ALERT_MAX_DAYS = 7, 30
SERVICE_STALE_DAYS = 180


def default_alert_expiry():
    return timezone.now() + timedelta(days=ALERT_DEFAULT_DAYS)


class DrugAlert(Moderated):
    class Severity(models.TextChoices):
        INFO = "info", _("for your information")
        WARNING = "warning", _("warning")
        DANGER = "danger", _("danger")

    class Source(models.TextChoices):
        DRUG_CHECKING = "drug_checking", _("lab or drug-checking result")
        TEST_STRIP = "test_strip", _("test strip")
        PEER = "peer", _("peer reports")
        HEALTH = "health", _("health department")

    substance = models.CharField(max_length=100)
    summary = models.CharField(max_length=300)
    region = models.CharField(max_length=100)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.WARNING)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.PEER)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")
    created = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=default_alert_expiry, db_index=True)
    seen_count = models.PositiveIntegerField(default=0)
    # The evidence: drug-checking results the alert rests on (docs/supply.md).
    results = models.ManyToManyField("checking.Result", blank=True, related_name="alerts")

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.substance}: {self.summary}"

    @property
    def is_active(self) -> bool:
        return self.moderation_status == "approved" and self.expires_at > timezone.now()

    def get_absolute_url(self) -> str:
        return f"/alerts/#alert-{self.pk}"


class AlertSighting(models.Model):
    """One person saying "seen it too" about one alert; at most once each."""

    alert = models.ForeignKey(DrugAlert, on_delete=models.CASCADE, related_name="sightings")
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_sightings")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "peer"], name="alert_sighting_once")]


class FollowedRegion(models.Model):
    """A member follows a region (one of SUPPLY_REGIONS): its alerts come first in their banner and on /alerts/."""

    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_regions")
    region = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["peer", "region"], name="followed_region_once")]
        ordering = ["region"]


class ServiceKind(models.TextChoices):
    NALOXONE = "naloxone", _("naloxone")
    SYRINGE = "syringe", _("syringe services")
    SUPERVISED = "supervised", _("supervised consumption site")
    DRUG_CHECKING = "drug_checking", _("drug checking")
    METHADONE = "methadone", _("methadone treatment")
    BUPRENORPHINE = "buprenorphine", _("buprenorphine treatment")
    NALTREXONE = "naltrexone", _("naltrexone treatment")
    DRUG_COURT = "drug_court", _("drug court")
    MUTUAL_AID = "mutual_aid", _("recovery and mutual-aid groups")
    SHELTER = "shelter", _("shelter")


class ServiceEntry(models.Model):
    """A verified directory entry. Only moderators create or change one (by accepting a suggestion)."""

    kind = models.CharField(max_length=20, choices=ServiceKind.choices, db_index=True)
    name = models.CharField(max_length=120)
    region = models.CharField(max_length=100, db_index=True)
    contact = models.CharField(max_length=200)
    hours = models.CharField(max_length=200, blank=True, default="")
    notes = models.TextField(max_length=1000, blank=True, default="")
    verified_at = models.DateTimeField(default=timezone.now)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["region", "kind", "name"]
        verbose_name_plural = "service entries"

    def __str__(self) -> str:
        return self.name

    @property
    def is_stale(self) -> bool:
        return self.verified_at < timezone.now() - timedelta(days=SERVICE_STALE_DAYS)

    def get_absolute_url(self) -> str:
        return f"/services/#service-{self.pk}"


class ServiceSuggestion(models.Model):
    """A member's proposed new entry (entry is null) or correction (entry set), held until a moderator decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a moderator")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    entry = models.ForeignKey(ServiceEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="suggestions")
    kind = models.CharField(max_length=20, choices=ServiceKind.choices)
    name = models.CharField(max_length=120)
    region = models.CharField(max_length=100)
    contact = models.CharField(max_length=200)
    hours = models.CharField(max_length=200, blank=True, default="")
    notes = models.TextField(max_length=1000, blank=True, default="")
    comment = models.CharField(max_length=500, blank=True, default="")
    # Every suggestion waits for a moderator anyway; screening tells them what to look at (contact details
    # or sourcing outside the contact field, which is meant to hold the service's own).
    screening_reason = models.CharField(max_length=500, blank=True, default="")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="service_suggestions")
    created = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]

    @property
    def is_correction(self) -> bool:
        return self.entry_id is not None
