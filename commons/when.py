"""`{% load when %}`: one format for every time a person reads (issue 17), in the reader's time zone
(commons.zones). `{{ value|when }}` is "29 Nov 2026, 20:03"; `{{ value|when_ago }}` is "5 minutes ago" with the
full time on hover, as forums show activity. Both are a <time> whose datetime attribute is the UTC instant, so
static/js/local-time.js can redraw them in the browser's zone on a visitor's first page, before the zone is known.
"""

from datetime import datetime
from datetime import timezone as dt_timezone
from functools import lru_cache

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils import translation
from django.utils.translation import get_language, ngettext, pgettext, pgettext_lazy

register = template.Library()

# The month's short name in the reader's language, as the browser's Intl.DateTimeFormat writes it (so
# static/js/local-time.js, which redraws with it, prints the same): "Nov", "nov", "nov.".
MONTHS = (
    pgettext_lazy("short month", "Jan"), pgettext_lazy("short month", "Feb"), pgettext_lazy("short month", "Mar"),
    pgettext_lazy("short month", "Apr"), pgettext_lazy("short month", "May"), pgettext_lazy("short month", "Jun"),
    pgettext_lazy("short month", "Jul"), pgettext_lazy("short month", "Aug"), pgettext_lazy("short month", "Sep"),
    pgettext_lazy("short month", "Oct"), pgettext_lazy("short month", "Nov"), pgettext_lazy("short month", "Dec"),
)
_months_by_language: dict[str, tuple[str, ...]] = {}


def month_names() -> tuple[str, ...]:
    """The twelve short names in the active language, worked out once per language (a page prints many times)."""
    language = get_language() or "en"
    names = _months_by_language.get(language)
    if names is None:
        names = _months_by_language[language] = tuple(str(month) for month in MONTHS)
    return names


def when_text(value: datetime, zone=None, months: tuple[str, ...] | None = None) -> str:
    """"29 Nov 2026, 20:03" in the reader's zone and language (forum.selectors prints post times with it)."""
    local = value.astimezone(zone) if zone is not None else timezone.localtime(value)
    return f"{local.day} {(months or month_names())[local.month - 1]} {local.year}, {local:%H:%M}"


@register.filter
def when(value):
    if not isinstance(value, datetime):
        return ""
    return format_html('<time datetime="{}" data-when>{}</time>', value.astimezone(dt_timezone.utc).isoformat(), when_text(value))


def _years(count: int) -> str:
    return ngettext("%(count)d year ago", "%(count)d years ago", count) % {"count": count}


def _months(count: int) -> str:
    return ngettext("%(count)d month ago", "%(count)d months ago", count) % {"count": count}


def _weeks(count: int) -> str:
    return ngettext("%(count)d week ago", "%(count)d weeks ago", count) % {"count": count}


def _days(count: int) -> str:
    return ngettext("%(count)d day ago", "%(count)d days ago", count) % {"count": count}


def _hours(count: int) -> str:
    return ngettext("%(count)d hour ago", "%(count)d hours ago", count) % {"count": count}


def _minutes(count: int) -> str:
    return ngettext("%(count)d minute ago", "%(count)d minutes ago", count) % {"count": count}


# The words match Intl.RelativeTimeFormat's in each language, so a script may redraw them alike.
_TIME_UNITS = ((365 * 86400, _years), (30 * 86400, _months), (7 * 86400, _weeks), (86400, _days), (3600, _hours), (60, _minutes))


@lru_cache(maxsize=2048)
def _ago(language: str, unit: int, count: int) -> str:
    """The words for `count` of the unit at `unit` in _TIME_UNITS (-1: "just now"), once per language: a board
    page says 25 of them, mostly the same few."""
    with translation.override(language):
        return pgettext("time", "just now") if unit < 0 else _TIME_UNITS[unit][1](count)


def time_ago(then: datetime, now: datetime, language: str | None = None) -> str:
    """"5 minutes ago", "2 days ago", "just now": the largest whole unit, as forums show activity, in the
    reader's language (give `language` when saying many: looking the active one up costs more than the rest).
    (Django's timesince, with two units, cost 0.5 ms a board page.)"""
    seconds = int((now - then).total_seconds())
    language = language or get_language() or "en"
    for unit, (size, _words) in enumerate(_TIME_UNITS):
        if seconds >= size:
            return _ago(language, unit, seconds // size)
    return _ago(language, -1, 0)


@register.filter
def when_ago(value):
    if not isinstance(value, datetime):
        return ""
    return format_html('<time datetime="{}" title="{}" data-when-ago>{}</time>', value.astimezone(dt_timezone.utc).isoformat(),
                       when_text(value), time_ago(value, timezone.now()))
