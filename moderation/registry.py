"""The kinds of moderated content, registered by the apps that own them at start-up (their AppConfig.ready), so
that moderation can find, show, approve, hide, redact and restore them without importing those apps
(docs/architecture.md, "Layers"; Django admin's and Wagtail's registries work the same way).

Two sorts register here with one HeldKind each:
- content that is public unless held or hidden, and that members may report: forum posts (forum.moderated),
  room messages (rooms.moderated), drug alerts (safety.moderated, reviewed on safety's own page);
- texts held for a moderator while the approved one stays (issue 13): bios (moderation.profiles), rooms'
  titles, topics and rules (rooms.moderated), a help request's answers (helpnow.moderated).
Members (`user:<name>`) are moderation's own kind (moderation.targets): peers stands below moderation.

An app also registers who may see a target of its kind (register_visibility: reporting follows reading's
rules), what the queue page shows beside its items (register_queue_notice) and what counts towards an
account's standing (register_standing_count, moderation.trust).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HeldKind:
    kind: str  # a moderation.models.Target value
    noun: str  # "profile", "post", ...: "Your {noun} was approved"
    resolve: Callable  # (pk) -> moderation.targets.Resolved | None
    approve: Callable  # (obj, by) -> bool: the held text or content goes public (False: it already was)
    reject: Callable  # (obj, by, reason) -> bool: hide it (a held text is dropped; the approved one, if any, stays)
    # Optional parts; a kind without one does not offer what it does.
    resolve_many: Callable | None = None  # (pks) -> {pk: Resolved}: the queue's page in one read per kind
    context: Callable | None = None  # (obj) -> [(author name, body_html)]: what came just before it, oldest first
    redact: Callable | None = None  # (obj, body, by, reason) -> bool: edit out personal information, publish the rest
    auto_hide: Callable | None = None  # (obj, reason) -> bool: out of view until a moderator looks (several reports)
    restore: Callable | None = None  # (obj, by, reason) -> bool: an appeal reversed a hide
    reportable: bool = False  # members may report it (`<kind>:<id>` on /report/)


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


# What waits for a moderator on another app's own page (drug alerts, directory suggestions): the queue page
# shows it above its items. Each notice is `() -> dict`, merged into the queue page's context.
_QUEUE_NOTICES: list[Callable] = []


def register_queue_notice(notice: Callable) -> None:
    if notice not in _QUEUE_NOTICES:
        _QUEUE_NOTICES.append(notice)


def queue_notices() -> dict:
    context: dict = {}
    for notice in _QUEUE_NOTICES:
        context.update(notice())
    return context


# How many approved contributions an account has, counted up to `at_least` (moderation.trust): the forum's
# approved posts. None registered: nobody counts as established by contributions.
_STANDING: list[Callable] = []


def register_standing_count(count: Callable) -> None:
    """`count(peer, at_least) -> int`."""
    _STANDING[:] = [count]


def standing_count(peer, *, at_least: int) -> int:
    return _STANDING[0](peer, at_least) if _STANDING else 0


# The community's current rules, kept by the app that versions them (voice registers its source in its
# AppConfig.ready). The decision form offers them; a decision copies the rule's number and title into its log
# entry, so a later change of the rules never rewrites what an old decision rested on. None registered: the
# form offers only "other".
@dataclass(frozen=True)
class Rule:
    number: int
    title: str


_RULES: list[Callable] = []


def register_rules(source: Callable) -> None:
    """`source() -> list[Rule]`: the rules in force now, in order."""
    _RULES[:] = [source]


def current_rules() -> list[Rule]:
    return list(_RULES[0]()) if _RULES else []
