"""Writes for the forum: every thread, post, edit, reaction, bookmark and subscription goes through here."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop

from commons.limits import limit_use
from commons.markup import render_markdown
from commons.text import validate_visible
from forum import sqlite_search
from forum.selectors import is_first_post
from forum.models import (
    BODY_MAX_LENGTH,
    CONTENT_WARNING_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
    Board,
    Bookmark,
    PendingEdit,
    Post,
    PostRevision,
    Reaction,
    Subscription,
    Thread,
    ThreadRead,
)
from forum.permissions import (
    can_see_post,
    check_can_change_post,
    check_can_keep,
    check_can_moderate_thread,
    MSG_NOT_YOUR_POST,
    check_can_start_thread,
    check_can_react,
    check_can_reply,
)
from moderation.models import ModerationStatus, Target
from moderation.queue import held_item_close, held_item_open, reported_copies_keep_of
from moderation.screening import screen
from safety.overdose import html_mentions_overdose
from peers.services import notification_send, notifications_forget, notifications_retitle
from peers.models import Peer

# Each message is its English text (the msgid); gettext says it in the reader's language where it is raised.
# Those with a number keep their words in *_WORDS and the English sentence beside them.
MSG_TITLE_LENGTH_WORDS = gettext_noop("A title needs %(min)s to %(max)s characters.")
MSG_TITLE_LENGTH = MSG_TITLE_LENGTH_WORDS % {"min": TITLE_MIN_LENGTH, "max": TITLE_MAX_LENGTH}
MSG_BODY_EMPTY = gettext_noop("Please write something before posting.")
MSG_BODY_TOO_LONG_WORDS = gettext_noop("A post can have at most %(max)s characters.")
MSG_BODY_TOO_LONG = MSG_BODY_TOO_LONG_WORDS % {"max": f"{BODY_MAX_LENGTH:,}"}
MSG_CONTENT_WARNING_TOO_LONG_WORDS = gettext_noop("A content warning can have at most %(max)s characters.")
MSG_CONTENT_WARNING_TOO_LONG = MSG_CONTENT_WARNING_TOO_LONG_WORDS % {"max": CONTENT_WARNING_MAX_LENGTH}
MSG_UNKNOWN_REACTION = gettext_noop("That isn't a reaction we know.")
MSG_UNKNOWN_STATUS = gettext_noop("That isn't a moderation status.")
MSG_TITLE_FIRST_POST_ONLY = gettext_noop("Only the first post of a thread carries its title.")


def title_length_message() -> str:
    return gettext(MSG_TITLE_LENGTH_WORDS) % {"min": TITLE_MIN_LENGTH, "max": TITLE_MAX_LENGTH}


def body_too_long_message() -> str:
    return gettext(MSG_BODY_TOO_LONG_WORDS) % {"max": number_format(BODY_MAX_LENGTH, force_grouping=True)}

# Notices, kept in English and said in the reader's language when shown (peers.models.Notification.shown_text).
NOTICE_MENTION = gettext_noop("%(name)s mentioned you in “%(title)s”")
NOTICE_REPLY = gettext_noop("%(name)s replied in “%(title)s”")

MENTION_PATTERN = re.compile(r"(?<![\w@/.])@([A-Za-z0-9_.-]{3,30})")
MENTIONS_NOTIFIED_PER_POST = 10


# --- validation ------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(gettext(MSG_BODY_EMPTY), code="empty")
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(body_too_long_message(), code="too_long")
    validate_visible(body)
    return body


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    validate_visible(title)
    if not TITLE_MIN_LENGTH <= len(title) <= TITLE_MAX_LENGTH:
        raise ValidationError(title_length_message(), code="title_length")
    return title


def _clean_content_warning(content_warning: str) -> str:
    content_warning = " ".join((content_warning or "").split())
    if len(content_warning) > CONTENT_WARNING_MAX_LENGTH:
        raise ValidationError(gettext(MSG_CONTENT_WARNING_TOO_LONG_WORDS) % {"max": CONTENT_WARNING_MAX_LENGTH}, code="cw_too_long")
    validate_visible(content_warning)
    return content_warning


# --- helpers ---------------------------------------------------------------------------------


def _posting_limit(author) -> None:
    """One post (a thread's first or a reply) against the author's limit: stricter for accounts younger
    than FORUM_NEW_ACCOUNT_DAYS (moderators excepted). Called after validation, so a refused post does not count."""
    if timezone.now() - author.date_joined < timedelta(days=settings.FORUM_NEW_ACCOUNT_DAYS) and not author.is_moderator:
        limit_use("forum_post_new", author.pk)
    else:
        limit_use("forum_post", author.pk)


def _search_vector_refresh(post: Post, *, title: str = "") -> None:
    """PostgreSQL only: store the post's tsvector (title weighs more, first post only)."""
    if connection.vendor != "postgresql":
        return
    config = settings.FORUM_SEARCH_CONFIG
    if post.is_deleted:
        vector = None
    else:
        vector = SearchVector(Value(post.body, output_field=TextField()), weight="B", config=config)
        if title:
            vector = SearchVector(Value(title, output_field=TextField()), weight="A", config=config) + vector
    Post.objects.filter(pk=post.pk).update(search_vector=vector)


def _locked(post: Post) -> Post:
    """The post as stored now, its row locked until the transaction ends (caller is atomic)."""
    return Post.objects.select_for_update(of=("self",)).select_related("thread__board", "author").get(pk=post.pk)


# The thread counters, recounted from its posts: replies (approved, not deleted, first post excluded),
# approved posts (deleted placeholders included: the thread page's length), the latest activity, and the
# thread's status (its first post's: forum.permissions.threads_visible_q).
_RECOUNT_THREADS = (
    "UPDATE forum_thread SET"
    " moderation_status = COALESCE((SELECT p.moderation_status FROM forum_post p WHERE p.thread_id = forum_thread.id"
    "   ORDER BY p.id LIMIT 1), forum_thread.moderation_status),"
    " approved_post_count = (SELECT COUNT(*) FROM forum_post p WHERE p.thread_id = forum_thread.id AND p.moderation_status = %s),"
    " reply_count = (SELECT CASE WHEN COUNT(*) > 0 THEN COUNT(*) - 1 ELSE 0 END FROM forum_post p"
    "   WHERE p.thread_id = forum_thread.id AND p.moderation_status = %s AND p.deleted_at IS NULL),"
    " last_activity = COALESCE((SELECT MAX(p.created) FROM forum_post p"
    "   WHERE p.thread_id = forum_thread.id AND p.moderation_status = %s AND p.deleted_at IS NULL), forum_thread.created)"
)
_RECOUNT_BOARDS = (
    "UPDATE forum_board SET thread_count = (SELECT COUNT(*) FROM forum_thread t"
    f" WHERE t.board_id = forum_board.id AND t.moderation_status = '{ModerationStatus.APPROVED.value}')"
)
_APPROVED = [ModerationStatus.APPROVED.value] * 3


def _threads_counters_refresh(thread_ids: list[int]) -> None:
    """Recount threads' counters and status (_RECOUNT_THREADS), their rows locked in id order first, so a
    reply committed meanwhile is either counted here or adds its one after this write (post_create), never
    lost between the two. A thread whose status moved to or from approved moves its board's count."""
    if not thread_ids:
        return
    before = dict(
        Thread.objects.select_for_update(no_key=True).filter(pk__in=thread_ids).order_by("pk").values_list("id", "moderation_status")
    )
    placeholders = ", ".join(["%s"] * len(thread_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"{_RECOUNT_THREADS} WHERE forum_thread.id IN ({placeholders})", [*_APPROVED, *thread_ids])
    approved = ModerationStatus.APPROVED
    for thread_id, board_id, status in Thread.objects.filter(pk__in=thread_ids).values_list("id", "board_id", "moderation_status"):
        was_public, is_public = before.get(thread_id) == approved, status == approved
        if was_public != is_public:
            Board.objects.filter(pk=board_id).update(thread_count=F("thread_count") + (1 if is_public else -1))


def _thread_counters_refresh(thread_id: int) -> None:
    _threads_counters_refresh([thread_id])


@transaction.atomic
def counters_recount_all() -> None:
    """Recount every thread's counters and every board's threads from the posts themselves: after a
    deploy in which older code wrote while migration 0009 ran, or whenever a count is in doubt
    (`manage.py forum_recount`). A count that is too low or too high would shift a thread's or a
    board's later pages by its error."""
    with connection.cursor() as cursor:
        cursor.execute(_RECOUNT_THREADS, _APPROVED)
        cursor.execute(_RECOUNT_BOARDS)


def _mentioned_peers(body: str, *, author):
    names = {name.lower().rstrip(".") for name in MENTION_PATTERN.findall(body)}
    names.discard((author.username if author else "").lower())
    if not names:
        return []
    wanted = Q()
    for name in sorted(names)[:MENTIONS_NOTIFIED_PER_POST]:
        wanted |= Q(username__iexact=name)
    return list(Peer.objects.filter(wanted, is_active=True))


def _author_name(post: Post) -> str:
    """The pseudonym a notice names; "" for a former member (Notification.shown_text says so in the reader's words)."""
    return post.author.username if post.author else ""


def _notify_mentions(post: Post, *, except_in: str = "") -> set[int]:
    """Tell the people `post` mentions, except those `except_in` (an earlier text) already mentioned;
    returns who was told."""
    already = {peer.pk for peer in _mentioned_peers(except_in, author=post.author)} if except_in else set()
    told = set()
    for peer in _mentioned_peers(post.body, author=post.author):
        if peer.pk not in already and can_see_post(peer, post):
            notification_send(recipient=peer, kind="forum_mention", text=NOTICE_MENTION, url=post.get_absolute_url(),
                              params={"name": _author_name(post), "title": post.thread.title})
            told.add(peer.pk)
    return told


def _notify_published(post: Post) -> None:
    """Tell the people mentioned, then the thread's subscribers, once a post is public."""
    thread = post.thread
    told = _notify_mentions(post) | ({post.author.pk} if post.author else set())
    subscribers = Subscription.objects.filter(thread=thread).exclude(peer_id__in=told).select_related("peer")
    for subscription in subscribers:
        if not can_see_post(subscription.peer, post):
            continue  # a thread later held or hidden: its title and replies stay with those who may see it
        notification_send(recipient=subscription.peer, kind="forum_reply", text=NOTICE_REPLY, url=post.get_absolute_url(),
                          params={"name": _author_name(post), "title": thread.title})


def _body_set(post: Post, body: str) -> None:
    """The Markdown source and what is derived from it once, at write time: the sanitised HTML and
    whether the overdose card goes under it."""
    post.body = body
    post.body_html = render_markdown(body) if body else ""
    post.mentions_overdose = html_mentions_overdose(post.body_html)


def _held_item_open(post: Post) -> None:
    """A held post enters the moderators' queue in the transaction that holds it (the caller's)."""
    if post.is_pending:
        held_item_open(kind=Target.POST, target_id=post.pk, subject=post.author, reason=post.moderation_reason)


def _screened_text(*, body: str, content_warning: str, title: str = "") -> str:
    """Everything a post shows that screening reads: the thread's title (first post), its content warning, its body."""
    return "\n".join(part for part in (title, content_warning, body) if part)


def _post_build(*, thread: Thread, author, body: str, content_warning: str, title: str = "") -> Post:
    screening = screen(author=author, text=_screened_text(body=body, content_warning=content_warning, title=title), kind="post")
    post = Post(
        thread=thread,
        author=author,
        content_warning=content_warning,
        moderation_status=screening.status,
        moderation_reason="; ".join(screening.reasons),
    )
    _body_set(post, body)
    return post


# --- threads and posts -----------------------------------------------------------------------


@transaction.atomic
def thread_create(*, board: Board, author, title: str, body: str, content_warning: str = "") -> Thread:
    """Start a thread with its first post; validates everything before writing."""
    check_can_start_thread(author, board)
    title, body, content_warning = _clean_title(title), _clean_body(body), _clean_content_warning(content_warning)
    _posting_limit(author)
    thread = Thread.objects.create(board=board, author=author, title=title)
    post = _post_build(thread=thread, author=author, body=body, content_warning=content_warning, title=title)
    post.save()
    _held_item_open(post)
    # The title goes with the first post: a held first post holds the whole thread.
    thread.moderation_status = post.moderation_status
    if not post.is_pending:
        thread.approved_post_count = 1
        Board.objects.filter(pk=board.pk).update(thread_count=F("thread_count") + 1)
    thread.save(update_fields=["approved_post_count", "moderation_status"])
    _search_vector_refresh(post, title=title)
    Subscription.objects.get_or_create(thread=thread, peer=author)
    if not post.is_pending:
        _notify_published(post)
    return thread


@transaction.atomic
def post_create(*, thread: Thread, author, body: str, content_warning: str = "") -> Post:
    """Reply to a thread; the thread's activity and reply count move only for a published post."""
    check_can_reply(author, thread)
    body, content_warning = _clean_body(body), _clean_content_warning(content_warning)
    _posting_limit(author)
    post = _post_build(thread=thread, author=author, body=body, content_warning=content_warning)
    post.save()
    _held_item_open(post)
    _search_vector_refresh(post)
    if not post.is_pending:
        Thread.objects.filter(pk=thread.pk).update(
            reply_count=F("reply_count") + 1, approved_post_count=F("approved_post_count") + 1, last_activity=post.created
        )
        _notify_published(post)
    Subscription.objects.get_or_create(thread=thread, peer=author)
    return post


def _edit_apply(post: Post, *, body: str, content_warning: str, title: str) -> None:
    """Replace a post's text (and its thread's title) with an edit that is published; the previous text is
    kept as a revision. Mentions new in the text are told when the post is public. Caller holds the row lock."""
    PostRevision.objects.create(post=post, body=post.body, content_warning=post.content_warning)
    earlier_body = post.body
    _body_set(post, body)
    post.content_warning = content_warning
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "mentions_overdose", "content_warning", "edited_at"])
    thread, first = post.thread, is_first_post(post=post)
    if first and title != thread.title:
        Thread.objects.filter(pk=thread.pk).update(title=title)
        thread.title = title
    _search_vector_refresh(post, title=thread.title if first else "")
    if post.moderation_status == ModerationStatus.APPROVED:
        _notify_mentions(post, except_in=earlier_body)  # subscribers heard of it when it was published


