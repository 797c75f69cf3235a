"""The language the site speaks (issue 17): a member's choice is kept in the account (Peer.language); a visitor's
in the `lang` cookie; on a first visit Django's LocaleMiddleware follows the browser's Accept-Language.

LocaleMiddleware (after the session) picks cookie or Accept-Language; AccountLanguageMiddleware (after
authentication) puts a member's own choice above both.
"""

import functools

from django.conf import settings
from django.utils import translation

from commons.http import signed_in_member

CODES = frozenset(code for code, _ in settings.LANGUAGES)


def valid_language(code: str | None) -> str:
    code = (code or "").strip().lower()
    return code if code in CODES else ""


class LanguageResetMiddleware:
    """Just outside LocaleMiddleware: once the response is made, the thread goes back to the default language,
    so nothing rendered later on it (a service's notification, a consumer's frame, another test) inherits the
    last reader's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            translation.deactivate()


class AccountLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        member = signed_in_member(request)
        chosen = valid_language(member.language) if member is not None else ""
        if chosen and chosen != getattr(request, "LANGUAGE_CODE", None):
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if chosen:
            response.headers.setdefault("Content-Language", chosen)
        return response


@functools.cache
def gettext_for(language: str):
    """A `gettext` for one language that remembers what it said: the hot Jinja2 partials take it as their `_`
    (forum.views._jinja), since asking Django which language is active costs more than the rest of a lookup."""
    said: dict[str, str] = {}

    def say(message: str) -> str:
        try:
            return said[message]
        except KeyError:
            with translation.override(language):
                said[message] = translation.gettext(message)
            return said[message]

    return say
