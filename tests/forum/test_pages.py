"""Board, thread and home pages: order, page sizes, visibility."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from forum import services
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
