"""Writes for Get help now. Each validates, stores, then tells the supporters' board after commit.

Claim races are settled in the database: a claim is a conditional UPDATE
(`status = waiting` -> `claimed`), so of two supporters claiming at once exactly
one changes the row and the other is told it was taken. The same holds for
joining as backup and for escalation pushes, so any number of server processes
can run these at the same time.
"""

import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from commons.languages import said as _  # noqa: N812 (a str shown in the reader's language; see commons.languages.Said)
from commons.languages import valid_language
from commons.limits import limit_use
from commons.realtime import group_send_on_commit
from commons.refusals import Refusal
from commons.text import MSG_INVISIBLE_ONLY, has_visible_text
from helpnow.models import ANSWER_MAX_LENGTH, NOTE_MAX_LENGTH, Duty, HelpRequest
from helpnow.permissions import check_can_support, check_is_claimer, check_is_requester
from moderation import sanctions
from moderation.models import ModerationStatus, Target
from moderation.screening import screen
from moderation.queue import held_item_close, held_item_open
from peers.models import Peer
from peers.services import notification_send
from rooms import services as room_services
from rooms.models import Room

logger = logging.getLogger(__name__)
BOARD_GROUP = "helpnow.board"
ON_DUTY_CACHE_KEY = "helpnow:on_duty:v1"
ON_DUTY_CACHE_SECONDS = 30
PRIVATE_ROOM_TITLE = "Private support"
PUBLIC_SUPPORT_ROOM = "support"

# Refusals: the board's error codes and readable details (tests assert against these).
TAKEN = "taken"
LIMIT = "limit"
INVALID = "invalid"
FORBIDDEN = "forbidden"
CLOSED = "closed"

ALREADY_TAKEN = _("Another supporter has just taken this one. Thank you for being ready.")
BACKUP_TAKEN = _("Another supporter has already joined as backup.")
NO_BACKUP_ASKED = _("No backup was asked for in this conversation.")
CLAIM_LIMIT = _("You already have {limit} open conversations. Resolve one first: looking after yourself matters too.")
GO_ON_DUTY_FIRST = _("Go on duty first, then you can take requests.")
ALREADY_ENDED = _("This conversation has already ended.")
ALREADY_OPEN = _("You already have an open request. We've taken you back to it.")
ANSWER_TOO_LONG = _("Each answer can be up to {max} characters.", max=ANSWER_MAX_LENGTH)
NOTE_TOO_LONG = _("The handover note can be up to {max} characters.", max=NOTE_MAX_LENGTH)
BAD_DANGER = _("Please choose one of the answers offered for “Is anyone in danger right now?”.")
OWN_REQUEST = _("You can't take your own request. Another supporter will.")
NOT_RESOLVED_YET = _("You can rate the conversation once it has ended.")


def supporter_group(peer_id: int) -> str:
    """Channel-layer group of one supporter's board sockets."""
    return f"helpnow.supporter.{peer_id}"


def request_group(request_id: int) -> str:
    """Channel-layer group of the status sockets of one conversation's page."""
    return f"helpnow.request.{request_id}"


def _board_changed(help_request: HelpRequest | None = None) -> None:
    group_send_on_commit(BOARD_GROUP, {"type": "board.changed"})
    if help_request is not None:
        group_send_on_commit(request_group(help_request.pk), {"type": "request.changed"})


# --- duty ---------------------------------------------------------------------------------


def _shift_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(hours=settings.HELPNOW_SHIFT_MAX_HOURS)


def available_supporters_q(now: datetime | None = None) -> Q:
    """On duty, not on a break, shift not older than HELPNOW_SHIFT_MAX_HOURS (a forgotten "on duty" lapses)."""
    return Q(on_duty=True, on_break=False, since__gte=_shift_cutoff(now))


def on_duty_count() -> int:
    """How many supporters are available now; cached, so the header costs at most one small query."""
    count = cache.get(ON_DUTY_CACHE_KEY)
    if count is None:
        count = Duty.objects.filter(available_supporters_q()).count()
        cache.set(ON_DUTY_CACHE_KEY, count, ON_DUTY_CACHE_SECONDS)
    return count


def _duty_changed() -> None:
    # Now and again after commit: a page rendered in between may have cached the old count.
    cache.delete(ON_DUTY_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(ON_DUTY_CACHE_KEY))
    _board_changed()


