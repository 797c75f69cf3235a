"""Who may read and write what in the forum. Each check raises PermissionDenied with a readable reason."""

from django.core.exceptions import PermissionDenied

from forum.models import Board, Post, Thread
from moderation.models import ModerationStatus
from moderation.sanctions import check_can_write

MSG_SIGN_IN_TO_POST = "Please log in to post. Joining takes a pseudonym and a password."
MSG_MEMBERS_ONLY = "This board is for members only. Please log in to read it."
MSG_MODERATORS_ONLY_BOARD = "Moderators keep the guides in this board. Questions and ideas are welcome in a thread on another board."
MSG_THREAD_LOCKED = "This thread is locked, so it can't take new replies."
MSG_NOT_YOUR_POST = "Only the person who wrote this post can change it."
MSG_POST_REMOVED = "A moderator removed this post, so it can't be changed."
MSG_POST_DELETED = "This post was deleted, so it can't be changed."
MSG_POST_HIDDEN = "This post isn't available to you."
MSG_HISTORY_PRIVATE = "Only the person who wrote this post and moderators can see its edit history."
MSG_OWN_POST_REACTION = "You can't react to your own post."
MSG_MODERATORS_ONLY = "Only moderators can do this."


def _signed_in(peer) -> bool:
    return bool(peer and peer.is_authenticated)


def check_can_read_board(peer, board: Board) -> None:
    if board.visibility == Board.Visibility.MEMBERS and not _signed_in(peer):
        raise PermissionDenied(MSG_MEMBERS_ONLY)


def check_can_read_post(peer, post: Post) -> None:
    """The post's board is readable and the post is approved, or the reader wrote it or moderates."""
    check_can_read_board(peer, post.thread.board)
    if post.moderation_status == ModerationStatus.APPROVED:
        return
    if _signed_in(peer) and (post.author_id == peer.pk or peer.is_moderator):
        return
    raise PermissionDenied(MSG_POST_HIDDEN)


def can_see_post(peer, post: Post) -> bool:
    """Reading rules for moderation's reports (moderation.registry): the post is readable, and so is the
    thread it sits in (its first post, which carries the title)."""
    try:
        check_can_read_post(peer, post)
        first = Post.objects.filter(thread_id=post.thread_id).order_by("id").select_related("thread__board").first()
        if first is not None and first.pk != post.pk:
            check_can_read_post(peer, first)
    except PermissionDenied:
        return False
    return True


def check_can_post_in_board(peer, board: Board) -> None:
    if not _signed_in(peer):
        raise PermissionDenied(MSG_SIGN_IN_TO_POST)
    check_can_read_board(peer, board)
    check_can_write(peer)


def check_can_start_thread(peer, board: Board) -> None:
    check_can_post_in_board(peer, board)
    if board.moderators_only and not peer.is_moderator:
        raise PermissionDenied(MSG_MODERATORS_ONLY_BOARD)


def check_can_reply(peer, thread: Thread) -> None:
    check_can_post_in_board(peer, thread.board)
    if thread.locked:
        raise PermissionDenied(MSG_THREAD_LOCKED)


def check_can_change_post(peer, post: Post) -> None:
    """Edit or delete: the author only, while the post is neither removed nor deleted."""
    if not _signed_in(peer):
        raise PermissionDenied(MSG_SIGN_IN_TO_POST)
    if post.author_id != peer.pk:
        raise PermissionDenied(MSG_NOT_YOUR_POST)
    if post.is_deleted:
        raise PermissionDenied(MSG_POST_DELETED)
    if post.moderation_status == ModerationStatus.REJECTED:
        raise PermissionDenied(MSG_POST_REMOVED)
    check_can_write(peer)


def check_can_see_history(peer, post: Post) -> None:
    if not (_signed_in(peer) and (post.author_id == peer.pk or peer.is_moderator)):
        raise PermissionDenied(MSG_HISTORY_PRIVATE)


def check_can_react(peer, post: Post) -> None:
    if not _signed_in(peer):
        raise PermissionDenied(MSG_SIGN_IN_TO_POST)
    check_can_read_post(peer, post)
    if post.is_deleted:
        raise PermissionDenied(MSG_POST_DELETED)
    if post.author_id == peer.pk:
        raise PermissionDenied(MSG_OWN_POST_REACTION)
    check_can_write(peer)


def check_can_keep(peer, post: Post) -> None:
    """Bookmark a post or subscribe to its thread: private state, so a mute doesn't stop it."""
    if not _signed_in(peer):
        raise PermissionDenied(MSG_SIGN_IN_TO_POST)
    check_can_read_post(peer, post)


def check_can_moderate_thread(peer) -> None:
    if not (_signed_in(peer) and peer.is_moderator):
        raise PermissionDenied(MSG_MODERATORS_ONLY)
