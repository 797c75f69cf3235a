"""Board and thread pages cost the same number of SQL queries at 1 item and at a full page."""

import pytest
from django.test import Client

from forum import services
from forum.models import Reaction
from forum.views import POSTS_PER_PAGE, THREADS_PER_PAGE

# The same ceilings hold for one item and for a full page. Each page is asked for twice and the
# second time is counted: the first request of a session also fills the caches every page reads
# (session, permissions, unread count, alert banner, supporters on duty) and may store a first reading
# position, at most COLD_EXTRA queries more.
# Warm: the person (1), then board: the board, the threads a member sees beyond the public ones (their own held
# ones; none asked for a visitor), the page of threads; thread: the thread with the reading position,
# subscription and length, the page's posts with bookmarks, waiting edits and reactions;
# search: ranked ids, results.
BOARD_QUERIES = 4
THREAD_QUERIES = 3
SEARCH_QUERIES = 3
COLD_EXTRA = 10


def _busy_thread(thread, peer, peer_factory, size: int):
    others = [peer_factory() for _ in range(3)]
    for n in range(size - 1):
        post = services.post_create(thread=thread, author=others[n % 3], body=f"Reply **{n}** to @river")
        services.reaction_add(post=post, peer=peer, kind="helpful")
        services.reaction_add(post=post, peer=others[(n + 1) % 3], kind="support")
    return thread


@pytest.mark.parametrize("size", [1, THREADS_PER_PAGE])
@pytest.mark.parametrize("signed_in", [False, True])
def test_board_page_queries_are_constant(peer, peer_factory, board, thread_factory, django_assert_max_num_queries, size, signed_in):
    for n in range(size):
        thread_factory(author=peer_factory() if n % 2 else peer, title=f"Thread number {n}")
    client = Client()
    if signed_in:
        client.force_login(peer)
    with django_assert_max_num_queries(BOARD_QUERIES + COLD_EXTRA):
        client.get(f"/b/{board.slug}/")
    with django_assert_max_num_queries(BOARD_QUERIES):
        response = client.get(f"/b/{board.slug}/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card thread-row') == size


@pytest.mark.parametrize("size", [1, POSTS_PER_PAGE])
@pytest.mark.parametrize("signed_in", [False, True])
def test_thread_page_queries_are_constant(peer, peer_factory, thread_factory, django_assert_max_num_queries, size, signed_in):
    thread = _busy_thread(thread_factory(author=peer), peer, peer_factory, size)
    services.bookmark_set(post=thread.posts.first(), peer=peer, on=True)
    client = Client()
    if signed_in:
        client.force_login(peer)
    with django_assert_max_num_queries(THREAD_QUERIES + COLD_EXTRA):
        client.get(thread.get_absolute_url())
    with django_assert_max_num_queries(THREAD_QUERIES):
        response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('<article class="card post') == size
    assert Reaction.objects.count() == 2 * (size - 1)


@pytest.mark.parametrize("size", [1, 20])
def test_search_page_queries_are_constant(peer, thread_factory, django_assert_max_num_queries, size):
    for n in range(size):
        thread_factory(author=peer, title=f"Naloxone {n}", body="naloxone saves lives")
    client = Client()
    with django_assert_max_num_queries(SEARCH_QUERIES + COLD_EXTRA):
        client.get("/search/", {"q": "naloxone"})
    with django_assert_max_num_queries(SEARCH_QUERIES):
        response = client.get("/search/", {"q": "naloxone"})
    assert response.content.decode().count('class="card search-result"') == size


def test_home_page_queries_are_small(client, board, members_board, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200
