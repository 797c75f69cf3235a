"""{% spotting_transparency %}: Spot me's anonymous monthly counts, for the transparency page (a tag, so the
moderation app that serves the page never imports spotting)."""

from django import template
from django.conf import settings

from spotting.selectors import monthly_counts

register = template.Library()


@register.inclusion_tag("spotting/_transparency.html")
def spotting_transparency() -> dict:
    return {"spot_months": monthly_counts() if settings.SPOTTING_ENABLED else [], "enabled": settings.SPOTTING_ENABLED}
