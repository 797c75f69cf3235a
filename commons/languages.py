"""The language the site speaks (issue 17): a member's choice is kept in the account (Peer.language); a visitor's
in the `lang` cookie; on a first visit Django's LocaleMiddleware follows the browser's Accept-Language.

LocaleMiddleware (after the session) picks cookie or Accept-Language; AccountLanguageMiddleware (after
authentication) puts a member's own choice above both.
"""

import functools

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext

from commons.asgi import handshake_language
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


class Said(str):
    """A sentence the site says (a refusal, a message after a form, a socket's error), written in English and shown in
    the reader's language. It *is* its English words as a `str` (so code compares it, and tests find it in a page, as
    plain text), while `str()`, escaping, templates, `format`, `%` and f-strings give the words of the language active
    at that moment (the request's, or the socket's person's: commons.consumers). Made by `said`, which the modules
    import as `_` so that makemessages collects the words. A JSON encoder writes a str subclass as it is (English):
    put `str(text)` in what goes out as JSON (commons.consumers.GuardedConsumer.send_error does)."""

    message: str
    numbers: dict

    def __new__(cls, message: str, **numbers):
        english = message.format(**{name: f"{value:,}" for name, value in numbers.items()}) if numbers else message
        text = super().__new__(cls, english)
        text.message, text.numbers = message, numbers
        return text

    def __str__(self) -> str:
        words = gettext(self.message)
        if not self.numbers:
            return words
        return words.format(**{name: formats.number_format(value, force_grouping=True) for name, value in self.numbers.items()})

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __mod__(self, values) -> str:
        return str(self) % values

    def format(self, *args, **kwargs) -> str:
        return str(self).format(*args, **kwargs)

    def __reduce__(self):
        return (_said, (self.message, self.numbers))


def _said(message: str, numbers: dict) -> Said:
    return Said(message, **numbers)


def said(message: str, **numbers: int) -> Said:
    """`MSG = _("Up to {max} characters.", max=2000)` with `from commons.languages import said as _`: {names} are
    whole numbers, grouped as the reader writes them (2,000 · 2.000 · 2 000)."""
    return Said(message, **numbers)


def scope_language(scope) -> str:
    """The language a socket speaks to its person, chosen as for their pages: the account's choice, else the `lang`
    cookie, else the browser's Accept-Language (sent with the socket's handshake), else English."""
    user = scope.get("user")
    if user is not None and getattr(user, "is_authenticated", False):
        chosen = valid_language(getattr(user, "language", ""))
        if chosen:
            return chosen
    return handshake_language(scope)


def language_for_scope(scope, peer=None) -> str:
    """The language a socket speaks to `peer` (a member it will speak to, else the socket's own person): their own
    choice, else as `scope_language` picks it from the handshake."""
    return (valid_language(getattr(peer, "language", "")) if peer is not None else "") or scope_language(scope)


def language_of(peer) -> str:
    """A member's own language, for words made for them away from their request (a notice, a socket frame)."""
    return valid_language(getattr(peer, "language", "") if peer is not None else "") or settings.LANGUAGE_CODE