def _pending_edit_drop(pending: PendingEdit) -> None:
    """The waiting edit goes (withdrawn, replaced, overtaken by a published edit or a deletion), and its queue item closes."""
    held_item_close(kind=Target.EDIT, target_id=pending.pk)
    pending.delete()


@transaction.atomic
def post_edit(*, post: Post, by, body: str, content_warning: str = "", title: str | None = None) -> bool:
    """The author changes a post, and on a thread's first post its title (`title`; None: unchanged).

    Screened as a new post is. On an approved post, an edit that would be held waits as a PendingEdit for a
    moderator and the approved version stays public; a second held edit replaces the waiting one. An edit
    that passes replaces the text at once (the previous text is kept as a revision) and drops any waiting
    edit. On a post still held, the edit replaces its text and the post stays held. Sending back the
    approved text withdraws a waiting edit. False if nothing changed."""
    post = _locked(post)
    check_can_change_post(by, post)
    body, content_warning = _clean_body(body), _clean_content_warning(content_warning)
    thread, first = post.thread, is_first_post(post=post)
    if title is not None and not first:
        raise ValidationError(gettext(MSG_TITLE_FIRST_POST_ONLY), code="title_not_first")
    title = _clean_title(title) if title is not None else thread.title
    pending = PendingEdit.objects.filter(post=post).first()
    if body == post.body and content_warning == post.content_warning and title == thread.title:
        if pending is None:
            return False
        _pending_edit_drop(pending)
        return True
    limit_use("forum_edit", by.pk)
    published = post.moderation_status == ModerationStatus.APPROVED
    new_title = title if title != thread.title else ""
    screening = screen(author=by, text=_screened_text(body=body, content_warning=content_warning, title=new_title),
                       kind="edit" if published else "post")
    if published and screening.held:
        if pending is not None:
            _pending_edit_drop(pending)  # the newer edit replaces it, as a new queue item
        pending = PendingEdit.objects.create(post=post, author=by, body=body, content_warning=content_warning, title=new_title,
                                             reason="; ".join(screening.reasons)[:500])
        held_item_open(kind=Target.EDIT, target_id=pending.pk, subject=by, reason=pending.reason)
        return True
    if pending is not None:
        _pending_edit_drop(pending)
    if screening.held:  # the post itself is still waiting (or hidden for review): it stays so, with the new reason
        post.moderation_reason = "; ".join(screening.reasons)[:500]
        post.save(update_fields=["moderation_reason"])
    _edit_apply(post, body=body, content_warning=content_warning, title=title)
    return True


