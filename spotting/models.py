"""Spot me: a peer checks on a member while they use, through check-ins kept on the server.

The countdown lives in these rows (`check_due_at`, `alarm_due_at`), not in a page: a closed tab or a dead
battery still leads to the alarm. The chat is a rooms.Room (visibility "invited"), as in Get help now.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NOTE_MAX_LENGTH = 1000
OUTCOME_MAX_LENGTH = 500
INTERVAL_MIN, INTERVAL_MAX, INTERVAL_DEFAULT = 2, 15, 5
LENGTH_MIN, LENGTH_MAX, LENGTH_DEFAULT = 5, 120, 60


class SpotSession(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting for a spotter")
        ACTIVE = "active", _("being spotted")
        ALARM = "alarm", _("missed check-in: alarm raised")
        ENDED = "ended", _("ended")

    class EndedBy(models.TextChoices):
        MEMBER = "member", _("the member ended it")
        LIMIT = "limit", _("it reached its time limit")
        SPOTTER = "spotter", _("the spotter closed it after an alarm")

    class Action(models.TextChoices):
        ANSWERED_LATE = "answered_late", _("They answered late: they are OK")
        CALLED_PERSON = "called_person", _("I called the person")
        CALLED_CONTACT = "called_contact", _("I called the contact in their note")
        CALLED_EMERGENCY = "called_emergency", _("I called emergency services")
        OTHER = "other", _("Something else")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="spot_sessions")
    room = models.OneToOneField("rooms.Room", null=True, blank=True, on_delete=models.SET_NULL, related_name="spot_session")
    # The member's own words for a rescue, not screened: shown to nobody but the member before an alarm.
    note = models.TextField(blank=True, default="", max_length=NOTE_MAX_LENGTH)
    interval_minutes = models.PositiveSmallIntegerField(default=INTERVAL_DEFAULT)
    length_minutes = models.PositiveSmallIntegerField(default=LENGTH_DEFAULT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True)
    created = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True, help_text="The member's last “I'm OK” (or the claim).")
    check_due_at = models.DateTimeField(null=True, blank=True, help_text="Next check-in: the page asks, the device sounds.")
    alarm_due_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="check_due_at plus the grace.")
    alarm_at = models.DateTimeField(null=True, blank=True)
    alarm_to_all = models.BooleanField(default=False, help_text="The spotter had gone: every supporter on duty was alarmed.")
    alarm_reached_nobody = models.BooleanField(
        default=False, help_text="The spotter had gone and nobody else was on duty: the alarm reached nobody.")
    ended_at = models.DateTimeField(null=True, blank=True, db_index=True)
    ended_by = models.CharField(max_length=10, choices=EndedBy.choices, blank=True, default="")
    action = models.CharField(max_length=20, choices=Action.choices, blank=True, default="")
    outcome = models.TextField(blank=True, default="", max_length=OUTCOME_MAX_LENGTH)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=~Q(status="ended"), name="spotsession_one_open_per_member"),
        ]

    def __str__(self) -> str:
        return f"spot session #{self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("spotting:session", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.ENDED


class SpotMonth(models.Model):
    """Anonymous monthly counts for the transparency page: they outlive the sessions, and name nobody."""

    month = models.DateField(unique=True, help_text="First day of the month.")
    sessions = models.PositiveIntegerField(default=0)
    spotted = models.PositiveIntegerField(default=0, help_text="Sessions a spotter claimed.")
    alarms = models.PositiveIntegerField(default=0)
    answered_late = models.PositiveIntegerField(default=0)
    called_person = models.PositiveIntegerField(default=0)
    called_contact = models.PositiveIntegerField(default=0)
    called_emergency = models.PositiveIntegerField(default=0)
    other = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["month"]

    def __str__(self) -> str:
        return f"spotting {self.month:%Y-%m}"
