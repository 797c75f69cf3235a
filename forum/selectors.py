"""Reads for the forum, already joined so a template never queries per row."""

from django.db.models import QuerySet

from forum.models import Board, Post, Thread


def boards_visible_to(*, peer) -> QuerySet[Board]:
    boards = Board.objects.all()
    if peer is None or not peer.is_authenticated:
        boards = boards.filter(visibility=Board.Visibility.PUBLIC)
    return boards


def board_threads(*, board: Board) -> QuerySet[Thread]:
    return board.threads.select_related("author").order_by("-pinned", "-last_activity", "-id")


def thread_posts(*, thread: Thread, peer) -> QuerySet[Post]:
    return Post.objects.visible_to(peer).filter(thread=thread).select_related("author").order_by("id")


def posts_written_by(*, peer) -> QuerySet[Post]:
    return Post.objects.filter(author=peer).select_related("thread").order_by("id")
