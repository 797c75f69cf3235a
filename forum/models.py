import functools
import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.utils.text import slugify

from moderation.models import Moderated, ModerationStatus

TITLE_MIN_LENGTH, TITLE_MAX_LENGTH = 3, 140
BODY_MAX_LENGTH = 20_000
CONTENT_WARNING_MAX_LENGTH = 100


def thread_slug(title: str) -> str:
    """The words of a thread's URL, from its title; never a word that names a page of its own after /t/<id>/
    (a thread titled "Reply" or "Poll" is at /t/<id>/reply-thread/, so its address never opens the reply form)."""
    slug = slugify(title)[:60] or "thread"
    return f"{slug}-thread" if slug in _thread_subpages() else slug


@functools.cache
def _thread_subpages() -> frozenset[str]:
    """The words that follow /t/<id>/ in the URL conf for a page other than the thread (forum's reply, read,
    subscribe...; voice's poll), read once from the URL conf so forum needs to know none of them."""
    words: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, route)
            elif match := re.fullmatch(r"t/<id:thread_id>/([a-z0-9-]+)/", route):
                words.add(match.group(1))

    walk(get_resolver().url_patterns, "")
    return frozenset(words)


class Board(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", "public"
        MEMBERS = "members", "members only"

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True, default="")
    position = models.PositiveIntegerField(default=0)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    moderators_only = models.BooleanField(
        default=False, help_text="Only moderators start threads here (curated guides); everyone reads."
    )
    # The threads a visitor sees here (opened by an approved post), kept by forum.services (thread_create
    # and every change of a first post's status), so the board page needn't count them.
    thread_count = models.PositiveIntegerField(default=0, editable=False)

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
    # Approved posts, deleted placeholders included: how many a visitor pages through. Kept by
    # forum.services (every change of a post's status goes through it), so the thread page needn't count.
    approved_post_count = models.PositiveIntegerField(default=0)
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    # The status of its first post, which carries the title: a thread opened by a held, hidden or removed
    # post is listed and readable only for its author and moderators (forum.permissions.threads_visible_q).
    # Kept by forum.services with the counters.
    moderation_status = models.CharField(max_length=10, choices=ModerationStatus.choices, default=ModerationStatus.APPROVED)

    class Meta:
        indexes = [
            # The board page's exact order, then what decides who sees a thread, so paging reads ids from
            # the index only (see forum.selectors).
            models.Index(fields=["board", "-pinned", "-last_activity", "-id", "moderation_status", "author"], name="thread_board_order"),
            # The few threads not public, per board and author: what a member or moderator sees beyond them.
            models.Index(fields=["board", "author"], condition=~Q(moderation_status="approved"), name="thread_board_unapproved"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def slug(self) -> str:
        return thread_slug(self.title)

    def get_absolute_url(self) -> str:
        return reverse("forum:thread_slug", args=[self.pk, self.slug])


class Post(Moderated):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts")
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    body_html = models.TextField()
    # Whether the overdose card goes under it (safety.overdose), decided once at write time like body_html.
    mentions_overdose = models.BooleanField(default=False, editable=False)
    content_warning = models.CharField(max_length=CONTENT_WARNING_MAX_LENGTH, blank=True, default="")
    created = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Kept up to date by forum.services on PostgreSQL only (GIN-indexed there); stays NULL on SQLite.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    class Meta:
        # Covers the thread page's filter (visible_to) and order, so paging a long thread reads the index only.
        indexes = [
            models.Index(fields=["thread", "id", "moderation_status", "author"], name="post_thread_visible"),
            # The few posts held or removed, per thread and author: what a reader sees beyond the approved
            # ones (forum.selectors.thread_for_reader counts them).
            models.Index(fields=["thread", "author"], condition=~Q(moderation_status="approved"), name="post_thread_unapproved"),
        ]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def get_absolute_url(self) -> str:
        return reverse("forum:post", args=[self.pk])


class PostRevision(models.Model):
    """The text of a post before an edit; shown to its author and to moderators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    content_warning = models.CharField(max_length=CONTENT_WARNING_MAX_LENGTH, blank=True, default="")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]


class PendingEdit(models.Model):
    """An edit of an approved post (and, on a first post, of its thread's title) that screening held: the
    approved version stays public until a moderator approves this one. At most one per post; a newer
    held edit replaces it (forum.services.post_edit)."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="pending_edit")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_pending_edits")
    body = models.TextField()
    content_warning = models.CharField(max_length=CONTENT_WARNING_MAX_LENGTH, blank=True, default="")
    title = models.CharField(max_length=TITLE_MAX_LENGTH, blank=True, default="", help_text="The thread's new title; blank: unchanged.")
    reason = models.CharField(max_length=500, blank=True, default="")
    created = models.DateTimeField(default=timezone.now)


class Reaction(models.Model):
    class Kind(models.TextChoices):
        HELPFUL = "helpful", "helpful"
        SUPPORT = "support", "support"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_reactions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "peer", "kind"], name="reaction_once_per_kind")]


class Subscription(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="subscriptions")
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "peer"], name="subscription_once")]


class Bookmark(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bookmarks")
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_bookmarks")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "peer"], name="bookmark_once")]


class ThreadRead(models.Model):
    """How far a peer has read a thread, for "jump to first unread"."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_reads")
    last_read_post_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "peer"], name="thread_read_once")]
