"""Room pages and the hosts' actions: parse, check, call one service, respond."""


from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from commons.languages import said as _  # noqa: N812 (a str shown in the reader's language; see commons.languages.Said)
from commons.http import sign_in_first
from peers.models import Peer
from rooms import permissions, selectors, services
from rooms.forms import MuteForm, PersonForm, RemoveMessageForm, RemovePersonForm, RoomForm
from rooms.models import Message, Room, RoomRemoval

NO_SUCH_PERSON = _("There is nobody with that pseudonym.")
CANT_REMOVE_HOST = _("Hosts and moderators can't be muted or removed from a room here.")
ROOM_OPENED = _("The room is open. People can write now.")
ROOM_CLOSED = _("The room is closed. It stays readable until its messages expire.")
ROOM_SAVED = _("Room saved.")
ROOM_HELD = _("Room saved. Its title, topic or rules wait for a moderator first (see why on the room's page); "
             "until then people see the room as it was, or, for a new room, don't see it yet.")
PERSON_MUTED = _("{name} is muted in this room for {minutes} minutes.")
PERSON_UNMUTED = _("{name} can write in this room again.")
NOT_MUTED = _("{name} wasn't muted in this room.")
PERSON_REMOVED = _("{name} was removed from this room.")
ALREADY_REMOVED = _("{name} had already been removed from this room.")
MESSAGE_REMOVED = _("Message removed.")
MESSAGE_ALREADY_REMOVED = _("That message had already been removed.")
SLUG_RESERVED = _("That web address is reserved. Please pick another.")
RESERVED_SLUGS = {"new"}


def _room_for(request, slug: str) -> Room:
    room = get_object_or_404(Room.objects.select_related("host"), slug=slug)
    if not permissions.can_see(request.user, room):
        raise Http404("No such room.")  # an invited-only room is not even confirmed to exist
    return room


def room_list(request):
    can_create = request.user.is_authenticated and (request.user.is_organiser or request.user.is_moderator)
    return render(request, "rooms/list.html", {"rooms": selectors.rooms_live_and_upcoming(request.user), "can_create": can_create})


def room(request, slug: str):
    room = _room_for(request, slug)
    removed = request.user.is_authenticated and RoomRemoval.objects.filter(room=room, peer=request.user).exists()
    hosting = permissions.is_host(request.user, room)
    return render(
        request, "rooms/room.html",
        {"room": room, "removed": removed, "hosting": hosting, "hosts": selectors.room_hosts(room=room),
         "mute_form": MuteForm(), "remove_form": RemovePersonForm(), "removed_notice": permissions.REMOVED_FROM_ROOM,
         "mutes": selectors.active_mutes(room=room) if hosting else [],
         "pending_changes": selectors.pending_changes(room=room) if hosting else []},
    )


def room_create(request):
    if (response := sign_in_first(request, permissions.NOT_SIGNED_IN)) is not None:
        return response
    permissions.check_can_create_rooms(request.user)
    form = RoomForm(request.POST or None, initial={"starts_at": timezone.localtime().replace(second=0, microsecond=0)})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["slug"] in RESERVED_SLUGS:
            form.add_error("slug", SLUG_RESERVED)
        else:
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("cohost_names", "invited_names")}
            try:
                room = services.room_create(host=request.user, **data)
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, ROOM_HELD if not room.is_approved else ROOM_SAVED)
                return redirect(room)
    return render(request, "rooms/room_form.html", {"form": form, "creating": True}, status=400 if form.errors else 200)


def room_edit(request, slug: str):
    if (response := sign_in_first(request, permissions.NOT_SIGNED_IN)) is not None:
        return response
    room = _room_for(request, slug)
    permissions.check_can_host(request.user, room)
    form = RoomForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in services.ROOM_EDITABLE}
        try:
            room = services.room_update(room=room, by=request.user, cohosts=form.cleaned_data["cohosts"],
                                        invited=form.cleaned_data["invited"], **fields)
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            messages.success(request, ROOM_HELD if room.pending_texts or not room.is_approved else ROOM_SAVED)
            return redirect(room)
    return render(request, "rooms/room_form.html", {"form": form, "room": room}, status=400 if form.errors else 200)


def _host_room(request, slug: str) -> Room:
    sign_in_first(request, permissions.NOT_SIGNED_IN)  # POST only: a visitor is refused in words
    room = _room_for(request, slug)
    permissions.check_can_host(request.user, room)
    return room


@require_POST
def room_open(request, slug: str):
    room = _host_room(request, slug)
    services.room_open(room=room, by=request.user)
    messages.success(request, ROOM_OPENED)
    return redirect(room)


@require_POST
def room_close(request, slug: str):
    room = _host_room(request, slug)
    services.room_close(room=room, by=request.user)
    messages.success(request, ROOM_CLOSED)
    return redirect(room)


def _target(room: Room, form) -> Peer:
    try:
        peer = Peer.objects.get(username__iexact=form.cleaned_data["pseudonym"].strip().lstrip("@"))
    except Peer.DoesNotExist:
        raise PermissionDenied(NO_SUCH_PERSON) from None
    if permissions.is_host(peer, room):
        raise PermissionDenied(CANT_REMOVE_HOST)
    return peer


def _bad_form(request, room: Room, form):
    errors = "; ".join(f"{field}: {' '.join(errs)}" for field, errs in form.errors.items())
    return render(request, "403.html", {"exception": errors}, status=400)


def _person_action(request, slug: str, form_class, act):
    """A host acts on one person of the room: `act(room, peer, cleaned_data)` returns what to tell the host."""
    room = _host_room(request, slug)
    form = form_class(request.POST)
    if not form.is_valid():
        return _bad_form(request, room, form)
    messages.success(request, act(room, _target(room, form), form.cleaned_data))
    return redirect(room)


@require_POST
def room_mute(request, slug: str):
    def mute(room, peer, data):
        services.mute_in_room(room=room, peer=peer, by=request.user, minutes=data["minutes"], reason=data["reason"])
        return PERSON_MUTED.format(name=peer.username, minutes=data["minutes"])

    return _person_action(request, slug, MuteForm, mute)


@require_POST
def room_unmute(request, slug: str):
    def unmute(room, peer, data):
        changed = services.unmute_in_room(room=room, peer=peer, by=request.user)
        return (PERSON_UNMUTED if changed else NOT_MUTED).format(name=peer.username)

    return _person_action(request, slug, PersonForm, unmute)


@require_POST
def room_remove_person(request, slug: str):
    def remove(room, peer, data):
        changed = services.person_remove(room=room, peer=peer, by=request.user, reason=data["reason"])
        return (PERSON_REMOVED if changed else ALREADY_REMOVED).format(name=peer.username)

    return _person_action(request, slug, RemovePersonForm, remove)


@require_POST
def message_remove(request, slug: str, message_id: int):
    room = _host_room(request, slug)
    message = get_object_or_404(Message, pk=message_id, room=room)
    form = RemoveMessageForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    changed = services.message_remove(message=message, by=request.user, reason=reason or "removed by a room host")
    text = MESSAGE_REMOVED if changed else MESSAGE_ALREADY_REMOVED
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"removed": changed, "detail": str(text)})  # a Said: its words in the reader's language
    messages.success(request, text)
    return redirect(room)
