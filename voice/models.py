"""Community voice: the versioned rules, proposals and their votes (docs/voice.md).

Secrecy by construction: a Ballot is the only row that links a person to a choice. It lives while the vote is
open (so the person can change it) and is deleted in the transaction that counts it, which leaves only the
totals on the Proposal and the block reasons as BlockReason rows that carry no voter. Who could vote is kept in
Electorate (no choice), fixed when the proposal opens.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RULE_TITLE_MAX = 120
RULE_TEXT_MAX = 2000


class RulesVersion(models.Model):
    """One version of the whole rule book: every change makes a new one (its rules in RuleText)."""

    number = models.PositiveIntegerField(unique=True)
    created = models.DateTimeField(default=timezone.now)
    proposal = models.ForeignKey("Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 help_text="The proposal whose vote made this version (none: the first rules, or an organiser's brake).")
    summary = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["-number"]


class RuleText(models.Model):
    """A rule as it reads in one version. Numbers are never reused: a removed rule leaves its number unused,
    so that "rule 3" in an old decision still means the rule it meant."""

    version = models.ForeignKey(RulesVersion, on_delete=models.CASCADE, related_name="rules")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=RULE_TITLE_MAX)
    text = models.TextField(max_length=RULE_TEXT_MAX)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="ruletext_one_per_number")]


class Kind(models.TextChoices):
    RULE_ADD = "rule_add", _("add a rule")
    RULE_CHANGE = "rule_change", _("change a rule")
    RULE_REMOVE = "rule_remove", _("remove a rule")
    ELECTION = "election", _("elect a moderator")
    RECALL = "recall", _("recall a moderator")
    QUESTION = "question", _("an open question")


class Choice(models.TextChoices):
    AGREE = "agree", _("agree")
    ABSTAIN = "abstain", _("abstain")
    DISAGREE = "disagree", _("disagree")
    BLOCK = "block", _("block")


class VoteWindow:
    """What the voting core (voice.core) needs of a vote: `status` ("open" while it is), `closes_at`,
    `closed_at` and `voted_count`. Proposals and polls both are one."""

    OPEN = "open"

    @property
    def is_open(self) -> bool:
        return self.status == self.OPEN

    def is_due(self, now=None) -> bool:
        return self.is_open and self.closes_at <= (now or timezone.now())


class Proposal(VoteWindow, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("voting")
        ADOPTED = "adopted", _("adopted")
        NOT_ADOPTED = "not_adopted", _("not adopted")
        SUSPENDED = "suspended", _("adopted, then suspended by an organiser")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="proposals")
    title = models.CharField(max_length=RULE_TITLE_MAX)
    text = models.TextField(max_length=RULE_TEXT_MAX, blank=True, default="")
    rule_number = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The rule changed or removed.")
    nominee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    thread = models.ForeignKey("forum.Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reopens = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                help_text="The proposal whose outcome an organiser suspended: this is its new vote.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    opened = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField(db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Fixed when it opens.
    eligible_count = models.PositiveIntegerField(default=0)
    quorum = models.PositiveIntegerField(default=0)
    # Kept while open (a count of ballots, never their split); the totals are written when the vote closes.
    voted_count = models.PositiveIntegerField(default=0)
    agree = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)
    disagree = models.PositiveIntegerField(default=0)
    block = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=300, blank=True, default="")
    suspended_reason = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-opened", "-id"]
        constraints = [
            # One open proposal per member; a new vote opened by an organiser's brake is not the author's own.
            models.UniqueConstraint(fields=["author"], condition=Q(status="open", reopens__isnull=True),
                                    name="proposal_one_open_per_author"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("voice:proposal", args=[self.pk])


class Electorate(models.Model):
    """Who may vote on a proposal: fixed when it opens. Holds no choice."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "peer"], name="electorate_once")]


class Ballot(models.Model):
    """A vote while the window is open: the one link of a person to a choice, deleted when the vote closes."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    reason = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "voter"], name="ballot_one_per_voter")]


class BlockReason(models.Model):
    """A block's reason after the close, with no voter and in no order that follows the votes."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="block_reasons")
    text = models.CharField(max_length=500)


class Candidacy(models.Model):
    """A member who has said they would stand for moderator: an election may name only them."""

    peer = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    accepted = models.DateTimeField(default=timezone.now)


# --- polls in threads (on the same voting core: voice.core) --------------------------------------------

POLL_QUESTION_MAX = 200
POLL_OPTION_MAX = 100
POLL_OPTIONS_MIN = 2
POLL_OPTIONS_MAX = 50


class Poll(VoteWindow, models.Model):
    """A simple poll a thread's author adds to their thread. Like a proposal, a PollBallot is the only link of
    a person to a choice; it is deleted when the poll closes, leaving the totals on the options."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    thread = models.OneToOneField("forum.Thread", on_delete=models.CASCADE, related_name="+")
    question = models.CharField(max_length=POLL_QUESTION_MAX)
    several = models.BooleanField(default=False, help_text="People may choose several options.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    opened = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField(db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    voted_count = models.PositiveIntegerField(default=0, help_text="How many people have voted (never the split while open).")

    def get_absolute_url(self) -> str:
        return reverse("forum:thread", args=[self.thread_id]) + "#poll"


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=POLL_OPTION_MAX)
    votes = models.PositiveIntegerField(default=0, help_text="Written when the poll closes.")

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["poll", "position"], name="polloption_position_once")]


class PollBallot(models.Model):
    """One chosen option of one voter while the poll is open (several rows for a poll of several choices)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["option", "voter"], name="pollballot_once")]
        indexes = [models.Index(fields=["poll", "voter"], name="pollballot_poll_voter")]


# --- members' ratings of services (docs/voice.md, "Your voice on services") ------------------------------

RATING_COMMENT_MAX = 300


class ServiceRating(models.Model):
    """One member's rating of a service, with nothing that leads back to them: no author, no time, a random id
    (no order of arrival), and the service's rows written again in shuffled order at each new rating."""

    class CommentStatus(models.TextChoices):
        APPROVED = "approved", _("shown")
        PENDING = "pending", _("waiting for a moderator")
        REJECTED = "rejected", _("hidden by a moderator")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey("safety.ServiceEntry", on_delete=models.CASCADE, related_name="+")
    respect = models.PositiveSmallIntegerField()
    access = models.PositiveSmallIntegerField()
    wait = models.PositiveSmallIntegerField()
    comment = models.CharField(max_length=RATING_COMMENT_MAX, blank=True, default="")
    comment_status = models.CharField(max_length=10, choices=CommentStatus.choices, default=CommentStatus.APPROVED)


class RatingReceipt(models.Model):
    """That a member rated a service, and from which day they may rate it again: enforces "once per 90 days"
    and counts the different people who rated. Holds no rating id and no rating; its day is rounded to the
    week of the rating, so it cannot be matched to a rating by time either."""

    # Kept (without the person) when an account is deleted: the count of different people who rated stays.
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    service = models.ForeignKey("safety.ServiceEntry", on_delete=models.CASCADE, related_name="+")
    again_from = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["peer", "service"], name="ratingreceipt_once")]