@transaction.atomic
def pending_edit_approve(*, pending: PendingEdit, by) -> bool:
    """A moderator publishes a waiting edit: it replaces the approved text. False if it is gone (withdrawn,
    replaced by a newer edit, or decided already) or the post was deleted meanwhile."""
    pending = PendingEdit.objects.select_for_update().filter(pk=pending.pk).first()
    if pending is None:
        return False
    post = _locked(pending.post)
    if post.is_deleted:
        return False
    _edit_apply(post, body=pending.body, content_warning=pending.content_warning, title=pending.title or post.thread.title)
    pending.delete()
    return True


@transaction.atomic
def pending_edit_reject(*, pending: PendingEdit, by, reason: str = "") -> bool:
    """A moderator turns a waiting edit down: it goes, and the approved text stays. False if it was already gone."""
    return bool(PendingEdit.objects.filter(pk=pending.pk).delete()[0])


@transaction.atomic
def pending_edit_withdraw(*, post: Post, by) -> bool:
    """The author takes back their waiting edit; the approved text stays. False if none was waiting."""
    post = _locked(post)
    if not (by and by.is_authenticated and post.author_id == by.pk):
        raise PermissionDenied(gettext(MSG_NOT_YOUR_POST))
    pending = PendingEdit.objects.filter(post=post).first()
    if pending is None:
        return False
    _pending_edit_drop(pending)
    return True


