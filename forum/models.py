from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from moderation.models import Moderated

TITLE_MIN_LENGTH, TITLE_MAX_LENGTH = 3, 140
BODY_MAX_LENGTH = 20_000


class Board(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", "public"
        MEMBERS = "members", "members only"

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True, default="")
    position = models.PositiveIntegerField(default=0)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:board", args=[self.slug])


class Thread(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="threads")
    created = models.DateTimeField(default=timezone.now)
    last_activity = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0)
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["board", "-pinned", "-last_activity"], name="thread_board_listing")]

    def __str__(self) -> str:
        return self.title

    @property
    def slug(self) -> str:
        return slugify(self.title)[:60] or "thread"

    def get_absolute_url(self) -> str:
        return reverse("forum:thread_slug", args=[self.pk, self.slug])


class Post(Moderated):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts")
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    body_html = models.TextField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["thread", "id"], name="post_thread_order")]

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#p{self.pk}"
