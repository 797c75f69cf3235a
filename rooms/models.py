from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from moderation.models import Moderated

MESSAGE_MAX_LENGTH = 2000


class Room(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "scheduled"
        LIVE = "live", "live"
        CLOSED = "closed", "closed"

    class Visibility(models.TextChoices):
        MEMBERS = "members", "all members"
        INVITED = "invited", "invited only"

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=100)
    topic = models.CharField(max_length=300, blank=True, default="")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="hosted_rooms")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS)
    slow_mode_seconds = models.PositiveIntegerField(default=0)
    retention_hours = models.PositiveIntegerField(default=72)
    rules = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("rooms:room", args=[self.slug])

    @property
    def retention_cutoff(self):
        return timezone.now() - timedelta(hours=self.retention_hours)


class Message(Moderated):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="room_messages")
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    body_html = models.TextField()
    client_id = models.CharField(max_length=64, blank=True, default="")
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["room", "id"], name="message_room_order")]
