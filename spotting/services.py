"""Writes for Spot me. Each validates, stores, then tells the pages after commit.

The countdown is kept in the session row: `check_due_at` (the page asks, the member's device sounds) and
`alarm_due_at` (= check_due_at + the grace). Raising the alarm is a conditional UPDATE
(`status = active AND alarm_due_at <= now` -> `alarm`), so of several processes noticing the same missed
check-in exactly one raises it; claims work the same way (`status = waiting` -> `active`).
"""

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from commons.languages import valid_language
from commons.limits import limit_use
from commons.realtime import group_send_on_commit, person_notice_on_commit
from commons.refusals import Refusal
from commons.text import MSG_INVISIBLE_ONLY, has_visible_text
from helpnow.models import Duty
from helpnow.permissions import check_can_support
from helpnow.services import available_supporters_q, private_room_create
from moderation import sanctions
from moderation.selectors import has_open_report
from moderation.models import Target
from peers.models import Peer
from rooms import services as room_services
from rooms.models import Message, Room
from spotting.models import (
    INTERVAL_MAX, INTERVAL_MIN, LENGTH_MAX, LENGTH_MIN, NOTE_MAX_LENGTH, OUTCOME_MAX_LENGTH, SpotMonth, SpotSession,
)
from spotting.permissions import NOT_THE_MEMBER, NOT_THE_SPOTTER, is_spotter

logger = logging.getLogger(__name__)
BOARD_GROUP = "spotting.board"
ROOM_TITLE = "Spotting"

# Refusal codes (commons.refusals: forbidden 403, taken/closed 409, others 400)
INVALID, FORBIDDEN, TAKEN, CLOSED = "invalid", "forbidden", "taken", "closed"

ALREADY_OPEN = _("You already have a spotting session going: go back to it, or end it first.")
BAD_INTERVAL = format_lazy(_("Choose a check-in interval from {low} to {high} minutes."), low=INTERVAL_MIN, high=INTERVAL_MAX)
BAD_LENGTH = format_lazy(_("A session can last from {low} minutes to 2 hours ({high} minutes)."), low=LENGTH_MIN, high=LENGTH_MAX)
NOTE_TOO_LONG = format_lazy(_("The rescue note can be up to {n} characters."), n=f"{NOTE_MAX_LENGTH:,}")
OUTCOME_TOO_LONG = format_lazy(_("What happened can be up to {n} characters."), n=OUTCOME_MAX_LENGTH)
BAD_ACTION = _("Choose one of the things offered for what you did.")
ALREADY_TAKEN = _("Another supporter has just taken this one. Thank you for being ready.")
ALREADY_ENDED = _("This spotting session has already ended.")
GO_ON_DUTY_FIRST = _("Go on duty first, then you can spot someone.")
OWN_SESSION = _("You can't spot yourself. Another supporter will.")
NO_ALARM = _("There is no alarm to record in this session.")
ALREADY_RECORDED = _("What was done has already been recorded.")
NOT_STARTED = _("Nobody is spotting you yet, so there is nothing to check in to.")


def supporter_group(peer_id: int) -> str:
    """Channel-layer group of every open spotting-aware page of one supporter."""
    return f"spotting.supporter.{peer_id}"


def session_group(session_id: int) -> str:
    """Channel-layer group of the open pages of one session (the member's and the spotter's)."""
    return f"spotting.session.{session_id}"


def minutes(n: int) -> timedelta:
    return timedelta(seconds=n * settings.SPOTTING_MINUTE_SECONDS)


def grace() -> timedelta:
    return timedelta(seconds=settings.SPOTTING_GRACE_SECONDS)


def _changed(session: SpotSession) -> None:
    group_send_on_commit(BOARD_GROUP, {"type": "spot.changed"})
    group_send_on_commit(session_group(session.pk), {"type": "spot.changed"})


