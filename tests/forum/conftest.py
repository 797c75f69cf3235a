"""Forum-only helpers."""

import pytest
from django.test import Client

from forum import services


@pytest.fixture
def thread(thread_factory, peer):
    return thread_factory(author=peer, title="Test strips and how to use them", body="Dilute the sample first.")


@pytest.fixture
def reply_factory():
    def make(*, thread, author, body: str = "A reply.", content_warning: str = ""):
        return services.post_create(thread=thread, author=author, body=body, content_warning=content_warning)

    return make


@pytest.fixture
def other_client(other_peer):
    """A second signed-in browser, for the person who is not the author."""
    other = Client()
    other.force_login(other_peer)
    return other


@pytest.fixture(autouse=True)
def _publish_without_screening(monkeypatch):
    """Forum tests are about the forum: screening (pre-moderation of new accounts, automatic holds)
    is moderation's to test. Tests about held posts patch `forum.services.screen` themselves."""
    from moderation.screening import Screening

    monkeypatch.setattr(services, "screen", lambda **kwargs: Screening())
