from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


class ModerationStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a moderator")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("removed by a moderator")


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


# --- What moderators act on and what they did --------------------------------------------------

TARGET_KINDS = ("post", "message", "user")


class Target(models.TextChoices):
    POST = "post", _("post")
    MESSAGE = "message", _("room message")
    USER = "user", _("member")
    ALERT = "alert", _("drug alert")
    BIO = "bio", _("profile bio")
    ROOM = "room", _("room's title, topic or rules")
    HELP = "help", _("help request's answers")
    EDIT = "edit", _("held edit of a forum post")
    PROPOSAL = "proposal", _("community proposal")


class ReportReason(models.TextChoices):
    SOURCING = "sourcing", _("sourcing or selling")
    PERSONAL_INFO = "personal_info", _("personal information")
    HARASSMENT = "harassment", _("harassment")
    SPAM = "spam", _("spam")
    DANGEROUS_ADVICE = "dangerous_advice", _("dangerous advice")
    OTHER = "other", _("something else")


class QueueItem(models.Model):
    """One thing waiting for a moderator: held content, or a target gathering reports."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")

    target_kind = models.CharField(max_length=10, choices=Target.choices)
    target_id = models.PositiveBigIntegerField()
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The author of the content, or the member reported.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    held = models.BooleanField(default=False, help_text="Held by screening or pre-moderation.")
    hold_reason = models.CharField(max_length=500, blank=True, default="")
    report_count = models.PositiveIntegerField(default=0)
    auto_hidden = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    first_reviewed_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolution = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_kind", "target_id"], condition=Q(status="open"), name="queueitem_one_open_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target_kind}:{self.target_id}"

    @property
    def target_ref(self) -> str:
        return f"{self.target_kind}:{self.target_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def resolution_label(self) -> str:
        """How it was resolved, in the reader's words ("hidden", "closed elsewhere", ...)."""
        if self.resolution == "elsewhere":
            return gettext("closed elsewhere")
        if self.resolution in Action.values:
            return str(PUBLIC_ACTION_LABELS.get(self.resolution, Action(self.resolution).label))
        return self.resolution


class Report(models.Model):
    """One member's report of a post, a room message or a member. One open report per reporter and target."""

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_reports")
    item = models.ForeignKey(QueueItem, on_delete=models.CASCADE, related_name="reports")
    target_kind = models.CharField(max_length=10, choices=Target.choices)
    target_id = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    text = models.CharField(max_length=1000, blank=True, default="")
    reporter_established = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_kind", "target_id"], condition=Q(closed_at__isnull=True),
                name="report_one_open_per_reporter_target",
            )
        ]


class ReportedCopy(models.Model):
    """What an open report was about, kept for the moderators when the original goes with its retention
    (a room's messages, a private help conversation): reports keep nothing else alive. Removed with the
    report itself by `manage.py purge_reports` (moderation.queue.reports_purge)."""

    item = models.OneToOneField(QueueItem, on_delete=models.CASCADE, related_name="copy")
    author_name = models.CharField(max_length=100)
    where = models.CharField(max_length=300, blank=True, default="")
    body = models.TextField()
    body_html = models.TextField()
    written = models.DateTimeField()
    copied = models.DateTimeField(default=timezone.now)


class SourcingPattern(models.Model):
    """A word, phrase or regular expression that holds content for review. Moderators edit these in the app."""

    class Kind(models.TextChoices):
        PHRASE = "phrase", _("word or phrase")
        REGEX = "regex", _("regular expression")

    pattern = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PHRASE)
    note = models.CharField(max_length=200, blank=True, default="")
    is_active = models.BooleanField(default=True)
    created = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["pattern"]
        constraints = [models.UniqueConstraint(fields=["pattern", "kind"], name="sourcingpattern_unique")]

    def __str__(self) -> str:
        return self.pattern


