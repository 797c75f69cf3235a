"""Small HTTP helpers every app shares."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, fallback: str = "/") -> str:
    """The `next` the request names (POST first, then the query string) if it stays on this site; else `fallback`.

    A path on this host only: `https://elsewhere/`, `//elsewhere/` and `javascript:` fall back."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return fallback