def pending_edits_drop_for(*, post_ids) -> None:
    """Posts deleted or erased: their waiting edits go with them."""
    for pending in PendingEdit.objects.filter(post_id__in=post_ids):
        _pending_edit_drop(pending)


@transaction.atomic
def post_delete(*, post: Post, by) -> bool:
    """The author deletes a post: its text and history go, a placeholder stays in the thread."""
    post = _locked(post)
    if post.is_deleted:
        return False
    check_can_change_post(by, post)
    limit_use("forum_edit", by.pk)
    pending_edits_drop_for(post_ids=[post.pk])
    post.revisions.all().delete()
    post.bookmarks.all().delete()
    post.reactions.all().delete()
    _body_set(post, "")
    post.content_warning = ""
    post.deleted_at = timezone.now()
    post.save(update_fields=["body", "body_html", "mentions_overdose", "content_warning", "deleted_at"])
    _search_vector_refresh(post)
    _thread_counters_refresh(post.thread_id)
    return True


ERASED_TITLE = "Thread title erased by the person who started it"


def _copy_reported(post_ids: list[int]) -> int:
    posts = Post.objects.filter(pk__in=post_ids).select_related("author", "thread__board")
    return reported_copies_keep_of(kind=Target.POST, objects=list(posts), where=lambda p: f"{p.thread.board.title} › {p.thread.title}")


