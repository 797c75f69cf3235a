from django.conf import settings
from django.db import models
from django.db.models import Q


class ModerationStatus(models.TextChoices):
    PENDING = "pending", "waiting for a moderator"
    APPROVED = "approved", "approved"
    REJECTED = "rejected", "removed by a moderator"


class ModeratedQuerySet(models.QuerySet):
    """The one place that decides who sees what: the public sees approved objects only."""

    def approved(self):
        return self.filter(moderation_status=ModerationStatus.APPROVED)

    def visible_to(self, peer):
        if peer is None or not peer.is_authenticated:
            return self.approved()
        if peer.has_perm("peers.moderate"):
            return self
        return self.filter(Q(moderation_status=ModerationStatus.APPROVED) | Q(author=peer))


class Moderated(models.Model):
    """A moderated object: status, and who reviewed it, why and when. Needs an `author` field."""

    moderation_status = models.CharField(
        max_length=10, choices=ModerationStatus.choices, default=ModerationStatus.APPROVED, db_index=True
    )
    moderation_reason = models.CharField(max_length=500, blank=True, default="")
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.moderation_status == ModerationStatus.PENDING