def _count(when: datetime, **fields: int) -> None:
    """Add to this month's anonymous counts (they outlive the sessions)."""
    month = date(when.year, when.month, 1)
    SpotMonth.objects.get_or_create(month=month)
    SpotMonth.objects.filter(month=month).update(**{name: F(name) + n for name, n in fields.items()})


def _schedule(*, last_ok: datetime, interval: int, ends_at: datetime) -> dict:
    """The next check-in after an answer at `last_ok`; the last one falls at the time limit."""
    check_due = min(last_ok + minutes(interval), ends_at)
    return {"last_ok_at": last_ok, "check_due_at": check_due, "alarm_due_at": check_due + grace()}


def available_supporter_ids(*, exclude=()) -> list[int]:
    return list(Duty.objects.filter(available_supporters_q()).exclude(supporter_id__in=[e for e in exclude if e])
                .values_list("supporter_id", flat=True))


def open_session_of(peer) -> SpotSession | None:
    return SpotSession.objects.filter(member=peer).exclude(status=SpotSession.Status.ENDED).first()


def _clean_int(value, low: int, high: int, message) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Refusal(INVALID, str(message))
    return value


def _clean_text(value, max_length: int, message) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > max_length:
        raise Refusal(INVALID, str(message))
    value = value.strip()
    if value and not has_visible_text(value):
        raise Refusal(INVALID, str(MSG_INVISIBLE_ONLY))
    return value


# --- the member ---------------------------------------------------------------------------


def session_start(*, member, interval_minutes: int, length_minutes: int, note: str = "") -> SpotSession:
    """Ask to be spotted: stores the session and its private chat room, and tells every supporter on duty.

    Raises PermissionDenied (sanctions) or Refusal (bad input, a session already going). The note is not
    screened: it is the member's own, read by nobody before an alarm.
    """
    interval_minutes = _clean_int(interval_minutes, INTERVAL_MIN, INTERVAL_MAX, BAD_INTERVAL)
    length_minutes = _clean_int(length_minutes, LENGTH_MIN, LENGTH_MAX, BAD_LENGTH)
    note = _clean_text(note, NOTE_MAX_LENGTH, NOTE_TOO_LONG)
    sanctions.check_can_write(member)
    if open_session_of(member) is not None:
        raise Refusal(INVALID, str(ALREADY_OPEN))
    limit_use("help_request", member.pk)
    now = timezone.now()
    try:
        with transaction.atomic():
            room = private_room_create(prefix="spot", title=ROOM_TITLE, member=member,
                                       topic="A private chat between a member and their spotter.")
            session = SpotSession.objects.create(
                member=member, room=room, note=note, interval_minutes=interval_minutes, length_minutes=length_minutes,
                created=now, ends_at=now + minutes(length_minutes),
            )
            _count(now, sessions=1)
            text = push_text(interval_minutes)  # each supporter's socket says it again in their own language
            for supporter_id in available_supporter_ids(exclude=[member.pk]):
                group_send_on_commit(supporter_group(supporter_id),
                                     {"type": "spot.push", "id": session.pk, "text": text, "minutes": interval_minutes})
            _changed(session)
    except IntegrityError:  # a second tab won the race for "one open session per member"
        raise Refusal(INVALID, str(ALREADY_OPEN)) from None
    return session


