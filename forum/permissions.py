"""Who may read and write what in the forum. Each check raises PermissionDenied with a readable reason."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop

from forum.models import Board, Post, Thread
from moderation.models import ModerationStatus
from moderation.sanctions import check_can_write

MSG_SIGN_IN_TO_POST = gettext_noop("Please log in to post. Joining takes a pseudonym and a password.")
MSG_MEMBERS_ONLY = gettext_noop("This board is for members only. Please log in to read it.")
MSG_MODERATORS_ONLY_BOARD = gettext_noop("Moderators keep the guides in this board. Questions and ideas are welcome in a thread on another board.")
MSG_THREAD_LOCKED = gettext_noop("This thread is locked, so it can't take new replies.")
MSG_NOT_YOUR_POST = gettext_noop("Only the person who wrote this post can change it.")
MSG_POST_REMOVED = gettext_noop("A moderator removed this post, so it can't be changed.")
MSG_POST_DELETED = gettext_noop("This post was deleted, so it can't be changed.")
MSG_POST_HIDDEN = gettext_noop("This post isn't available to you.")
MSG_HISTORY_PRIVATE = gettext_noop("Only the person who wrote this post and moderators can see its edit history.")
MSG_OWN_POST_REACTION = gettext_noop("You can't react to your own post.")
MSG_MODERATORS_ONLY = gettext_noop("Only moderators can do this.")


def _signed_in(peer) -> bool:
    return bool(peer and peer.is_authenticated)


# --- who sees what: the one definition -------------------------------------------------------------
# Held, hidden and removed content is seen only by its author and by moderators. Posts and threads both
# carry `moderation_status` and `author` (a thread's are those of its first post, which carries the title),
# so one rule serves both. Every list and page of the forum reads through these; `readable` is the same
# rule for one object already in hand.


def visible_q(peer, *, prefix: str = "") -> Q:
    """Rows (posts, or threads with `prefix="thread__"`...) whose moderation status lets `peer` see them."""
    approved = Q(**{f"{prefix}moderation_status": ModerationStatus.APPROVED})
    if not _signed_in(peer):
        return approved
    if peer.is_moderator:
        return Q()
    return approved | Q(**{f"{prefix}author_id": peer.pk})


def threads_visible_q(peer, *, prefix: str = "") -> Q:
    """Threads `peer` may see listed and open: in a board they may read, opened by a post they may see."""
    visible = visible_q(peer, prefix=prefix)
    if not _signed_in(peer):
        visible &= Q(**{f"{prefix}board__visibility": Board.Visibility.PUBLIC})
    return visible


def posts_visible_q(peer) -> Q:
    """Posts `peer` may see: the post itself, and the thread it sits in."""
    return visible_q(peer) & threads_visible_q(peer, prefix="thread__")


def readable(peer, obj) -> bool:
    """`visible_q` for one post or thread in hand."""
    if obj.moderation_status == ModerationStatus.APPROVED:
        return True
    return _signed_in(peer) and (peer.is_moderator or obj.author_id == peer.pk)


def check_can_read_board(peer, board: Board) -> None:
    if board.visibility == Board.Visibility.MEMBERS and not _signed_in(peer):
        raise PermissionDenied(gettext(MSG_MEMBERS_ONLY))


def check_can_read_thread(peer, thread: Thread) -> None:
    check_can_read_board(peer, thread.board)
    if not readable(peer, thread):
        raise PermissionDenied(gettext(MSG_POST_HIDDEN))


def check_can_read_post(peer, post: Post) -> None:
    """The post and its thread are readable (threads_visible_q, visible_q), its board too."""
    check_can_read_thread(peer, post.thread)
    if not readable(peer, post):
        raise PermissionDenied(gettext(MSG_POST_HIDDEN))


def can_see_post(peer, post: Post) -> bool:
    """Reading rules for moderation's reports (moderation.registry) and for notifications."""
    try:
        check_can_read_post(peer, post)
    except PermissionDenied:
        return False
    return True


def check_can_post_in_board(peer, board: Board) -> None:
    if not _signed_in(peer):
        raise PermissionDenied(gettext(MSG_SIGN_IN_TO_POST))
    check_can_read_board(peer, board)
    check_can_write(peer)


def check_can_start_thread(peer, board: Board) -> None:
    check_can_post_in_board(peer, board)
    if board.moderators_only and not peer.is_moderator:
        raise PermissionDenied(gettext(MSG_MODERATORS_ONLY_BOARD))


def check_can_reply(peer, thread: Thread) -> None:
    check_can_post_in_board(peer, thread.board)
    check_can_read_thread(peer, thread)
    if thread.locked:
        raise PermissionDenied(gettext(MSG_THREAD_LOCKED))


def check_can_change_post(peer, post: Post) -> None:
    """Edit or delete: the author only, while the post is neither removed nor deleted."""
    if not _signed_in(peer):
        raise PermissionDenied(gettext(MSG_SIGN_IN_TO_POST))
    if post.author_id != peer.pk:
        raise PermissionDenied(gettext(MSG_NOT_YOUR_POST))
    if post.is_deleted:
        raise PermissionDenied(gettext(MSG_POST_DELETED))
    if post.moderation_status == ModerationStatus.REJECTED:
        raise PermissionDenied(gettext(MSG_POST_REMOVED))
    check_can_write(peer)


def check_can_see_history(peer, post: Post) -> None:
    if not (_signed_in(peer) and (post.author_id == peer.pk or peer.is_moderator)):
        raise PermissionDenied(gettext(MSG_HISTORY_PRIVATE))


def check_can_react(peer, post: Post) -> None:
    if not _signed_in(peer):
        raise PermissionDenied(gettext(MSG_SIGN_IN_TO_POST))
    check_can_read_post(peer, post)
    if post.is_deleted:
        raise PermissionDenied(gettext(MSG_POST_DELETED))
    if post.author_id == peer.pk:
        raise PermissionDenied(gettext(MSG_OWN_POST_REACTION))
    check_can_write(peer)


def check_can_keep(peer, post: Post) -> None:
    """Bookmark a post or subscribe to its thread: private state, so a mute doesn't stop it."""
    if not _signed_in(peer):
        raise PermissionDenied(gettext(MSG_SIGN_IN_TO_POST))
    check_can_read_post(peer, post)


def check_can_moderate_thread(peer) -> None:
    if not (_signed_in(peer) and peer.is_moderator):
        raise PermissionDenied(gettext(MSG_MODERATORS_ONLY))