class Action(models.TextChoices):
    APPROVE = "approve", _("approved")
    HIDE = "hide", _("hid")
    DELETE = "delete", _("deleted")
    REDACT = "redact", _("redacted")
    WARN = "warn", _("warned")
    MUTE = "mute", _("muted")
    SUSPEND = "suspend", _("suspended")
    BAN = "ban", _("banned")
    AUTO_HIDE = "auto_hide", _("hid after reports")
    DISMISS = "dismiss", _("dismissed reports on")
    APPEAL_UPHELD = "appeal_upheld", _("upheld an appeal on")
    APPEAL_OVERTURNED = "appeal_overturned", _("overturned")
    PATTERN_CHANGE = "pattern_change", _("changed hold patterns")
    VOTE_OUTCOME = "vote_outcome", _("community vote decided")
    OUTCOME_SUSPENDED = "outcome_suspended", _("suspended the outcome of")


SANCTION_ACTIONS = (Action.WARN, Action.MUTE, Action.SUSPEND, Action.BAN)
CONTENT_ACTIONS = (Action.APPROVE, Action.HIDE, Action.DELETE, Action.REDACT)


# The public log's words for each action and kind of content (moderation/log.html, /transparency/).
PUBLIC_ACTION_LABELS = {
    Action.APPROVE: _("approved"),
    Action.HIDE: _("hidden"),
    Action.DELETE: _("removed"),
    Action.REDACT: _("personal information edited out"),
    Action.WARN: _("warning"),
    Action.MUTE: _("muted"),
    Action.SUSPEND: _("suspended"),
    Action.BAN: _("banned"),
    Action.AUTO_HIDE: _("hidden after reports, until reviewed"),
    Action.DISMISS: _("reports dismissed"),
    Action.APPEAL_UPHELD: _("appeal: decision kept"),
    Action.APPEAL_OVERTURNED: _("appeal: decision reversed"),
    Action.PATTERN_CHANGE: _("hold list changed"),
    Action.VOTE_OUTCOME: _("community vote"),
    Action.OUTCOME_SUSPENDED: _("vote outcome suspended by an organiser"),
}
PUBLIC_KIND_LABELS = {Target.POST: _("forum post"), Target.MESSAGE: _("room message"), Target.USER: _("account"), Target.ALERT: _("drug alert"),
                      Target.BIO: _("profile bio"), Target.ROOM: _("room title or topic"), Target.HELP: _("help request"),
                      Target.EDIT: _("forum post edit"), Target.PROPOSAL: _("proposal")}


def rule_words(number: int | None, title: str) -> str:
    return gettext("Rule %(number)s: %(title)s") % {"number": number, "title": title} if number else ""


class AppendOnly(models.Model):
    """A row written once and never rewritten or deleted through the model (the audit trail)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError(f"The {self._meta.verbose_name_plural} are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"The {self._meta.verbose_name_plural} are append-only.")


class LogEntryQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionError("The moderation log is append-only; only moderation.compaction folds old entries into counts.")

    def _fold_delete(self) -> int:
        """For moderation.compaction only: remove entries it has just counted, in the same transaction."""
        return super().delete()[1].get(self.model._meta.label, 0)


class LogEntry(AppendOnly):
    """The audit log: one row per moderator action. Written once; the app offers no edit or delete.
    Entries older than MODERATION_LOG_DETAIL_DAYS are folded into LogMonth counts (moderation.compaction)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    target_kind = models.CharField(max_length=10, choices=Target.choices, blank=True, default="")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Whose content or account the action was about. Never shown in the public log.",
    )
    item = models.ForeignKey(QueueItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="log_entries")
    category = models.CharField(
        max_length=20, choices=ReportReason.choices, blank=True, default="",
        help_text="The rule or reason category: what the public log shows instead of the reason's words.",
    )
    # The community rule the decision rests on (moderation.registry.current_rules), copied as it read then:
    # the public log and the member's notice show it, and a later change of the rules never rewrites it.
    rule_number = models.PositiveSmallIntegerField(null=True, blank=True)
    rule_title = models.CharField(max_length=120, blank=True, default="")
    reason = models.CharField(max_length=500, blank=True, default="")
    until = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name_plural = "log entries"

    @property
    def actor_label(self) -> str:
        if self.action == Action.VOTE_OUTCOME:
            return gettext("the community")
        if self.actor_id is None:
            return gettext("automatic") if self.action == Action.AUTO_HIDE else gettext("a former moderator")
        return self.actor.username

    @property
    def target_label(self) -> str:
        """The target named without its content: for moderators' pages only (it names a reported member)."""
        if self.target_kind == Target.USER:
            return gettext("member %(name)s") % {"name": self.subject.username} if self.subject_id else gettext("a former member")
        if self.target_kind:
            return f"{Target(self.target_kind).label} #{self.target_id}"
        return ""

    @property
    def action_label(self) -> str:
        return str(PUBLIC_ACTION_LABELS.get(self.action, self.get_action_display()))

    @property
    def kind_label(self) -> str:
        """The kind of content, never which one or whose: what the public log shows."""
        return str(PUBLIC_KIND_LABELS.get(self.target_kind, ""))

    @property
    def rule_label(self) -> str:
        """"Rule 2: No personal information", or "" when the decision named no rule."""
        return rule_words(self.rule_number, self.rule_title)

    @property
    def public_reason(self) -> str:
        """Community votes and organisers' brakes are public acts: the log shows their words (they name nobody)."""
        return self.reason if self.action in (Action.VOTE_OUTCOME, Action.OUTCOME_SUSPENDED) else ""

    @property
    def category_label(self) -> str:
        if self.action in (Action.VOTE_OUTCOME, Action.OUTCOME_SUSPENDED):
            return ""
        if self.category:
            return str(self.get_category_display())
        if self.action in (Action.APPROVE, Action.DISMISS):
            return gettext("no rule broken")
        return ""

    @property
    def duration_label(self) -> str:
        """How long a mute or suspension lasts, in whole hours or days ("" for anything else)."""
        if self.until is None:
            return ""
        hours = max(1, round((self.until - self.created).total_seconds() / 3600))
        if hours % 24 == 0:
            days = hours // 24
            return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}
        return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}

    @property
    def is_appealable(self) -> bool:
        return self.action in (*SANCTION_ACTIONS, Action.HIDE, Action.DELETE, Action.REDACT, Action.AUTO_HIDE)


