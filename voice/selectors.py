"""Community voice: reads. None of them writes (closing a due vote is voice.services.proposal_close)."""

import difflib
from dataclasses import dataclass

from django.db.models import QuerySet

from moderation.registry import Rule
from voice.models import Ballot, Candidacy, Electorate, Proposal, RulesVersion, RuleText


def current_version() -> RulesVersion | None:
    return RulesVersion.objects.order_by("-number").first()


def current_rules() -> list[RuleText]:
    version = current_version()
    return list(version.rules.all()) if version is not None else []


def rules_for_moderation() -> list[Rule]:
    """What moderators' decision form offers (registered with moderation.registry in voice's AppConfig.ready)."""
    return [Rule(number=r.number, title=r.title) for r in current_rules()]


@dataclass(frozen=True)
class RuleChange:
    number: int
    title: str
    change: str  # "added", "changed", "removed"
    lines: list[tuple[str, str]]  # (" ", "+" or "-", a line of the rule as it read)


@dataclass(frozen=True)
class VersionDiff:
    version: RulesVersion
    changes: list[RuleChange]


def _as_lines(title: str, text: str) -> list[str]:
    return [title, *text.splitlines()]


def rules_history() -> list[VersionDiff]:
    """Every version, newest first, each with what changed from the one before, line by line."""
    versions = list(RulesVersion.objects.select_related("proposal").order_by("number"))
    texts: dict[int, dict[int, RuleText]] = {}
    for rule in RuleText.objects.filter(version__in=versions):
        texts.setdefault(rule.version_id, {})[rule.number] = rule
    history, before = [], {}
    for version in versions:
        now = texts.get(version.pk, {})
        changes = []
        for number in sorted(set(before) | set(now)):
            old, new = before.get(number), now.get(number)
            old_lines = _as_lines(old.title, old.text) if old else []
            new_lines = _as_lines(new.title, new.text) if new else []
            if old_lines == new_lines:
                continue
            lines = [(line[0], line[2:]) for line in difflib.ndiff(old_lines, new_lines) if line[:1] in " +-"]
            change = "added" if old is None else "removed" if new is None else "changed"
            changes.append(RuleChange(number=number, title=(new or old).title, change=change, lines=lines))
        history.append(VersionDiff(version=version, changes=changes))
        before = now
    return history[::-1]


def proposals_open() -> QuerySet[Proposal]:
    return Proposal.objects.filter(status=Proposal.Status.OPEN).select_related("author", "nominee").order_by("closes_at")


def proposals_closed() -> QuerySet[Proposal]:
    return Proposal.objects.exclude(status=Proposal.Status.OPEN).select_related("author", "nominee").order_by("-closed_at", "-id")


def proposal_get(pk: int) -> Proposal | None:
    return Proposal.objects.select_related("author", "nominee", "thread", "reopens").filter(pk=pk).first()


def ballot_of(proposal: Proposal, peer) -> Ballot | None:
    """The person's own vote while the vote is open (only they see it)."""
    if not getattr(peer, "is_authenticated", False) or not proposal.is_open:
        return None
    return Ballot.objects.filter(proposal=proposal, voter=peer).first()


def in_electorate(proposal: Proposal, peer) -> bool:
    return bool(getattr(peer, "is_authenticated", False)) and Electorate.objects.filter(proposal=proposal, peer=peer).exists()


def is_standing(peer) -> bool:
    return bool(getattr(peer, "is_authenticated", False)) and Candidacy.objects.filter(peer=peer).exists()


def candidates() -> list[str]:
    return list(Candidacy.objects.filter(peer__is_active=True).order_by("peer__username").values_list("peer__username", flat=True))
