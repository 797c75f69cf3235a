"""Community voice: the versioned rules, proposals and their votes (docs/voice.md).

Secrecy by construction: a Ballot is the only row that links a person to a choice. It lives while the vote is
open (so the person can change it) and is deleted in the transaction that counts it, which leaves only the
totals on the Proposal and the block reasons as BlockReason rows that carry no voter. Who could vote is kept in
Electorate (no choice), fixed when the proposal opens.
"""

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


class Proposal(models.Model):
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

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_due(self, now=None) -> bool:
        return self.is_open and self.closes_at <= (now or timezone.now())


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
