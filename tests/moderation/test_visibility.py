"""`visible_sql`, the hand-written SQL twin of `visible_to`, shows each reader the same objects."""

import pytest

from commons import sql
from forum.models import Post
from moderation.models import ModerationStatus, visible_sql


@pytest.mark.parametrize("who", ["visitor", "author", "someone else", "moderator"])
def test_hand_written_visibility_agrees_with_the_queryset(peer, other_peer, moderator, thread_factory, who):
    thread = thread_factory(author=peer, title="Visibility", body="First.")
    for author in (peer, other_peer):
        for status in ModerationStatus.values:
            Post.objects.create(thread=thread, author=author, body=status, body_html=status, moderation_status=status)
    Post.objects.create(thread=thread, author=None, body="former", body_html="former", moderation_status=ModerationStatus.PENDING)
    reader = {"visitor": None, "author": peer, "someone else": other_peer, "moderator": moderator}[who]
    condition, params = visible_sql(reader, "v")
    by_hand = [row[0] for row in sql.fetch_all(f"SELECT v.id FROM forum_post v WHERE {condition} ORDER BY v.id", params)]
    assert by_hand == list(Post.objects.visible_to(reader).order_by("id").values_list("id", flat=True))
    assert len(by_hand) == {"visitor": 3, "author": 5, "someone else": 5, "moderator": 8}[who]