def duty_get(*, supporter) -> Duty:
    duty, _ = Duty.objects.get_or_create(supporter=supporter)
    if duty.on_duty and duty.since and duty.since < _shift_cutoff():
        duty.on_duty, duty.on_break = False, False
        duty.save(update_fields=["on_duty", "on_break"])
    return duty


@transaction.atomic
def duty_set(*, supporter, on: bool) -> bool:
    """Go on or off duty. Going on duty starts a new shift (its resolved count starts at zero). False if unchanged."""
    check_can_support(supporter)
    limit_use("help_action", supporter.pk)
    duty = duty_get(supporter=supporter)
    duty = Duty.objects.select_for_update().get(pk=duty.pk)
    if duty.on_duty == on:
        return False
    duty.on_duty = on
    duty.on_break = False
    if on:
        duty.since = timezone.now()
    duty.save(update_fields=["on_duty", "on_break", "since"])
    _duty_changed()
    return True


@transaction.atomic
def break_set(*, supporter, on: bool) -> bool:
    """The "need a break" toggle: no new pushes while on, and not counted as available. False if unchanged."""
    check_can_support(supporter)
    limit_use("help_action", supporter.pk)
    duty = duty_get(supporter=supporter)
    duty = Duty.objects.select_for_update().get(pk=duty.pk)
    if not duty.on_duty:
        raise Refusal(INVALID, GO_ON_DUTY_FIRST)
    if duty.on_break == on:
        return False
    duty.on_break = on
    duty.save(update_fields=["on_break"])
    _duty_changed()
    return True


def open_claims(*, supporter) -> int:
    return HelpRequest.objects.filter(Q(claimed_by=supporter) | Q(backup_by=supporter), status=HelpRequest.Status.CLAIMED).count()


def resolved_in_shift(*, duty: Duty) -> int:
    if not duty.on_duty or duty.since is None:
        return 0
    return HelpRequest.objects.filter(
        Q(claimed_by=duty.supporter_id) | Q(backup_by=duty.supporter_id),
        status=HelpRequest.Status.RESOLVED, resolved_at__gte=duty.since,
    ).count()


# --- requests -----------------------------------------------------------------------------


PUSH_TEXT = {
    "new": _("Someone is asking for help now."),
    "waiting": _("Someone has been waiting for help for a while. Can you take it?"),
    "backup": _("A supporter is asking for backup in a conversation."),
}
PUSH_DANGER = _("They said someone may be in danger.")


def push_text(reason: str, *, danger: bool) -> str:
    """A push's words, in the active language (the board socket's person, or the notice's recipient)."""
    text = str(PUSH_TEXT[reason])
    return f"{text} {PUSH_DANGER}" if danger else text


def _push(help_request: HelpRequest, *, reason: str) -> list[int]:
    """Alert every available supporter (board socket, and an in-app notice unless it would only repeat one);
    returns who was told."""
    supporters = list(
        Duty.objects.filter(available_supporters_q())
        .exclude(supporter_id__in=[help_request.requester_id, help_request.claimed_by_id])
        .values_list("supporter_id", flat=True)
    )
    danger = help_request.may_be_in_danger
    # A request that keeps waiting is pushed to the boards every interval, but notified once: no pile of notices.
    notify = reason != "waiting" or help_request.escalations <= 1
    for peer in Peer.objects.filter(pk__in=supporters):
        if notify:
            with translation.override(valid_language(peer.language) or settings.LANGUAGE_CODE):
                text = push_text(reason, danger=danger)
            notification_send(recipient=peer, kind="helpnow", text=text, url="/supporters/")
        # The board socket words it in its own person's language (helpnow.consumers).
        group_send_on_commit(supporter_group(peer.pk), {"type": "board.push", "id": help_request.pk, "reason": reason,
                                                        "danger": danger})
    return supporters


def _validate_answers(*, happening, danger, would_help) -> tuple[str, str, str]:
    happening = (happening or "").strip() if isinstance(happening, str) or happening is None else None
    would_help = (would_help or "").strip() if isinstance(would_help, str) or would_help is None else None
    if happening is None or would_help is None or len(happening) > ANSWER_MAX_LENGTH or len(would_help) > ANSWER_MAX_LENGTH:
        raise Refusal(INVALID, ANSWER_TOO_LONG)
    if any(text and not has_visible_text(text) for text in (happening, would_help)):
        raise Refusal(INVALID, MSG_INVISIBLE_ONLY)
    danger = danger or ""
    if danger not in HelpRequest.Danger.values:
        raise Refusal(INVALID, BAD_DANGER)
    return happening, danger, would_help