def session_ok(*, session: SpotSession, by, now: datetime | None = None) -> bool:
    """The member's "I'm OK": the countdown starts again. Answered at or after the time limit, the session ends.
    During an alarm it is stored and shown to the spotter (who still records what happened). False if ended."""
    if by is None or not by.is_authenticated or session.member_id != by.pk:
        raise Refusal(FORBIDDEN, str(NOT_THE_MEMBER))
    now = now or timezone.now()
    with transaction.atomic():
        current = SpotSession.objects.select_for_update().filter(pk=session.pk).first()
        if current is None or current.status == SpotSession.Status.ENDED:
            raise Refusal(CLOSED, str(ALREADY_ENDED))
        if current.status == SpotSession.Status.WAITING:
            raise Refusal(INVALID, str(NOT_STARTED))
        if current.status == SpotSession.Status.ALARM:
            SpotSession.objects.filter(pk=session.pk).update(last_ok_at=now)
        elif now >= current.ends_at:
            _end(current, ended_by=SpotSession.EndedBy.LIMIT, now=now, last_ok_at=now)
        else:
            SpotSession.objects.filter(pk=session.pk).update(**_schedule(last_ok=now, interval=current.interval_minutes, ends_at=current.ends_at))
        _changed(current)
    session.refresh_from_db()
    return True


def _end(session: SpotSession, *, ended_by: str, now: datetime, **fields) -> bool:
    changed = SpotSession.objects.filter(pk=session.pk).exclude(status=SpotSession.Status.ENDED).update(
        status=SpotSession.Status.ENDED, ended_at=now, ended_by=ended_by, check_due_at=None, alarm_due_at=None, **fields)
    if changed and session.room_id is not None:
        room = Room.objects.filter(pk=session.room_id).first()
        if room is not None:
            room_services.room_close(room=room, by=None)
    return bool(changed)


def session_end(*, session: SpotSession, by) -> bool:
    """The member ends the session at any time (never rate-limited). False if it had already ended."""
    if by is None or not by.is_authenticated or session.member_id != by.pk:
        raise PermissionDenied(NOT_THE_MEMBER)
    with transaction.atomic():
        changed = _end(session, ended_by=SpotSession.EndedBy.MEMBER, now=timezone.now())
        if changed:
            _changed(session)
    session.refresh_from_db()
    return changed


# --- the spotter --------------------------------------------------------------------------


def session_claim(*, session: SpotSession, supporter) -> SpotSession:
    """Take a waiting session. Exactly one of several simultaneous claims wins; the others get Refusal(TAKEN).
    The countdown starts now, and so does the time limit."""
    try:
        check_can_support(supporter)
    except PermissionDenied as refusal:
        raise Refusal(FORBIDDEN, str(refusal)) from None
    if session.member_id == supporter.pk:
        raise Refusal(FORBIDDEN, str(OWN_SESSION))
    if not Duty.objects.filter(available_supporters_q(), supporter=supporter).exists():
        raise Refusal(FORBIDDEN, str(GO_ON_DUTY_FIRST))
    limit_use("help_action", supporter.pk)
    now = timezone.now()
    with transaction.atomic():
        current = SpotSession.objects.filter(pk=session.pk).values("interval_minutes", "length_minutes").first()
        if current is None:
            raise Refusal(CLOSED, str(ALREADY_ENDED))
        ends_at = now + minutes(current["length_minutes"])
        won = SpotSession.objects.filter(pk=session.pk, status=SpotSession.Status.WAITING).update(
            status=SpotSession.Status.ACTIVE, claimed_by=supporter, claimed_at=now, ends_at=ends_at,
            **_schedule(last_ok=now, interval=current["interval_minutes"], ends_at=ends_at),
        )
        if not won:
            status = SpotSession.objects.filter(pk=session.pk).values_list("status", flat=True).first()
            if status in (None, SpotSession.Status.ENDED):
                raise Refusal(CLOSED, str(ALREADY_ENDED))
            raise Refusal(TAKEN, str(ALREADY_TAKEN))
        session.refresh_from_db()
        if session.room_id is not None:
            room_services.room_update(room=session.room, invited=[session.member, supporter])
        _count(now, spotted=1)
        _changed(session)
    return session