class LogMonth(models.Model):
    """What is left of log entries older than MODERATION_LOG_DETAIL_DAYS: how many there were per month,
    action, kind of content and category, and how many of them were appealed and reversed. Written only
    by moderation.compaction, in the same transaction that removes the entries it counts."""

    month = models.DateField(help_text="The first day of the month the entries were written in.")
    action = models.CharField(max_length=20, choices=Action.choices)
    target_kind = models.CharField(max_length=10, choices=Target.choices, blank=True, default="")
    category = models.CharField(max_length=20, choices=ReportReason.choices, blank=True, default="")
    count = models.PositiveIntegerField(default=0)
    appealed = models.PositiveIntegerField(default=0)
    overturned = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["month", "action", "target_kind", "category"]
        constraints = [
            models.UniqueConstraint(fields=["month", "action", "target_kind", "category"], name="logmonth_one_row_per_group")
        ]


class LogCompaction(AppendOnly):
    """One run of moderation.compaction that folded entries: when, up to which date, how many. Shown under
    the public log, so a gap in the detailed entries is always explained. Append-only, like the log."""

    ran_at = models.DateTimeField(default=timezone.now)
    cutoff = models.DateTimeField(help_text="Entries written before this were eligible.")
    entries = models.PositiveIntegerField()
    oldest = models.DateTimeField()
    newest = models.DateTimeField()

    class Meta:
        ordering = ["-ran_at", "-id"]


class Sanction(models.Model):
    """A warning, mute, suspension or ban on one person, from `starts` until `ends` (None: no end)."""

    class Kind(models.TextChoices):
        WARN = "warn", _("warning")
        MUTE = "mute", _("mute")
        SUSPEND = "suspend", _("suspension")
        BAN = "ban", _("ban")

    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(max_length=500)
    starts = models.DateTimeField(default=timezone.now)
    ends = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    log_entry = models.OneToOneField(LogEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="sanction")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["peer", "revoked_at"], name="sanction_peer_active")]


class Appeal(models.Model):
    """A sanctioned person's appeal against one action; decided by a moderator who didn't take it."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for a moderator")
        UPHELD = "upheld", _("decision kept")
        OVERTURNED = "overturned", _("decision reversed")

    log_entry = models.OneToOneField(LogEntry, on_delete=models.CASCADE, related_name="appeal")
    appellant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_appeals")
    text = models.TextField(max_length=2000)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    created = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["created", "id"]
