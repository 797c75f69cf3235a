from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.models import Moderated, ModerationStatus

MESSAGE_MAX_LENGTH = 2000
TITLE_MAX_LENGTH, TOPIC_MAX_LENGTH, RULES_MAX_LENGTH = 100, 300, 2000
# Bounds of the numbers a host types in (the form, the services and a database constraint all hold them).
RETENTION_HOURS_MIN, RETENTION_HOURS_MAX = 1, 24 * 365
SLOW_MODE_SECONDS_MAX = 60 * 60


class Room(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        LIVE = "live", _("live")
        CLOSED = "closed", _("closed")

    class Visibility(models.TextChoices):
        MEMBERS = "members", _("all members")
        INVITED = "invited", _("invited only")

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    topic = models.CharField(max_length=TOPIC_MAX_LENGTH, blank=True, default="")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="hosted_rooms")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS)
    slow_mode_seconds = models.PositiveIntegerField(default=0, validators=[MaxValueValidator(SLOW_MODE_SECONDS_MAX)])
    retention_hours = models.PositiveIntegerField(
        default=72, validators=[MinValueValidator(RETENTION_HOURS_MIN), MaxValueValidator(RETENTION_HOURS_MAX)]
    )
    rules = models.TextField(blank=True, default="", max_length=RULES_MAX_LENGTH)
    # Screening of the title, topic and rules (rooms.services): a new room whose texts are held is shown
    # only to its hosts and the moderators until one approves it; a held edit of a public room waits in
    # pending_texts while the approved texts stay.
    moderation_status = models.CharField(
        max_length=10, choices=ModerationStatus.choices, default=ModerationStatus.APPROVED, db_index=True
    )
    moderation_reason = models.CharField(max_length=500, blank=True, default="")
    pending_texts = models.JSONField(default=dict, blank=True)
    show_names = models.BooleanField(
        default=False, help_text="Show the pseudonyms of the people online, not only how many there are."
    )
    cohosts = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="cohosted_rooms")
    invited = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="room_invitations")

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_hours__gte=RETENTION_HOURS_MIN, retention_hours__lte=RETENTION_HOURS_MAX),
                name="room_retention_hours_bounds",
            ),
            models.CheckConstraint(condition=Q(slow_mode_seconds__lte=SLOW_MODE_SECONDS_MAX), name="room_slow_mode_bounds"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("rooms:room", args=[self.slug])

    @property
    def group_name(self) -> str:
        """Channel-layer group of every socket open on this room."""
        return f"room.{self.pk}"

    def peer_group_name(self, peer_id: int) -> str:
        """Channel-layer group of one person's sockets in this room (their own echoes, removal)."""
        return f"room.{self.pk}.peer.{peer_id}"

    @property
    def moderators_group_name(self) -> str:
        """Sockets of hosts and moderators: they also see messages held for review."""
        return f"room.{self.pk}.mods"

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE

    @property
    def is_approved(self) -> bool:
        return self.moderation_status == ModerationStatus.APPROVED

    @property
    def kept_for(self) -> timedelta:
        """How long messages are kept. Clamped to the bounds: a row from before they existed must not stop a
        socket or the purge (OverflowError)."""
        hours = min(max(self.retention_hours or RETENTION_HOURS_MIN, RETENTION_HOURS_MIN), RETENTION_HOURS_MAX)
        return timedelta(hours=hours)

    @property
    def retention_cutoff(self):
        """Messages older than this are gone."""
        return timezone.now() - self.kept_for


class Message(Moderated):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="room_messages")
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    body_html = models.TextField()
    client_id = models.CharField(max_length=64, blank=True, default="")
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["room", "id"], name="message_room_order"),
            models.Index(fields=["author", "client_id"], name="message_client_id"),  # resent frames
        ]


class RoomMute(models.Model):
    """A person may read but not write in one room until `until`."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="mutes")
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_mutes")
    until = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True, default="")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["room", "peer", "until"], name="roommute_active")]


class RoomRemoval(models.Model):
    """A person removed from one room: their sockets close and they cannot come back."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="removals")
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_removals")
    reason = models.CharField(max_length=300, blank=True, default="")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "peer"], name="roomremoval_once")]


class Presence(models.Model):
    """One open socket, shared by every server process so "N online" is the same everywhere.

    A process that dies leaves rows behind; they stop counting once `seen_at` is older
    than ROOMS_PRESENCE_TTL seconds, because live sockets refresh it on a heartbeat.
    """

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="presences")
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel_name = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["room", "seen_at"], name="presence_room_seen")]
