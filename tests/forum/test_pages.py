"""Board, thread and home pages: order, page sizes, visibility."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from forum import selectors, services
from forum.models import Thread


def test_board_lists_pinned_first_then_newest_activity_25_a_page(client, peer, moderator, board, thread_factory):
    threads = [thread_factory(author=peer, title=f"Thread {n:02d}") for n in range(26)]
    now = timezone.now()
    for n, thread in enumerate(threads):
        Thread.objects.filter(pk=thread.pk).update(last_activity=now - timedelta(minutes=n))
    services.thread_pin(thread=threads[20], by=moderator)
    first = client.get(f"/b/{board.slug}/").content.decode()
    assert first.count('class="card thread-row') == 25
    order = [first.index(f"Thread {n:02d}") for n in (20, 0, 1, 24)]
    assert order == sorted(order)
    assert "Thread 25" not in first
    second = client.get(f"/b/{board.slug}/?page=2").content.decode()
    assert second.count('class="card thread-row') == 1 and "Thread 25" in second


def test_thread_shows_30_posts_a_page_oldest_first(client, peer, thread, reply_factory):
    replies = [reply_factory(thread=thread, author=peer, body=f"number {n}") for n in range(30)]
    first = client.get(thread.get_absolute_url()).content.decode()
    assert first.count('<article class="card post') == 30
    assert first.index("number 0") < first.index("number 28")
    second = client.get(thread.get_absolute_url() + "?page=2").content.decode()
    assert f'id="p{replies[-1].id}"' in second and second.count('<article class="card post') == 1


def test_home_hides_members_boards_from_visitors(board, members_board, peer):
    assert "Support" not in Client().get("/").content.decode().split("boards-heading")[1].split("rooms-heading")[0]
    member = Client()
    member.force_login(peer)
    assert members_board.title in member.get("/").content.decode()


def test_pages_have_no_inline_script_or_style(auth_client, thread):
    page = auth_client.get(thread.get_absolute_url()).content.decode()
    assert "<script>" not in page and "style=" not in page and " onclick" not in page


def test_every_board_page_lists_its_threads_in_order(client, peer, moderator, board, thread_factory):
    """60 threads, two pinned: pages 1 (read from the start), 2 and 3 (read from the end) hold the
    right threads in the right order, and the stored count follows each new thread."""
    threads = [thread_factory(author=peer, title=f"Thread {n:02d}") for n in range(60)]
    board.refresh_from_db()
    assert board.thread_count == 60
    now = timezone.now()
    for n, thread in enumerate(threads):
        Thread.objects.filter(pk=thread.pk).update(last_activity=now - timedelta(minutes=n))
    for pinned in (threads[41], threads[7]):
        services.thread_pin(thread=pinned, by=moderator)
    expected = [7, 41] + [n for n in range(60) if n not in (7, 41)]
    shown = []
    for number in (1, 2, 3):
        page = client.get(f"/b/{board.slug}/?page={number}").content.decode()
        shown += [int(found) for found in re.findall(r'class="thread-row__title" href="[^"]+">Thread (\d+)<', page)]
    assert shown == expected


def test_a_thread_row_says_how_long_ago_it_was_active(client, peer, board, thread_factory):
    thread = thread_factory(author=peer, title="Quiet thread")
    Thread.objects.filter(pk=thread.pk).update(last_activity=timezone.now() - timedelta(hours=3, minutes=20))
    assert "active 3 hours ago" in client.get(f"/b/{board.slug}/").content.decode()


@pytest.mark.parametrize(
    "elapsed, text",
    [
        (timedelta(seconds=30), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=59), "59 minutes ago"),
        (timedelta(hours=1, minutes=59), "1 hour ago"),
        (timedelta(days=2), "2 days ago"),
        (timedelta(days=15), "2 weeks ago"),
        (timedelta(days=65), "2 months ago"),
        (timedelta(days=800), "2 years ago"),
        (timedelta(seconds=-5), "just now"),  # a clock a little ahead
    ],
)
def test_time_ago_names_the_largest_whole_unit(elapsed, text):
    now = timezone.now()
    assert selectors.time_ago(now - elapsed, now) == text