ANSWERS_HELD = _("The person wrote something that a moderator checks first (it may hold contact details or similar).")
ANSWERS_REMOVED = _("A moderator took out what the person wrote.")


def _answers_screen(help_request: HelpRequest) -> None:
    """Screen the answers supporters will read; held ones enter the moderators' queue (caller's transaction)."""
    text = "\n".join(part for part in (help_request.happening, help_request.would_help) if part)
    if not text:
        return
    screening = screen(author=help_request.requester, text=text, kind="help")
    if screening.held:
        reason = "; ".join(screening.reasons)
        HelpRequest.objects.filter(pk=help_request.pk).update(answers_status=ModerationStatus.PENDING, answers_reason=reason[:500])
        help_request.answers_status, help_request.answers_reason = ModerationStatus.PENDING, reason[:500]
        held_item_open(kind=Target.HELP, target_id=help_request.pk, subject=help_request.requester, reason=reason)


def answers_decide(*, help_request: HelpRequest, approve: bool) -> bool:
    """A moderator lets supporters read held answers, or takes them out. False if they were not held."""
    status = ModerationStatus.APPROVED if approve else ModerationStatus.REJECTED
    with transaction.atomic():
        changed = HelpRequest.objects.filter(pk=help_request.pk, answers_status=ModerationStatus.PENDING).update(
            answers_status=status, **({"happening": "", "would_help": ""} if not approve else {}))
        if changed:
            _board_changed(help_request)
    return bool(changed)


def open_request_of(peer) -> HelpRequest | None:
    return HelpRequest.objects.filter(requester=peer).exclude(status=HelpRequest.Status.RESOLVED).first()


def private_room_create(*, prefix: str, title: str, topic: str, member) -> Room:
    """A live room only `member` and whoever is invited later (a supporter, a spotter) can open, under a slug
    nobody can guess (`<prefix>-<random>`), kept `HELPNOW_ROOM_RETENTION_HOURS` so a conversation still going on
    is never emptied. Help conversations and Spot me sessions both talk in one."""
    return room_services.room_create(
        slug=f"{prefix}-{secrets.token_hex(6)}", title=title, host=None, topic=topic,
        status=Room.Status.LIVE, visibility=Room.Visibility.INVITED, invited=[member],
        retention_hours=settings.HELPNOW_ROOM_RETENTION_HOURS,
    )


def request_create(*, requester, happening: str = "", danger: str = "", would_help: str = "") -> HelpRequest:
    """Open a help request and its private room (the person invited), and alert available supporters.

    Raises PermissionDenied (sanctions) or Refusal (bad answers, already has an open request).
    """
    happening, danger, would_help = _validate_answers(happening=happening, danger=danger, would_help=would_help)
    sanctions.check_can_write(requester)
    if open_request_of(requester) is None:  # going back to one's open request is not a new one
        limit_use("help_request", requester.pk)
    try:
        with transaction.atomic():
            if open_request_of(requester) is not None:
                raise Refusal(INVALID, ALREADY_OPEN)
            room = private_room_create(prefix="help", title=PRIVATE_ROOM_TITLE, member=requester,
                                       topic="A private one-to-one conversation with a peer supporter.")
            help_request = HelpRequest.objects.create(
                requester=requester, room=room, happening=happening, danger=danger, would_help=would_help,
            )
            _answers_screen(help_request)
            _push(help_request, reason="new")
            _board_changed()
    except IntegrityError:  # a second tab won the race for "one open request per person"
        raise Refusal(INVALID, ALREADY_OPEN) from None
    return help_request


def _check_claim_limit(supporter) -> None:
    limit = settings.HELPNOW_MAX_OPEN_CLAIMS
    if open_claims(supporter=supporter) >= limit:
        raise Refusal(LIMIT, CLAIM_LIMIT.format(limit=limit))


def _lock_supporter(supporter) -> Duty:
    """Serialise one supporter's claims (the claim limit) without blocking anyone else's."""
    duty = duty_get(supporter=supporter)
    duty = Duty.objects.select_for_update().get(pk=duty.pk)
    if not duty.on_duty:
        raise Refusal(FORBIDDEN, GO_ON_DUTY_FIRST)
    return duty