@transaction.atomic
def words_erase(*, author) -> int:
    """Deleting an account with "erase my words": every post `author` wrote loses its text, content warning
    and earlier versions, and leaves the search index, but stays as a placeholder ("deleted by the person
    who wrote it") so its thread reads on; threads they started lose their title. Notifications that point
    at an erased post go. Quotes of these posts inside other people's posts stay: they are the quoter's
    words (docs/accounts.md). A post under an open report is copied for the moderators first, as room messages
    are before any deletion (moderation.queue.reported_copies_keep; the report's purge removes the copy).
    Returns how many posts were erased. Called before the account row goes."""
    if author is None or author.pk is None:
        return 0
    rows = list(Post.objects.select_for_update(of=("self",)).filter(author=author).values_list("pk", "thread_id"))
    post_ids = [pk for pk, _ in rows]
    thread_ids = sorted({thread_id for _, thread_id in rows})
    started = list(Thread.objects.filter(author=author).values_list("pk", "title"))
    if not post_ids and not started:
        return 0
    _copy_reported(post_ids)
    pending_edits_drop_for(post_ids=post_ids)
    PostRevision.objects.filter(post_id__in=post_ids).delete()
    Bookmark.objects.filter(post_id__in=post_ids).delete()
    Reaction.objects.filter(post_id__in=post_ids).delete()
    Post.objects.filter(pk__in=post_ids).update(
        body="", body_html="", mentions_overdose=False, content_warning="", search_vector=None,
        deleted_at=Coalesce("deleted_at", Value(timezone.now())),
    )
    Thread.objects.filter(pk__in=[pk for pk, _ in started]).update(title=ERASED_TITLE)
    if connection.vendor == "sqlite":
        sqlite_search.forget(connection, post_ids)
    _threads_counters_refresh(thread_ids)
    notifications_forget(urls=[reverse("forum:post", args=[pk]) for pk in post_ids])
    for thread_id, title in started:
        in_thread = Post.objects.filter(thread_id=thread_id).values_list("pk", flat=True)
        notifications_retitle(urls=[reverse("forum:post", args=[pk]) for pk in in_thread], old=title, new=ERASED_TITLE)
    return len(post_ids)


