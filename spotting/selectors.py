"""Reads for Spot me: what a page or a socket shows to whom."""

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from helpnow.services import on_duty_count
from rooms.models import Message
from spotting.models import SpotMonth, SpotSession
from spotting.permissions import reads_note


def session_get(*, pk: int) -> SpotSession:
    return SpotSession.objects.select_related("room", "member", "claimed_by").get(pk=pk)


def claim_wait_over(session: SpotSession, now=None) -> bool:
    """Nobody claimed within SPOTTING_CLAIM_SECONDS: the member is told and shown the phone line."""
    now = now or timezone.now()
    return session.status == SpotSession.Status.WAITING and (now - session.created).total_seconds() >= settings.SPOTTING_CLAIM_SECONDS


def session_state(session: SpotSession, *, peer) -> dict:
    """The session as `peer` may see it, for the page's script (times as ISO strings, the server's now beside them)."""
    now = timezone.now()
    iso = lambda value: value.isoformat() if value else None  # noqa: E731
    state = {
        "id": session.pk, "status": session.status, "now": now.isoformat(),
        "created": iso(session.created), "claim_seconds": settings.SPOTTING_CLAIM_SECONDS,
        "claim_wait_over": claim_wait_over(session, now), "on_duty": on_duty_count(),
        "interval_minutes": session.interval_minutes, "last_ok": iso(session.last_ok_at),
        "check_due": iso(session.check_due_at), "alarm_due": iso(session.alarm_due_at),
        "alarm_at": iso(session.alarm_at), "reached_nobody": session.alarm_reached_nobody, "ends_at": iso(session.ends_at), "ended_by": session.ended_by,
        "recorded": session.recorded_at is not None, "is_member": session.member_id == peer.pk,
    }
    if reads_note(peer, session):
        state["note"] = session.note
    return state


def board_sessions(*, supporter) -> dict[str, list[SpotSession]]:
    """Waiting requests (no note: nobody reads it before an alarm), this supporter's sessions, and alarms sent to everyone."""
    base = SpotSession.objects.select_related("claimed_by")
    return {
        "waiting": list(base.filter(status=SpotSession.Status.WAITING).exclude(member=supporter).order_by("created", "id")[:50]),
        "mine": list(base.filter(claimed_by=supporter).exclude(status=SpotSession.Status.ENDED).order_by("claimed_at", "id")),
        "alarms": list(base.filter(status=SpotSession.Status.ALARM, alarm_to_all=True).exclude(claimed_by=supporter)
                       .exclude(member=supporter).order_by("alarm_at", "id")),
    }


def alarms_for(*, supporter) -> list[SpotSession]:
    """The alarms this supporter must see now: their own sessions', and those sent to everyone on duty."""
    sessions = board_sessions(supporter=supporter)
    return [s for s in sessions["mine"] if s.status == SpotSession.Status.ALARM] + sessions["alarms"]


def sessions_of(*, member) -> QuerySet[SpotSession]:
    return SpotSession.objects.filter(member=member).select_related("room").order_by("id")


def session_export(*, member) -> list[dict]:
    """Download my data: each session with its chat as the member saw it, the spotter named only "spotter"."""
    iso = lambda value: value.isoformat() if value else None  # noqa: E731
    sessions = []
    for session in sessions_of(member=member):
        chat = []
        if session.room_id is not None:
            for message in Message.objects.filter(room_id=session.room_id).order_by("id"):
                chat.append({"created": message.created.isoformat(), "from": "you" if message.author_id == member.pk else "spotter",
                             "body": message.body})
        sessions.append({
            "created": iso(session.created), "status": session.status, "interval_minutes": session.interval_minutes,
            "length_minutes": session.length_minutes, "note": session.note, "last_ok": iso(session.last_ok_at),
            "alarm": iso(session.alarm_at), "ended": iso(session.ended_at), "ended_by": session.ended_by,
            "what_the_spotter_did": session.action, "outcome": session.outcome, "chat": chat,
        })
    return sessions


def monthly_counts() -> list[SpotMonth]:
    return list(SpotMonth.objects.order_by("-month")[:24])