def session_record(*, session: SpotSession, by, action: str, outcome: str = "") -> SpotSession:
    """The spotter records what they did after an alarm and how it ended. "They answered late" takes the
    session back to its countdown; anything else ends it. Only one record per alarm (a conditional UPDATE)."""
    session.refresh_from_db()
    if not is_spotter(by, session):
        raise Refusal(FORBIDDEN, str(NOT_THE_SPOTTER))
    if action not in SpotSession.Action.values:
        raise Refusal(INVALID, str(BAD_ACTION))
    outcome = _clean_text(outcome, OUTCOME_MAX_LENGTH, OUTCOME_TOO_LONG)
    if session.alarm_at is None:
        raise Refusal(INVALID, str(NO_ALARM))
    limit_use("help_action", by.pk)
    now = timezone.now()
    resume = action == SpotSession.Action.ANSWERED_LATE and session.status == SpotSession.Status.ALARM and now < session.ends_at
    fields = {"action": action, "outcome": outcome, "recorded_by": by, "recorded_at": now, "claimed_by": by}
    if resume:
        fields.update(status=SpotSession.Status.ACTIVE, **_schedule(last_ok=now, interval=session.interval_minutes, ends_at=session.ends_at))
    took_over = session.claimed_by_id != by.pk
    with transaction.atomic():
        won = SpotSession.objects.filter(pk=session.pk, alarm_at=session.alarm_at, recorded_at__isnull=True).update(**fields)
        if not won:
            raise Refusal(TAKEN, str(ALREADY_RECORDED))
        if not resume:
            _end(session, ended_by=SpotSession.EndedBy.SPOTTER, now=now)
        _count(now, **{action: 1})
        session.refresh_from_db()
        if session.room_id is not None and took_over:  # a supporter answering an alarm sent to everyone
            room_services.room_update(room=session.room, invited=[session.member, by])
        _changed(session)
    return session


# --- the clock: alarms, time limits, the purge ----------------------------------------------


def push_text(interval_minutes: int) -> str:
    """The note a supporter's pages show for a new request, in the active language."""
    return str(_("Someone is asking to be spotted (check-ins every {n} minutes).")).format(n=interval_minutes)


def _alarm_frame(session: SpotSession) -> dict:
    return {"type": "spot.alarm", "id": session.pk}


def alarm_html(session: SpotSession, *, note: str | None, on_its_page: bool = False) -> str:
    """The alarm banner: rescue note (None: not theirs to read), last answer, link to the session, overdose steps."""
    return render_to_string("spotting/_alarm.html", {
        "session": session, "note": note, "on_its_page": on_its_page, "EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER,
    })


def _page_alarm_frame(session: SpotSession) -> dict:
    """The alarm for every other open page of a recipient (over /ws/alerts/; static/js/spotting-page-alarm.js).
    Every recipient may read the note: the spotter, or, when it went to everyone, any supporter on duty."""
    return {"type": "spot_alarm", "id": session.pk, "html": alarm_html(session, note=session.note)}


def alarm_raise(*, session_id: int, now: datetime | None = None) -> bool:
    """Raise the alarm of one session whose grace has passed. Exactly one caller wins, on any process: the
    conditional UPDATE decides. The winner tells the spotter's every open page, or every supporter on duty
    when the spotter has gone (off duty, on a break, shift lapsed)."""
    now = now or timezone.now()
    with transaction.atomic():
        won = SpotSession.objects.filter(pk=session_id, status=SpotSession.Status.ACTIVE, alarm_due_at__lte=now).update(
            status=SpotSession.Status.ALARM, alarm_at=now, alarm_reached_nobody=False, recorded_at=None, recorded_by=None, action="", outcome="")
        if not won:
            return False
        session = SpotSession.objects.get(pk=session_id)
        spotter_there = session.claimed_by_id is not None and Duty.objects.filter(
            available_supporters_q(now), supporter_id=session.claimed_by_id).exists()
        recipients = [session.claimed_by_id] if spotter_there else available_supporter_ids(exclude=[session.member_id])
        reached_nobody = not recipients  # decided here, once, so the page, a reload and a reconnect agree
        if not spotter_there:
            SpotSession.objects.filter(pk=session_id).update(alarm_to_all=True, alarm_reached_nobody=reached_nobody)
            session.alarm_to_all, session.alarm_reached_nobody = True, reached_nobody
            if session.claimed_by_id:
                recipients.append(session.claimed_by_id)
        _count(now, alarms=1)
        languages = dict(Peer.objects.filter(pk__in=recipients).values_list("pk", "language"))
        page_frames = {}  # one banner per language, each recipient's own (their account's choice)
        for supporter_id in recipients:
            language = valid_language(languages.get(supporter_id)) or settings.LANGUAGE_CODE
            if language not in page_frames:
                with translation.override(language):
                    page_frames[language] = _page_alarm_frame(session)
            group_send_on_commit(supporter_group(supporter_id), _alarm_frame(session))
            person_notice_on_commit(peer_id=supporter_id, frame=page_frames[language])
        _changed(session)
    logger.info("spotting: alarm raised (%s)", "spotter" if spotter_there else
                "nobody reachable" if reached_nobody else "every supporter on duty")
    return True