@transaction.atomic
def post_moderate(*, post: Post, status: str, by, reason: str = "") -> bool:
    """Moderation sets a post's status (approve a held post, remove one); False when it already had it."""
    if status not in ModerationStatus.values:
        raise ValidationError(gettext(MSG_UNKNOWN_STATUS))
    original, post = post, _locked(post)
    if post.moderation_status == status:
        return False
    # Held at creation and never reviewed: approving it is its first publication (an auto-hidden post was public before).
    first_publication = (
        post.moderation_status == ModerationStatus.PENDING and post.moderated_at is None and status == ModerationStatus.APPROVED
    )
    post.moderation_status = status
    post.moderation_reason = reason[:500]
    post.moderated_by = by
    post.moderated_at = timezone.now()
    post.save(update_fields=["moderation_status", "moderation_reason", "moderated_by", "moderated_at"])
    for name in ("moderation_status", "moderation_reason", "moderated_by", "moderated_at"):
        setattr(original, name, getattr(post, name))
    if status != ModerationStatus.PENDING:
        held_item_close(kind=Target.POST, target_id=post.pk)  # decided here: a held item nobody reported closes
    _thread_counters_refresh(post.thread_id)
    if first_publication and not post.is_deleted:
        _notify_published(post)
    return True


@transaction.atomic
def post_redact(*, post: Post, body: str, by, reason: str = "") -> bool:
    """A moderator edits personal information out of a post; the earlier text stays in the revision history.

    False when the text is unchanged. The moderation status is moderation's to set (post_moderate).
    """
    check_can_moderate_thread(by)
    post = _locked(post)
    body = _clean_body(body)
    if post.is_deleted or body == post.body:
        return False
    PostRevision.objects.create(post=post, body=post.body, content_warning=post.content_warning)
    _body_set(post, body)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "mentions_overdose", "edited_at"])
    _search_vector_refresh(post, title=post.thread.title if is_first_post(post=post) else "")
    return True


