"""Reads for Get help now: the board's snapshot, joined up front so it costs a fixed number of queries."""

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from helpnow import services
from helpnow.models import HelpRequest
from moderation.models import ModerationStatus
from rooms.models import Message
from rooms.selectors import room_backlog
FORMER = gettext_lazy("former member")  # peers.roles.FORMER_MEMBER, in the reader's language

BOARD_LIMIT = 50


def _name(peer) -> str | None:
    return peer.username if peer is not None else None


def answers_note(help_request: HelpRequest) -> str:
    return str(services.ANSWERS_REMOVED if help_request.answers_status == "rejected" else services.ANSWERS_HELD)


def request_get(*, pk: int) -> HelpRequest:
    return HelpRequest.objects.select_related("room", "requester", "claimed_by", "backup_by").get(pk=pk)


def board_requests() -> dict[str, list[HelpRequest]]:
    """Waiting (oldest first), with a supporter, and ended in the last HELPNOW_DELETE_AFTER_HOURS (handover notes)."""
    base = HelpRequest.objects.select_related("requester", "claimed_by", "backup_by")
    recent = timezone.now() - timedelta(hours=settings.HELPNOW_DELETE_AFTER_HOURS)
    return {
        "waiting": list(base.filter(status=HelpRequest.Status.WAITING).order_by("created", "id")[:BOARD_LIMIT]),
        "active": list(base.filter(status=HelpRequest.Status.CLAIMED).order_by("claimed_at", "id")[:BOARD_LIMIT]),
        "resolved": list(
            base.filter(status=HelpRequest.Status.RESOLVED, resolved_at__gte=recent, claimed_by__isnull=False)
            .order_by("-resolved_at", "-id")[:BOARD_LIMIT]
        ),
    }


def request_frame(help_request: HelpRequest, *, viewer, now=None) -> dict:
    """One request as the board shows it to `viewer` (a supporter). Names only of supporters and,
    once claimed, of the person to the supporters in the conversation."""
    now = now or timezone.now()
    mine = viewer.pk in (help_request.claimed_by_id, help_request.backup_by_id)
    waited = help_request.waited_seconds(now)
    frame = {
        "id": help_request.pk,
        "status": help_request.status,
        "created": help_request.created.isoformat(),
        "waited": waited,
        "overdue": help_request.status == HelpRequest.Status.WAITING and waited >= settings.HELPNOW_ESCALATE_AFTER_SECONDS,
        "danger": help_request.danger,
        "danger_label": str(help_request.get_danger_display()),
        "may_be_in_danger": help_request.may_be_in_danger,
        "happening": help_request.happening if help_request.answers_public else "",
        "would_help": help_request.would_help if help_request.answers_public else "",
        "answers_note": "" if help_request.answers_public else answers_note(help_request),
        "claimed_by": _name(help_request.claimed_by),
        "backup_by": _name(help_request.backup_by),
        "backup_wanted": help_request.backup_requested_at is not None and help_request.backup_by_id is None
        and help_request.status == HelpRequest.Status.CLAIMED,
        "mine": mine,
        "url": help_request.get_absolute_url() if mine else None,
    }
    if mine:
        frame["person"] = help_request.requester.username if help_request.requester_id else str(FORMER)
    if help_request.status == HelpRequest.Status.RESOLVED:
        frame.update(
            note=help_request.note, ended_by=str(help_request.get_ended_by_display()),
            resolved=help_request.resolved_at.isoformat() if help_request.resolved_at else None,
            helped=help_request.helped,
        )
    return frame


def my_state(*, supporter) -> dict:
    duty = services.duty_get(supporter=supporter)
    return {
        "on_duty": duty.on_duty,
        "on_break": duty.on_break,
        "open_claims": services.open_claims(supporter=supporter),
        "max_claims": settings.HELPNOW_MAX_OPEN_CLAIMS,
        "resolved_in_shift": services.resolved_in_shift(duty=duty),
        "since": duty.since.isoformat() if duty.on_duty and duty.since else None,
    }


def board_snapshot(*, supporter) -> dict:
    """The whole board for one supporter, as the socket's `board` frame and the page's first render."""
    now = timezone.now()
    groups = board_requests()
    return {
        "type": "board",
        "me": my_state(supporter=supporter),
        "on_duty": services.on_duty_count(),
        "escalate_after": settings.HELPNOW_ESCALATE_AFTER_SECONDS,
        "waiting": [request_frame(r, viewer=supporter, now=now) for r in groups["waiting"]],
        "active": [request_frame(r, viewer=supporter, now=now) for r in groups["active"]],
        "resolved": [request_frame(r, viewer=supporter, now=now) for r in groups["resolved"]],
    }


def status_line(help_request: HelpRequest, *, for_requester: bool, on_duty: int) -> str:
    """The one sentence at the top of the private conversation, for the page and its live updates."""
    if help_request.status == HelpRequest.Status.WAITING:
        if not for_requester:
            return gettext("Waiting for a supporter.")
        if not on_duty:
            return gettext("Waiting for a supporter. You can start writing now; they'll read it when they join.")
        return ngettext(
            "Waiting for a supporter: %(count)s supporter is on duty and can see your request. You can start writing now; "
            "they'll read it when they join.",
            "Waiting for a supporter: %(count)s supporters are on duty and can see your request. You can start writing "
            "now; they'll read it when they join.",
            on_duty,
        ) % {"count": on_duty}
    if help_request.status == HelpRequest.Status.CLAIMED:
        lead = _name(help_request.claimed_by) or str(FORMER)
        backup = _name(help_request.backup_by)
        if for_requester:
            if backup:
                return gettext("%(lead)s, a peer supporter, is here with you, with %(backup)s.") % {"lead": lead, "backup": backup}
            return gettext("%(lead)s, a peer supporter, is here with you.") % {"lead": lead}
        person = _name(help_request.requester) or str(FORMER)
        if backup:
            return gettext("%(person)s is talking with %(lead)s and %(backup)s (backup).") % {
                "person": person, "lead": lead, "backup": backup}
        return gettext("%(person)s is talking with %(lead)s.") % {"person": person, "lead": lead}
    hours = settings.HELPNOW_DELETE_AFTER_HOURS
    if help_request.ended_by == HelpRequest.EndedBy.SUPPORTER:
        return gettext("This conversation has ended: the supporter marked it resolved. It will be deleted %(hours)s hours "
                       "after it ended, unless someone reported something in it.") % {"hours": hours}
    return gettext("This conversation has ended. It will be deleted %(hours)s hours after it ended, unless someone "
                   "reported something in it.") % {"hours": hours}


def reportable_messages(*, help_request: HelpRequest, peer) -> list:
    """The other people's messages `peer` can report from the conversation page (newest first, at most 50)."""
    if help_request.room is None:
        return []
    messages = room_backlog(room=help_request.room, peer=peer)
    return [m for m in reversed(messages) if m.author_id != peer.pk]


def requests_of(*, peer) -> QuerySet[HelpRequest]:
    return HelpRequest.objects.filter(requester=peer).order_by("id")


def conversation_export(*, help_request: HelpRequest, peer) -> list[dict]:
    """A help conversation as `peer` (the person who asked) saw it, oldest first, for "download my data":
    their own messages as "you", every supporter's as "supporter"."""
    if help_request.room_id is None:
        return []
    messages = (
        Message.objects.visible_to(peer).filter(room_id=help_request.room_id)
        .exclude(moderation_status=ModerationStatus.REJECTED).order_by("id")
    )
    return [
        {"from": "you" if m.author_id == peer.pk else "supporter", "created": m.created.isoformat(), "body": m.body}
        for m in messages
    ]
