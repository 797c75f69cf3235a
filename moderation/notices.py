"""A moderation notice to a member, worded in their own language. A notice is stored as text, so it is worded once,
when it is sent, for the one person who reads it: in the language their account keeps (the header's menu), English
when they chose none."""

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext, pgettext_lazy

from commons.languages import valid_language
from peers.services import notification_send

# What "Your {noun} was ..." calls each kind of content (moderation.registry's nouns), marked for the catalogues.
NOUNS = {
    "post": pgettext_lazy("moderation notice", "post"),
    "room message": pgettext_lazy("moderation notice", "room message"),
    "profile": pgettext_lazy("moderation notice", "profile"),
    "room": pgettext_lazy("moderation notice", "room"),
    "answers": pgettext_lazy("moderation notice", "answers"),
    "edit": pgettext_lazy("moderation notice", "edit"),
    "drug alert": pgettext_lazy("moderation notice", "drug alert"),
    "account": pgettext_lazy("moderation notice", "account"),
}


def noun(english: str) -> str:
    """A kind of content in the active language (the English noun when the catalogues don't know it)."""
    return pgettext("moderation notice", english) if english in NOUNS else english


def under(rule) -> str:
    """" Under rule 2: No personal information." for a notice ("" when no rule was named)."""
    return " " + gettext("Under rule %(number)s: %(title)s.") % {"number": rule.number, "title": rule.title} if rule else ""


def until(moment) -> str:
    return gettext("%(moment)s UTC") % {"moment": date_format(moment, "j M Y, H:i")}


def notice_send(*, recipient, words, url: str = "") -> bool:
    """Leave `recipient` the notice `words()` gives, worded with their language active; False for a former member."""
    if recipient is None:
        return False
    with translation.override(valid_language(getattr(recipient, "language", "")) or settings.LANGUAGE_CODE):
        text = words()
    return notification_send(recipient=recipient, kind="moderation", text=text, url=url)