def alarms_raise(*, now: datetime | None = None) -> int:
    """Every session whose grace has passed gets its alarm, once. Safe from any number of processes."""
    now = now or timezone.now()
    due = SpotSession.objects.filter(status=SpotSession.Status.ACTIVE, alarm_due_at__lte=now).values_list("pk", flat=True)
    return sum(alarm_raise(session_id=pk, now=now) for pk in list(due))


def unclaimed_end(*, now: datetime | None = None) -> int:
    """A request nobody claimed ends at its time limit."""
    now = now or timezone.now()
    ended = 0
    for session in SpotSession.objects.filter(status=SpotSession.Status.WAITING, ends_at__lte=now):
        with transaction.atomic():
            if _end(session, ended_by=SpotSession.EndedBy.LIMIT, now=now):
                _changed(session)
                ended += 1
    return ended


def _reported(session: SpotSession) -> bool:
    if session.room_id is None:
        return False
    return has_open_report(target_kind=Target.MESSAGE, target_ids=Message.objects.filter(room_id=session.room_id).values("pk"))


def sessions_purge(*, now: datetime | None = None) -> int:
    """Delete every session SPOTTING_DELETE_AFTER_HOURS after it ended (note, chat, check-ins, the spotter's
    record), unless a message of its chat is under an open report: then it waits for the report to close.
    The monthly counts stay. One that fails is logged without naming it; the others go on."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.SPOTTING_DELETE_AFTER_HOURS)
    deleted = 0
    for session in SpotSession.objects.filter(status=SpotSession.Status.ENDED, ended_at__lte=cutoff).select_related("room"):
        try:
            if _reported(session):
                continue
            with transaction.atomic():
                if session.room is not None:
                    room_services.room_delete(room=session.room)
                session.delete()
                deleted += 1
        except Exception as error:  # noqa: BLE001: one session must not stop the others
            logger.error("spotting purge: one session could not be deleted (%s); the others went on", type(error).__name__)
    return deleted


def spotting_tick(*, now: datetime | None = None) -> dict[str, int]:
    """What cron runs every minute (manage.py spotting_tick): alarms, time limits of unclaimed requests, the purge."""
    now = now or timezone.now()
    return {"alarms": alarms_raise(now=now), "unclaimed_ended": unclaimed_end(now=now), "purged": sessions_purge(now=now)}


@transaction.atomic
def sessions_delete(*, member) -> int:
    """Deleting an account: the person's spotting sessions go, chat and record included, whatever their state.
    (Their export, offered before, holds them.) Returns how many."""
    sessions = list(SpotSession.objects.select_for_update(of=("self",)).filter(member=member).select_related("room"))
    for session in sessions:
        if session.room is not None:
            room_services.room_delete(room=session.room, clear_screens=True)
        _changed(session)
        session.delete()
    return len(sessions)