def request_claim(*, help_request: HelpRequest, supporter) -> HelpRequest:
    """Take a waiting request. Exactly one of several simultaneous claims wins; the others get Refusal(TAKEN)."""
    try:
        check_can_support(supporter)
    except PermissionDenied as refusal:
        raise Refusal(FORBIDDEN, str(refusal)) from None
    if help_request.requester_id == supporter.pk:
        raise Refusal(FORBIDDEN, OWN_REQUEST)
    limit_use("help_action", supporter.pk)
    with transaction.atomic():
        _lock_supporter(supporter)
        _check_claim_limit(supporter)
        now = timezone.now()
        won = HelpRequest.objects.filter(pk=help_request.pk, status=HelpRequest.Status.WAITING).update(
            status=HelpRequest.Status.CLAIMED, claimed_by=supporter, claimed_at=now,
        )
        if not won:
            current = HelpRequest.objects.filter(pk=help_request.pk).values_list("status", flat=True).first()
            raise Refusal(CLOSED if current in (None, HelpRequest.Status.RESOLVED) else TAKEN,
                          ALREADY_ENDED if current in (None, HelpRequest.Status.RESOLVED) else ALREADY_TAKEN)
        help_request.refresh_from_db()
        if help_request.room is not None:
            room_services.room_update(room=help_request.room, invited=[help_request.requester, supporter])
        _board_changed(help_request)
    return help_request


@transaction.atomic
def request_backup_ask(*, help_request: HelpRequest, by) -> bool:
    """The claiming supporter asks for a second supporter; the board shows it to everyone on duty. False if already asked."""
    help_request.refresh_from_db()
    check_is_claimer(by, help_request)
    limit_use("help_action", by.pk)
    if not help_request.is_open:
        raise Refusal(CLOSED, ALREADY_ENDED)
    changed = HelpRequest.objects.filter(
        pk=help_request.pk, status=HelpRequest.Status.CLAIMED, backup_requested_at__isnull=True
    ).update(backup_requested_at=timezone.now())
    if changed:
        help_request.refresh_from_db()
        _push(help_request, reason="backup")
        _board_changed()
    return bool(changed)


def request_backup_join(*, help_request: HelpRequest, supporter) -> HelpRequest:
    """Join a conversation as its backup supporter. One wins; the others get Refusal(TAKEN)."""
    help_request.refresh_from_db()
    try:
        check_can_support(supporter)
    except PermissionDenied as refusal:
        raise Refusal(FORBIDDEN, str(refusal)) from None
    if supporter.pk in (help_request.requester_id, help_request.claimed_by_id):
        raise Refusal(FORBIDDEN, OWN_REQUEST if supporter.pk == help_request.requester_id else BACKUP_TAKEN)
    limit_use("help_action", supporter.pk)
    with transaction.atomic():
        _lock_supporter(supporter)
        _check_claim_limit(supporter)
        won = HelpRequest.objects.filter(
            pk=help_request.pk, status=HelpRequest.Status.CLAIMED, backup_requested_at__isnull=False, backup_by__isnull=True,
        ).update(backup_by=supporter)
        if not won:
            current = HelpRequest.objects.filter(pk=help_request.pk).first()
            if current is None or not current.is_open:
                raise Refusal(CLOSED, ALREADY_ENDED)
            if current.backup_requested_at is None:
                raise Refusal(INVALID, NO_BACKUP_ASKED)
            raise Refusal(TAKEN, BACKUP_TAKEN)
        help_request.refresh_from_db()
        if help_request.room is not None:
            people = [p for p in (help_request.requester, help_request.claimed_by, supporter) if p is not None]
            room_services.room_update(room=help_request.room, invited=people)
        _board_changed(help_request)
    return help_request


def _end(*, help_request: HelpRequest, by, ended_by: str, note: str = "") -> bool:
    with transaction.atomic():
        changed = HelpRequest.objects.filter(pk=help_request.pk).exclude(status=HelpRequest.Status.RESOLVED).update(
            status=HelpRequest.Status.RESOLVED, resolved_at=timezone.now(), resolved_by=by, ended_by=ended_by, note=note,
        )
        if not changed:
            return False
        help_request.refresh_from_db()
        if help_request.room is not None:
            room_services.room_close(room=help_request.room, by=by)
        _board_changed(help_request)
    return True


def request_resolve(*, help_request: HelpRequest, by, note: str = "") -> bool:
    """A claiming supporter ends the conversation with a private handover note. False if it had already ended."""
    help_request.refresh_from_db()
    check_is_claimer(by, help_request)
    note = (note or "").strip() if isinstance(note, str) or note is None else None
    if note is None or len(note) > NOTE_MAX_LENGTH:
        raise Refusal(INVALID, NOTE_TOO_LONG)
    if note and not has_visible_text(note):
        raise Refusal(INVALID, MSG_INVISIBLE_ONLY)
    limit_use("help_action", by.pk)
    return _end(help_request=help_request, by=by, ended_by=HelpRequest.EndedBy.SUPPORTER, note=note)


