"""Writes for the forum: every new thread and post goes through here."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from commons.markup import render_markdown
from forum.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, TITLE_MIN_LENGTH, Board, Post, Thread
from forum.permissions import check_can_post_in_board, check_can_reply
from moderation.screening import screen

MSG_TITLE_LENGTH = f"A title needs {TITLE_MIN_LENGTH} to {TITLE_MAX_LENGTH} characters."
MSG_BODY_EMPTY = "Please write something before posting."
MSG_BODY_TOO_LONG = f"A post can have at most {BODY_MAX_LENGTH:,} characters."


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(MSG_BODY_EMPTY, code="empty")
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(MSG_BODY_TOO_LONG, code="too_long")
    return body


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not TITLE_MIN_LENGTH <= len(title) <= TITLE_MAX_LENGTH:
        raise ValidationError(MSG_TITLE_LENGTH, code="title_length")
    return title


def _post_build(*, thread: Thread, author, body: str) -> Post:
    screening = screen(author=author, text=body, kind="post")
    return Post(
        thread=thread,
        author=author,
        body=body,
        body_html=render_markdown(body),
        moderation_status=screening.status,
        moderation_reason="; ".join(screening.reasons),
    )


@transaction.atomic
def thread_create(*, board: Board, author, title: str, body: str) -> Thread:
    """Start a thread with its first post; validates everything before writing."""
    check_can_post_in_board(author, board)
    title, body = _clean_title(title), _clean_body(body)
    thread = Thread.objects.create(board=board, author=author, title=title)
    _post_build(thread=thread, author=author, body=body).save()
    return thread


@transaction.atomic
def post_create(*, thread: Thread, author, body: str) -> Post:
    """Reply to a thread; the thread's activity and reply count move only for a published post."""
    check_can_reply(author, thread)
    post = _post_build(thread=thread, author=author, body=_clean_body(body))
    post.save()
    if not post.is_pending:
        Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") + 1, last_activity=timezone.now())
    return post
