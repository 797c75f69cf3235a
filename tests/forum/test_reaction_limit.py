"""Reactions have a limit like every other write (issue 13, item 8: they had none)."""

import pytest


@pytest.mark.django_db
def test_reactions_have_a_limit(auth_client, other_peer, thread_factory, settings):
    settings.RATE_LIMITS = {"forum_reaction": (3, 600)}
    thread = thread_factory(author=other_peer)
    post = thread.posts.get()
    statuses = [auth_client.post(f"/p/{post.pk}/react/", {"kind": kind, "action": action}).status_code
                for kind, action in [("helpful", "add"), ("helpful", "remove"), ("support", "add"), ("helpful", "add")]]
    assert statuses == [302, 302, 302, 429]
    assert post.reactions.count() == 1
