from django.core.exceptions import PermissionDenied

from forum.models import Board, Thread

MSG_SIGN_IN_TO_POST = "Please log in to post. Joining takes a pseudonym and a password."
MSG_MEMBERS_ONLY = "This board is for members only. Please log in to read it."
MSG_THREAD_LOCKED = "This thread is locked, so it can't take new replies."


def check_can_read_board(peer, board: Board) -> None:
    if board.visibility == Board.Visibility.MEMBERS and not (peer and peer.is_authenticated):
        raise PermissionDenied(MSG_MEMBERS_ONLY)


def check_can_post_in_board(peer, board: Board) -> None:
    if not (peer and peer.is_authenticated):
        raise PermissionDenied(MSG_SIGN_IN_TO_POST)
    check_can_read_board(peer, board)


def check_can_reply(peer, thread: Thread) -> None:
    check_can_post_in_board(peer, thread.board)
    if thread.locked:
        raise PermissionDenied(MSG_THREAD_LOCKED)