def request_end(*, help_request: HelpRequest, by) -> bool:
    """The person ends their conversation (or withdraws a waiting request), at any time. False if already ended."""
    help_request.refresh_from_db()
    check_is_requester(by, help_request)
    ended_by = HelpRequest.EndedBy.WITHDRAWN if help_request.status == HelpRequest.Status.WAITING else HelpRequest.EndedBy.REQUESTER
    return _end(help_request=help_request, by=by, ended_by=ended_by)


@transaction.atomic
def request_rate(*, help_request: HelpRequest, by, helped: bool) -> bool:
    """The person's optional one-tap rating, once the conversation has ended. False if it was already that."""
    help_request.refresh_from_db()
    check_is_requester(by, help_request)
    if help_request.is_open:
        raise Refusal(INVALID, NOT_RESOLVED_YET)
    if not isinstance(helped, bool):
        raise Refusal(INVALID, gettext("Choose “it helped” or “it didn't help”."))
    limit_use("help_action", by.pk)
    return HelpRequest.objects.filter(pk=help_request.pk).exclude(helped=helped).update(helped=helped) > 0


# --- escalation and retention ------------------------------------------------------------


def requests_escalate(*, now: datetime | None = None) -> int:
    """Push every request waiting longer than HELPNOW_ESCALATE_AFTER_SECONDS to all available supporters again.

    Safe to run from any number of processes at once: each push is claimed by a conditional
    UPDATE on `pushed_at`, so a due request is pushed once per interval, by one process.
    """
    now = now or timezone.now()
    due_before = now - timedelta(seconds=settings.HELPNOW_ESCALATE_AFTER_SECONDS)
    pushed = 0
    due = HelpRequest.objects.filter(status=HelpRequest.Status.WAITING, created__lte=due_before, pushed_at__lte=due_before)
    for help_request in due.only("pk", "pushed_at"):
        with transaction.atomic():
            won = HelpRequest.objects.filter(pk=help_request.pk, status=HelpRequest.Status.WAITING, pushed_at=help_request.pushed_at).update(
                pushed_at=now, escalations=F("escalations") + 1,
            )
            if won:
                _push(HelpRequest.objects.get(pk=help_request.pk), reason="waiting")
                _board_changed()
                pushed += 1
    return pushed


def requests_purge(*, now: datetime | None = None) -> tuple[int, int]:
    """Delete each conversation HELPNOW_DELETE_AFTER_HOURS after it ended, room and messages included. An open
    report keeps nothing alive: a reported message is copied for the moderators (rooms.services.room_delete)
    and goes with the rest. Each conversation on its own: one that fails is logged (without naming it) and
    the others go on. Returns (deleted, messages copied for moderators)."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.HELPNOW_DELETE_AFTER_HOURS)
    deleted = copied = 0
    for help_request in HelpRequest.objects.filter(status=HelpRequest.Status.RESOLVED, resolved_at__lte=cutoff).select_related("room"):
        try:
            with transaction.atomic():
                if help_request.room is not None:
                    copied += room_services.room_delete(room=help_request.room) or 0
                held_item_close(kind=Target.HELP, target_id=help_request.pk)
                help_request.delete()
                deleted += 1
        except Exception as error:  # noqa: BLE001: one conversation must not stop the others
            logger.error("purge_help_requests: one conversation could not be deleted (%s); the others went on", type(error).__name__)
    return deleted, copied


@transaction.atomic
def conversations_delete(*, requester) -> int:
    """Deleting an account: the person's help requests go with their conversations, room and messages (the
    supporters' side too), whatever their state; a supporter's open page drops the messages and the board
    forgets the request. Messages under an open report are copied for the moderators first, as the purge
    does (rooms.services.room_delete). Returns how many requests. (Their export, offered before, holds them.)"""
    requests = list(HelpRequest.objects.select_for_update(of=("self",)).filter(requester=requester).select_related("room"))
    for help_request in requests:
        if help_request.room is not None:
            room_services.room_delete(room=help_request.room, clear_screens=True)
        held_item_close(kind=Target.HELP, target_id=help_request.pk)
        _board_changed(help_request)
        help_request.delete()
    return len(requests)
