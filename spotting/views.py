"""Thin views: parse, check, call one service, respond. The sockets show what the services stored."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from commons.http import sign_in_first
from commons.refusals import Refusal
from helpnow.permissions import check_can_support
from spotting import selectors, services
from spotting.consumers import phone_line
from spotting.forms import RecordForm, SpotStartForm
from spotting.models import SpotSession
from spotting.permissions import NOT_SIGNED_IN, NOT_THE_SPOTTER, check_can_view, is_spotter, reads_note

MSG_CLAIMED = _("You're spotting them now. Say hello: they can see you've joined.")
MSG_OK = _("Thanks, glad you're OK. The countdown has started again.")
MSG_ENDED = _("Your spotting session has ended. Take care, and come back any time.")
MSG_RECORDED = _("Recorded. Thank you for being there.")


def _enabled() -> None:
    if not settings.SPOTTING_ENABLED:
        raise Http404("Spotting is turned off on this site.")


def _refused(request, message, status: int, *, session: SpotSession | None = None):
    return render(request, "spotting/refused.html", {"message": message, "session": session}, status=status)


@never_cache
def start(request):
    """The plain-words consent page and the start form; nothing is stored before the member presses Start."""
    _enabled()
    peer = request.user
    context = {"form": SpotStartForm(), **phone_line()}
    if not peer.is_authenticated:
        if request.method == "POST":
            return _refused(request, NOT_SIGNED_IN, 403)
        return render(request, "spotting/start.html", context)
    existing = services.open_session_of(peer)
    if existing is not None:
        if request.method == "POST":
            return _refused(request, services.ALREADY_OPEN, 409, session=existing)
        return redirect(existing)
    if request.method != "POST":
        return render(request, "spotting/start.html", context)
    form = SpotStartForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "spotting/start.html", context, status=400)
    try:
        session = services.session_start(member=peer, **form.cleaned_data)
    except PermissionDenied as refusal:
        return _refused(request, str(refusal), 403)
    except Refusal as refusal:
        form.add_error(None, refusal.detail)
        return render(request, "spotting/start.html", context, status=refusal.http_status)
    return redirect(session)


@never_cache
@login_required
def session_page(request, pk: int):
    _enabled()
    session = get_object_or_404(SpotSession.objects.select_related("room", "member", "claimed_by"), pk=pk)
    check_can_view(request.user, session)
    state = selectors.session_state(session, peer=request.user)
    return render(request, "spotting/session.html", {
        "session": session, "state": state, "room": session.room if session.room_id else None,
        "is_member": session.member_id == request.user.pk, "is_spotter": is_spotter(request.user, session),
        "reads_note": reads_note(request.user, session), "record_form": RecordForm(), **phone_line(),
    })


def _session_for_action(request, pk: int) -> SpotSession:
    _enabled()
    sign_in_first(request, NOT_SIGNED_IN)
    return get_object_or_404(SpotSession.objects.select_related("room", "member", "claimed_by"), pk=pk)


def _act(request, act, *, done, then, session=None):
    try:
        act()
    except Refusal as refusal:
        return _refused(request, refusal.detail, refusal.http_status, session=session)
    except PermissionDenied as refusal:
        return _refused(request, str(refusal), 403, session=session)
    messages.success(request, done)
    return redirect(then)


@require_POST
def session_ok(request, pk: int):
    """ "I'm OK" (the page's big button; its script posts it and stays)."""
    session = _session_for_action(request, pk)
    return _act(request, lambda: services.session_ok(session=session, by=request.user), done=MSG_OK, then=session)


@require_POST
def session_end(request, pk: int):
    session = _session_for_action(request, pk)
    return _act(request, lambda: services.session_end(session=session, by=request.user), done=MSG_ENDED, then=session)


@require_POST
def session_claim(request, pk: int):
    session = _session_for_action(request, pk)
    return _act(request, lambda: services.session_claim(session=session, supporter=request.user), done=MSG_CLAIMED, then=session)


@require_POST
def session_record(request, pk: int):
    session = _session_for_action(request, pk)
    if not is_spotter(request.user, session):
        return _refused(request, NOT_THE_SPOTTER, 403)
    form = RecordForm(request.POST)
    if not form.is_valid():
        return _refused(request, next(iter(form.errors.values()))[0], 400, session=session)
    return _act(request, lambda: services.session_record(session=session, by=request.user, **form.cleaned_data),
                done=MSG_RECORDED, then=session, session=session)


@never_cache
@login_required
def board(request):
    """The spotting board: waiting requests (claim), one's sessions, alarms; live over /ws/spot/."""
    _enabled()
    check_can_support(request.user)
    return render(request, "spotting/board.html", {"spots": selectors.board_sessions(supporter=request.user)})
