"""Thin views: parse, check, call one service, respond. The board consumer calls the same services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from commons.languages import said as _  # noqa: N812 (a str shown in the reader's language; see commons.languages.Said)
from commons.http import sign_in_first
from commons.refusals import Refusal
from helpnow import selectors, services
from helpnow.forms import HelpRequestForm, RateForm, ResolveForm, ToggleForm
from helpnow.models import HelpRequest
from helpnow.permissions import NOT_SIGNED_IN, check_can_support, check_can_view, is_claimer, is_supporter

MSG_CLAIMED = _("You're in. Say hello: the person can see you've joined.")
MSG_BACKUP_ASKED = _("Backup asked for: every supporter on duty can see it now.")
MSG_BACKUP_JOINED = _("You've joined as backup.")
MSG_RESOLVED = _("Resolved. Thank you for being there.")
MSG_ENDED = _("You've ended the conversation. You can come back to Get help now at any time.")
MSG_RATED = _("Thank you for telling us.")
MSG_ON_DUTY = _("You're on duty. Requests will appear here.")
MSG_OFF_DUTY = _("You're off duty. Thank you for your shift.")
MSG_BREAK_ON = _("Break on: no new alerts will reach you. Take the time you need.")
MSG_BREAK_OFF = _("Welcome back: new requests will reach you again.")
MSG_NOTHING_CHANGED = _("Nothing to change: that was already done.")


def _refused(request, message: str, status: int, *, help_request: HelpRequest | None = None):
    return render(request, "helpnow/refused.html", {"message": message, "help_request": help_request}, status=status)


def _act(request, act, *, done: str, unchanged: str = MSG_NOTHING_CHANGED, then, form=None, back_to=None):
    """Every POST here: check `form` (its first error, 400), call one service (`act`, given the form's data), answer a
    Refusal with its sentence and status, else say what happened (`unchanged` when the service returned False) and
    redirect to `then`. `back_to`: the conversation the refusal page links back to, for those who may open it."""
    if form is not None and not form.is_valid():
        return _refused(request, next(iter(form.errors.values()))[0], 400, help_request=back_to)
    try:
        changed = act(**(form.cleaned_data if form is not None else {}))
    except Refusal as refusal:
        return _refused(request, refusal.detail, refusal.http_status, help_request=back_to)
    messages.success(request, unchanged if changed is False else done)
    return redirect(then)


def _own_request(request, pk: int) -> HelpRequest:
    help_request = get_object_or_404(HelpRequest.objects.select_related("room", "requester", "claimed_by", "backup_by"), pk=pk)
    check_can_view(request.user, help_request)
    return help_request


@never_cache  # a personal page: never kept in a browser's cache (shared devices)
def get_help(request):
    """The "Get help now" form: three optional questions, then a private room."""
    peer = request.user
    on_duty = services.on_duty_count()
    context = {"on_duty": on_duty, "form": HelpRequestForm(), "public_room": services.PUBLIC_SUPPORT_ROOM}
    if not peer.is_authenticated:
        if request.method == "POST":
            return _refused(request, NOT_SIGNED_IN, 403)
        return render(request, "helpnow/get_help.html", context)
    existing = services.open_request_of(peer)
    if existing is not None:
        if request.method == "POST":
            messages.info(request, services.ALREADY_OPEN)
        return redirect(existing)
    if request.method != "POST":
        return render(request, "helpnow/get_help.html", context)
    form = HelpRequestForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "helpnow/get_help.html", context, status=400)
    try:
        help_request = services.request_create(requester=peer, **form.cleaned_data)
    except PermissionDenied as refusal:
        return _refused(request, str(refusal), 403)
    except Refusal as refusal:
        if refusal.detail == services.ALREADY_OPEN and (existing := services.open_request_of(peer)):
            messages.info(request, services.ALREADY_OPEN)
            return redirect(existing)
        form.add_error(None, refusal.detail)
        return render(request, "helpnow/get_help.html", context, status=400)
    return redirect(help_request)


@never_cache
@login_required
def request_page(request, pk: int):
    """The private one-to-one room, with what the person and their supporters need around it."""
    help_request = _own_request(request, pk)
    peer = request.user
    on_duty = services.on_duty_count()
    context = {
        "help_request": help_request,
        "room": help_request.room,
        "is_requester": help_request.requester_id == peer.pk,
        "is_claimer": is_claimer(peer, help_request),
        "is_primary": help_request.claimed_by_id == peer.pk,
        "on_duty": on_duty,
        "nobody_on_duty": help_request.status == HelpRequest.Status.WAITING and on_duty == 0,
        "reportable": selectors.reportable_messages(help_request=help_request, peer=peer),
        # Held answers: the person who wrote them and the moderators read them; supporters read a note.
        "reads_held_answers": help_request.answers_public or help_request.requester_id == peer.pk or peer.is_moderator,
        "answers_note": selectors.answers_note(help_request),
        "status_line": selectors.status_line(help_request, for_requester=help_request.requester_id == peer.pk, on_duty=on_duty),
        "resolve_form": ResolveForm(),
        "public_room": services.PUBLIC_SUPPORT_ROOM,
    }
    return render(request, "helpnow/request.html", context)


def _request_for_action(request, pk: int) -> HelpRequest:
    sign_in_first(request, NOT_SIGNED_IN)  # POST only: a visitor is refused in words
    return get_object_or_404(HelpRequest.objects.select_related("room", "requester", "claimed_by"), pk=pk)


@require_POST
def request_claim(request, pk: int):
    help_request = _request_for_action(request, pk)
    return _act(request, lambda: services.request_claim(help_request=help_request, supporter=request.user),
                done=MSG_CLAIMED, then=help_request)


@require_POST
def request_backup(request, pk: int):
    """The claiming supporter asks for a second supporter."""
    help_request = _request_for_action(request, pk)
    return _act(request, lambda: services.request_backup_ask(help_request=help_request, by=request.user),
                done=MSG_BACKUP_ASKED, then=help_request, back_to=help_request)


@require_POST
def request_join(request, pk: int):
    """Another supporter joins as backup."""
    help_request = _request_for_action(request, pk)
    return _act(request, lambda: services.request_backup_join(help_request=help_request, supporter=request.user),
                done=MSG_BACKUP_JOINED, then=help_request)


@require_POST
def request_resolve(request, pk: int):
    help_request = _request_for_action(request, pk)
    return _act(request, lambda note: services.request_resolve(help_request=help_request, by=request.user, note=note),
                form=ResolveForm(request.POST), done=MSG_RESOLVED, unchanged=services.ALREADY_ENDED,
                then="helpnow:board", back_to=help_request)


@require_POST
def request_end(request, pk: int):
    help_request = _request_for_action(request, pk)  # ending must always work: services.request_end has no limit
    changed = services.request_end(help_request=help_request, by=request.user)
    messages.success(request, MSG_ENDED if changed else services.ALREADY_ENDED)
    if request.POST.get("then") == "public_room":
        return redirect("rooms:room", slug=services.PUBLIC_SUPPORT_ROOM)
    return redirect(help_request)


@require_POST
def request_rate(request, pk: int):
    help_request = _request_for_action(request, pk)
    return _act(request, lambda helped: services.request_rate(help_request=help_request, by=request.user, helped=helped),
                form=RateForm(request.POST), done=MSG_RATED, unchanged=MSG_RATED, then=help_request, back_to=help_request)


@never_cache
@login_required
def board(request):
    """The supporters' board; live over /ws/supporters/ (static/js/helpnow-board.js)."""
    check_can_support(request.user)
    snapshot = selectors.board_snapshot(supporter=request.user)
    return render(request, "helpnow/board.html", {"board": snapshot, "me": snapshot["me"]})


def _toggle(request, setter, on_message: str, off_message: str):
    if not is_supporter(request.user):
        check_can_support(request.user)
    form = ToggleForm(request.POST)
    turning_on = form.is_valid() and form.cleaned_data["on"]
    return _act(request, lambda on: setter(supporter=request.user, on=on), form=form,
                done=on_message if turning_on else off_message, then="helpnow:board")


@login_required
@require_POST
def duty(request):
    return _toggle(request, services.duty_set, MSG_ON_DUTY, MSG_OFF_DUTY)


@login_required
@require_POST
def need_a_break(request):
    return _toggle(request, services.break_set, MSG_BREAK_ON, MSG_BREAK_OFF)
