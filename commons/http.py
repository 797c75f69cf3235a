"""Small HTTP helpers every app shares."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_noop


def safe_next(request: HttpRequest, fallback: str = "/") -> str:
    """The `next` the request names (POST first, then the query string) if it stays on this site; else `fallback`.

    A path on this host only: `https://elsewhere/`, `//elsewhere/` and `javascript:` fall back."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return fallback


MSG_SIGN_IN = gettext_noop("Please log in first. Joining takes only a pseudonym and a password.")


def sign_in_first(request: HttpRequest, message: str = MSG_SIGN_IN) -> HttpResponse | None:
    """None for a signed-in person. A visitor's GET gets the log-in page (and comes back here after); a visitor's
    POST is refused with a readable 403 (`message`, English words marked with gettext_noop: said here in the
    reader's language): a redirect would lose what they sent without saying so.

    The one "must sign in" of every view: call it where the check belongs (after a 404 for a missing thing),
    or use `sign_in_required` on a whole view."""
    if request.user.is_authenticated:
        return None
    if request.method == "POST":
        raise PermissionDenied(gettext(message))
    return redirect_to_login(request.get_full_path())


def sign_in_required(message: str = MSG_SIGN_IN):
    """`sign_in_first` as a view decorator."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if (response := sign_in_first(request, message)) is not None:
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def signed_in_member(request: HttpRequest):
    """The signed-in person, or None; a request without a session cookie is a visitor's and its session is not
    touched (touching it makes the response vary on Cookie, which a public feed or page must not)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
