"""Pages that show several apps at once."""

from django.shortcuts import render

from forum.selectors import boards_visible_to
from rooms.selectors import rooms_live_and_upcoming


def home(request):
    """The boards the reader may see, and the live and upcoming rooms."""
    return render(request, "community/home.html", {
        "boards": boards_visible_to(peer=request.user),
        "rooms": rooms_live_and_upcoming()[:10],
    })
