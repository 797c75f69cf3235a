"""The forum's rule for who sees what (forum.permissions.visible_q), its SQL for the thread page's
hand-written reads (commons.sql.where_sql) and moderation's `visible_to`, which rooms read by, show each
reader the same objects."""

import pytest

from commons import sql

from forum.models import Post
from forum.permissions import readable, visible_q
from moderation.models import ModerationStatus


@pytest.mark.parametrize("who", ["visitor", "author", "someone else", "moderator"])
def test_the_forum_rule_agrees_with_the_queryset(peer, other_peer, moderator, thread_factory, who):
    thread = thread_factory(author=peer, title="Visibility", body="First.")
    for author in (peer, other_peer):
        for status in ModerationStatus.values:
            Post.objects.create(thread=thread, author=author, body=status, body_html=status, moderation_status=status)
    Post.objects.create(thread=thread, author=None, body="former", body_html="former", moderation_status=ModerationStatus.PENDING)
    reader = {"visitor": None, "author": peer, "someone else": other_peer, "moderator": moderator}[who]
    forum_rule = list(Post.objects.filter(visible_q(reader)).order_by("id").values_list("id", flat=True))
    assert forum_rule == list(Post.objects.visible_to(reader).order_by("id").values_list("id", flat=True))
    assert forum_rule == [post.id for post in Post.objects.order_by("id") if readable(reader, post)]
    condition, params = sql.where_sql(Post, visible_q(reader))
    assert forum_rule == [row[0] for row in sql.fetch_all(f"SELECT id FROM forum_post WHERE {condition} ORDER BY id", params)]
    assert len(forum_rule) == {"visitor": 3, "author": 5, "someone else": 5, "moderator": 8}[who]
