"""`{% voice_rules as rules %}`: the settings of deciding as /about/ states them (docs/voice.md)."""

from django import template
from django.conf import settings
from django.utils.translation import gettext

from voice import eligibility

register = template.Library()


def _number(value: float):
    return int(value) if float(value) == int(value) else value


def _agree_words(share: float) -> str:
    if abs(share - 2 / 3) < 1e-6:
        return gettext("two thirds")
    return f"{_number(round(share * 100, 1))}%"


@register.simple_tag
def voice_rules() -> dict:
    return {
        "window_days": _number(float(getattr(settings, "VOICE_WINDOW_DAYS", 7))),
        "min_age_days": eligibility.min_age_days(), "min_posts": eligibility.min_posts(),
        "quorum_min": int(getattr(settings, "VOICE_QUORUM_MIN", 10)),
        "quorum_percent": _number(round(float(getattr(settings, "VOICE_QUORUM_SHARE", 0.10)) * 100, 1)),
        "agree_words": _agree_words(float(getattr(settings, "VOICE_AGREE_SHARE", 2 / 3))),
        "block_percent": _number(round(float(getattr(settings, "VOICE_BLOCK_SHARE", 0.10)) * 100, 1)),
        "poll_max_days": int(getattr(settings, "VOICE_POLL_MAX_DAYS", 30)),
        "rating_min_raters": int(getattr(settings, "VOICE_RATING_MIN_RATERS", 5)),
    }
