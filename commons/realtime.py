"""Real-time events leave only after the database has committed what they describe.

A failed send (Redis away) is logged, never raised: what it describes is already stored, and each app
catches up by itself (rooms replay from the database, docs/reliability.md).
"""

import hashlib
import logging
from collections.abc import Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def group_send_now(group: str, event: dict) -> bool:
    """Send `event` to channel-layer `group` from sync code; False (logged) if the layer failed."""
    layer = get_channel_layer()
    if layer is None:
        return False
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception as error:
        logger.warning("channel layer: sending %s failed (%s)", event.get("type"), type(error).__name__)
        return False
    return True


def group_send_on_commit(group: str, event: dict | Callable[[], dict]) -> None:
    """Send `event` to channel-layer `group` once the current transaction commits. `event` may be a function that
    builds it then, when it must read what the commit stored (a room's count of people online)."""
    transaction.on_commit(lambda: group_send_now(group, event() if callable(event) else event))


# --- sockets tied to the session -------------------------------------------------------------

CLOSE_SESSION_ENDED = 4401  # signed out, password changed, account deleted
CLOSE_FORBIDDEN = 4403  # suspended or banned


def person_group(peer_id: int) -> str:
    """Channel-layer group of every open socket of one signed-in person, on every process."""
    return f"person.{peer_id}"


def session_tag(session_key: str) -> str:
    """A session's name on the channel layer: a hash, so no session key travels through Redis."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:24]


def person_sockets_close(*, peer_id: int, code: int, only_session_key: str | None = None,
                         keep_session_key: str | None = None) -> None:
    """After commit, close every open socket of `peer_id` with `code` (4401 or 4403) on every process.

    `only_session_key`: only the sockets opened in that session (a logout); `keep_session_key`: all but those
    (a password change keeps the session it was made in)."""
    event = {"type": "person.close", "code": code}
    if only_session_key:
        event["only_session"] = session_tag(only_session_key)
    if keep_session_key:
        event["keep_session"] = session_tag(keep_session_key)
    group_send_on_commit(person_group(peer_id), event)


def person_notice_on_commit(*, peer_id: int, frame: dict) -> None:
    """After commit, hand `frame` to every open page of `peer_id`: the every-page socket (/ws/alerts/, safety)
    sends it on as it is; the person's other sockets ignore it (commons.consumers.GuardedConsumer.person_notice).
    How a content app reaches every page of a person without the alerts socket knowing about it."""
    group_send_on_commit(person_group(peer_id), {"type": "person.notice", "frame": frame})
