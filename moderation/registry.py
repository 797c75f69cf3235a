"""Kinds of held content that other apps register with moderation at start-up (their AppConfig.ready),
so that the queue can show, approve and remove them without moderation importing those apps.

Forum posts, room messages and members still go through moderation.targets and moderation.actions by
name (older code); the kinds here are the texts screened since issue 13: bios, rooms' titles, topics and
rules, and the answers of a help request.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HeldKind:
    kind: str  # a moderation.models.Target value
    noun: str  # "profile", "room", ...: "Your {noun} is waiting for a moderator"
    resolve: Callable  # (pk) -> moderation.targets.Resolved | None
    approve: Callable  # (obj, by) -> bool: the held text goes public
    reject: Callable  # (obj, by, reason) -> bool: the held text is dropped (the approved one, if any, stays)


_KINDS: dict[str, HeldKind] = {}


def register(kind: HeldKind) -> None:
    _KINDS[kind.kind] = kind


def get(kind: str) -> HeldKind | None:
    return _KINDS.get(kind)


def kinds() -> list[str]:
    return list(_KINDS)


# Who may see a reportable thing: reporting goes through the same rules as reading. Forum registers posts
# and rooms registers room messages (their AppConfig.ready); a kind nobody registered is seen by nobody.
_VISIBILITY: dict[str, Callable] = {}


def register_visibility(kind: str, can_see: Callable) -> None:
    """`can_see(reader, obj) -> bool` for targets of `kind`."""
    _VISIBILITY[kind] = can_see


def can_see(kind: str, reader, obj) -> bool:
    check = _VISIBILITY.get(kind)
    return bool(check is not None and check(reader, obj))