@transaction.atomic
def thread_lock(*, thread: Thread, by, locked: bool = True) -> bool:
    """Moderators lock (or unlock) a thread; False when it already was."""
    check_can_moderate_thread(by)
    limit_use("moderator_action", by.pk)
    return bool(Thread.objects.filter(pk=thread.pk).exclude(locked=locked).update(locked=locked))


@transaction.atomic
def thread_pin(*, thread: Thread, by, pinned: bool = True) -> bool:
    """Moderators pin (or unpin) a thread to the top of its board; False when it already was."""
    check_can_moderate_thread(by)
    limit_use("moderator_action", by.pk)
    return bool(Thread.objects.filter(pk=thread.pk).exclude(pinned=pinned).update(pinned=pinned))


# --- reactions, bookmarks, subscriptions, reading position -----------------------------------


@transaction.atomic
def reaction_add(*, post: Post, peer, kind: str) -> bool:
    """Give a reaction once; False if this peer already gave it."""
    if kind not in Reaction.Kind.values:
        raise ValidationError(gettext(MSG_UNKNOWN_REACTION))
    check_can_react(peer, post)
    limit_use("forum_reaction", peer.pk)
    _, created = Reaction.objects.get_or_create(post=post, peer=peer, kind=kind)
    return created


@transaction.atomic
def reaction_remove(*, post: Post, peer, kind: str) -> bool:
    if kind not in Reaction.Kind.values:
        raise ValidationError(gettext(MSG_UNKNOWN_REACTION))
    check_can_react(peer, post)
    limit_use("forum_reaction", peer.pk)
    deleted, _ = Reaction.objects.filter(post=post, peer=peer, kind=kind).delete()
    return bool(deleted)


@transaction.atomic
def bookmark_set(*, post: Post, peer, on: bool) -> bool:
    check_can_keep(peer, post)
    limit_use("forum_keep", peer.pk)
    if on:
        return Bookmark.objects.get_or_create(post=post, peer=peer)[1]
    return bool(Bookmark.objects.filter(post=post, peer=peer).delete()[0])


@transaction.atomic
def subscription_set(*, thread: Thread, peer, on: bool) -> bool:
    first_post = Post.objects.select_related("thread__board").filter(thread=thread).order_by("id").first()
    if first_post is not None:
        check_can_keep(peer, first_post)
    limit_use("forum_keep", peer.pk)
    if on:
        return Subscription.objects.get_or_create(thread=thread, peer=peer)[1]
    return bool(Subscription.objects.filter(thread=thread, peer=peer).delete()[0])


def thread_mark_read(*, thread: Thread, peer, up_to_post_id: int, known_position: int | None = None) -> bool:
    """Move the peer's reading position forward (never back); False if it didn't move.

    `known_position`: the position the caller already read (selectors.thread_for_reader), saving a query.
    """
    if not (peer and peer.is_authenticated) or not up_to_post_id:
        return False
    if known_position is not None and known_position >= up_to_post_id:
        return False  # reading again what was read: nothing to ask, nothing to write
    reads = ThreadRead.objects.filter(thread=thread, peer=peer)
    position = known_position if known_position is not None else reads.values_list("last_read_post_id", flat=True).first()
    if position is not None and position >= up_to_post_id:
        return False  # reading again what was read: one SELECT, no write
    if position is not None:
        return bool(reads.filter(last_read_post_id__lt=up_to_post_id).update(last_read_post_id=up_to_post_id))
    _, created = ThreadRead.objects.get_or_create(thread=thread, peer=peer, defaults={"last_read_post_id": up_to_post_id})
    return created


@transaction.atomic
def board_ensure(*, slug: str, title: str, description: str = "") -> Board:
    """The board `slug`, made with `title` and `description` at the end of the list if it is missing (another
    app's own board: voice's "Proposals")."""
    board = Board.objects.filter(slug=slug).first()
    if board is None:
        last = Board.objects.order_by("-position").values_list("position", flat=True).first() or 0
        board, _ = Board.objects.get_or_create(slug=slug, defaults={"title": title, "description": description, "position": last + 1})
    return board
