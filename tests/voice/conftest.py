"""Community voice: everyone made by the fixtures is eligible unless a test changes the settings."""

import pytest

from community.demo import RULES
from tests.conftest import make_peer
from voice import services


@pytest.fixture(autouse=True)
def _voice_settings(settings):
    settings.VOICE_MIN_AGE_DAYS = 0
    settings.VOICE_MIN_POSTS = 0
    settings.VOICE_QUORUM_MIN = 3
    settings.VOICE_QUORUM_SHARE = 0.10


@pytest.fixture
def rules(db):
    services.rules_seed(rules=RULES)


@pytest.fixture
def members(db):
    """Five members, all eligible."""
    return [make_peer(username=f"member{i}") for i in range(5)]


@pytest.fixture
def proposal_factory(rules):
    def make(*, author, kind="rule_change", title="No personal information", text="Keep everyone's details out, yours too.",
             rule=2, nominee=""):
        return services.proposal_create(author=author, kind=kind, title=title, text=text, rule=rule, nominee=nominee)

    return make


def vote_all(proposal, voters, choices):
    for voter, choice in zip(voters, choices):
        services.vote_cast(proposal_id=proposal.pk, voter=voter, choice=choice, reason="it harms us" if choice == "block" else "")


def close_now(proposal):
    """Move the proposal's window into the past (the clock moved on) and close it."""
    from datetime import timedelta

    from django.utils import timezone

    from voice.models import Proposal

    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert services.proposal_close(proposal_id=proposal.pk)
    proposal.refresh_from_db()
    return proposal
