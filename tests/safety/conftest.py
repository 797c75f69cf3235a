"""Fixtures for safety: alert authors of each kind, an alert factory, socket helpers."""

import asyncio
import contextlib
from datetime import timedelta

import pytest
from django.utils import timezone

from forum import services as forum_services
from moderation.models import ModerationStatus
from peers.models import Peer
from safety import services
from safety.models import DrugAlert

ALERT_FORM = {
    "substance": "Fentanyl",
    "summary": "Xylazine in fentanyl; heavier sedation and wounds reported.",
    "region": "Downtown",
    "severity": "danger",
    "source": "drug_checking",
    "days": "7",
}


@pytest.fixture
def established_peer(db, settings, peer_factory, thread_factory, moderator) -> Peer:
    """A member whose account is old enough and has enough published posts to post alerts (held for a moderator)."""
    settings.SAFETY_ESTABLISHED_DAYS = 30
    settings.SAFETY_ESTABLISHED_POSTS = 2
    member = peer_factory(username="oak-elder")
    Peer.objects.filter(pk=member.pk).update(date_joined=timezone.now() - timedelta(days=60))
    member.refresh_from_db()
    for number in range(2):
        thread = thread_factory(author=member, title=f"Thread number {number}", body="Sharing what I know.")
        post = thread.posts.get()
        if post.moderation_status != ModerationStatus.APPROVED:
            forum_services.post_moderate(post=post, status=ModerationStatus.APPROVED, by=moderator)
    return Peer.objects.get(pk=member.pk)


@pytest.fixture
def alert_factory(db, moderator):
    def make(*, author=None, days: int = 7, **fields) -> DrugAlert:
        values = {key: value for key, value in ALERT_FORM.items() if key != "days"} | fields
        return services.alert_create(author=author or moderator, days=days, **values)

    return make


@pytest.fixture
async def sockets():
    """Every WebsocketCommunicator a test opens is disconnected at the end."""
    opened = []
    yield opened
    for communicator in opened:
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await communicator.disconnect()
