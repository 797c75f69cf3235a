"""The reader's time zone: every time on a page is shown in it (issue 17).

The browser sends its zone once (static/js/local-time.js): kept in the account for a member
(Peer.time_zone, peers.services.time_zone_set) and in the `tz` cookie for a visitor. LocalTimeMiddleware
activates it for the request, so Django's date filter, `{{ value|when }}` and forum.selectors all print
local times. A zone name that is not a real IANA zone is ignored (UTC).
"""

import functools
import zoneinfo

from django.utils import timezone

from commons.http import signed_in_member

COOKIE = "tz"


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def valid_zone(name: str | None) -> str:
    """`name` if it is a known IANA time zone, else ""."""
    name = (name or "").strip()
    return name if len(name) <= 64 and name in _zones() else ""


class LocalTimeMiddleware:
    """After AuthenticationMiddleware: the account's zone for a member, the `tz` cookie otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        member = signed_in_member(request)
        name = valid_zone(member.time_zone if member is not None else "")
        name = name or valid_zone(request.COOKIES.get(COOKIE))
        request.time_zone = name
        if name:
            timezone.activate(zoneinfo.ZoneInfo(name))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
