"""Fixtures for moderation: content to moderate, a second moderator, trust switched on."""

import importlib
import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from forum import services as forum_services
from peers import roles
from rooms import services as room_services
from rooms.models import Room
from tests.conftest import make_peer

_bodies = itertools.count(1)


@pytest.fixture(autouse=True)
def _migrated_data(request):
    """Transactional tests (here and in other apps) flush the tables, including what data migrations made:
    the role groups and the default hold patterns. Put them back before a test that needs the database."""
    uses_db = request.node.get_closest_marker("django_db") is not None or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("db")
    from django.apps import apps

    from moderation.models import SourcingPattern

    if not SourcingPattern.objects.exists():
        importlib.import_module("moderation.migrations.0002_default_patterns").add_defaults(apps, None)


@pytest.fixture
def _roles():
    """Kept for readability in async tests: the data is restored by _migrated_data."""


@pytest.fixture
def trust_on(settings):
    """Pre-moderation by trust as in production (tests/conftest.py turns it off for everyone else)."""
    settings.MODERATION_TRUST_MIN_POSTS = 3
    settings.MODERATION_TRUST_MIN_AGE_HOURS = 24
    return settings


@pytest.fixture
def second_moderator(db):
    return make_peer(roles.MODERATOR, username="mod-birch")


@pytest.fixture
def thread(db, board, other_peer):
    """A public thread (approved by a moderator if trust_on held it: replies need a thread others can see)."""
    thread = forum_services.thread_create(board=board, author=other_peer, title="Test strips", body="How do you use them?")
    first = thread.posts.get()
    if first.is_pending:
        forum_services.post_moderate(post=first, status="approved", by=None)
        thread.refresh_from_db()
    return thread


@pytest.fixture
def post_factory(thread):
    def make(*, author, body: str | None = None):
        return forum_services.post_create(thread=thread, author=author, body=body or f"A kind reply number {next(_bodies)}.")

    return make


@pytest.fixture
def room(db, organiser) -> Room:
    return room_services.room_create(slug="evening", title="Evening room", host=organiser, status=Room.Status.LIVE)


@pytest.fixture
def message_factory(room):
    def make(*, author, body: str | None = None):
        return room_services.message_store(room=room, author=author, body=body or f"hello {next(_bodies)}")

    return make


@pytest.fixture
def established_factory(db, post_factory, settings):
    """A member old enough and with enough approved posts to count as established once trust is on."""

    def make():
        member = make_peer()
        saved = settings.MODERATION_TRUST_MIN_POSTS, settings.MODERATION_TRUST_MIN_AGE_HOURS
        settings.MODERATION_TRUST_MIN_POSTS = settings.MODERATION_TRUST_MIN_AGE_HOURS = 0
        for _ in range(3):
            post_factory(author=member)
        settings.MODERATION_TRUST_MIN_POSTS, settings.MODERATION_TRUST_MIN_AGE_HOURS = saved
        member.date_joined = timezone.now() - timedelta(days=3)
        member.save(update_fields=["date_joined"])
        return member

    return make
