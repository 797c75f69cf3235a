from django.shortcuts import get_object_or_404, render

from rooms.models import Room
from rooms.selectors import rooms_live_and_upcoming


def room_list(request):
    return render(request, "rooms/list.html", {"rooms": rooms_live_and_upcoming()})


def room(request, slug: str):
    room = get_object_or_404(Room.objects.select_related("host"), slug=slug)
    return render(request, "rooms/room.html", {"room": room})
