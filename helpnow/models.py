"""Get help now: supporters' duty state and one-to-one help requests.

The conversation itself is a rooms.Room (visibility "invited"): helpnow only points at it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.models import ModerationStatus

ANSWER_MAX_LENGTH = 1000
NOTE_MAX_LENGTH = 500


class Duty(models.Model):
    """One supporter's state: on duty since when, and whether they asked for a break."""

    supporter = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpnow_duty")
    on_duty = models.BooleanField(default=False, db_index=True)
    on_break = models.BooleanField(default=False)
    since = models.DateTimeField(null=True, blank=True, help_text="Start of the current shift.")

    def __str__(self) -> str:
        return f"{self.supporter} ({'on duty' if self.on_duty else 'off duty'})"


class HelpRequest(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting for a supporter")
        CLAIMED = "claimed", _("with a supporter")
        RESOLVED = "resolved", _("ended")

    class Danger(models.TextChoices):
        UNANSWERED = "", _("not answered")
        NO = "no", _("no")
        NOT_SURE = "not_sure", _("not sure")
        YES = "yes", _("yes")

    class EndedBy(models.TextChoices):
        SUPPORTER = "supporter", _("a supporter")
        REQUESTER = "requester", _("the person")
        WITHDRAWN = "withdrawn", _("withdrawn before anyone joined")

    # Private state: goes with the account.
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_requests")
    room = models.OneToOneField("rooms.Room", null=True, blank=True, on_delete=models.SET_NULL, related_name="help_request")
    happening = models.TextField(blank=True, default="", max_length=ANSWER_MAX_LENGTH)
    danger = models.CharField(max_length=10, choices=Danger.choices, blank=True, default=Danger.UNANSWERED)
    would_help = models.TextField(blank=True, default="", max_length=ANSWER_MAX_LENGTH)
    # Supporters read the answers, so they are screened: held ones are shown to the person and the moderators
    # only, and the supporters see that the person wrote something (the request itself never waits).
    answers_status = models.CharField(max_length=10, choices=ModerationStatus.choices, default=ModerationStatus.APPROVED)
    answers_reason = models.CharField(max_length=500, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    pushed_at = models.DateTimeField(default=timezone.now, help_text="Last time on-duty supporters were alerted.")
    escalations = models.PositiveIntegerField(default=0)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)
    backup_requested_at = models.DateTimeField(null=True, blank=True)
    backup_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True, db_index=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ended_by = models.CharField(max_length=10, choices=EndedBy.choices, blank=True, default="")
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True, default="", help_text="Private handover note, supporters only.")
    helped = models.BooleanField(null=True, blank=True, help_text="The person's one-tap rating, if they gave one.")

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            # One open request per person: a second "Get help now" goes back to the first.
            models.UniqueConstraint(fields=["requester"], condition=~Q(status="resolved"), name="helprequest_one_open_per_person"),
        ]

    def __str__(self) -> str:
        return f"help request #{self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("helpnow:request", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.RESOLVED

    @property
    def answers_public(self) -> bool:
        """May supporters read `happening` and `would_help`?"""
        return self.answers_status == ModerationStatus.APPROVED

    @property
    def may_be_in_danger(self) -> bool:
        return self.danger in (self.Danger.YES, self.Danger.NOT_SURE)

    def waited_seconds(self, now=None) -> int:
        end = self.claimed_at or self.resolved_at or now or timezone.now()
        return max(0, int((end - self.created).total_seconds()))
