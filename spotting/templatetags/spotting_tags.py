"""{% spotting_transparency %}: Spot me's anonymous monthly counts, for the transparency page (a tag, so the
moderation app that serves the page never imports spotting).

{% spotting_page_alarm %}: on every page of a supporter (base.html), the alarms still open for them and the
script that shows new ones arriving over /ws/alerts/. Nothing for anyone else, or with SPOTTING_ENABLED off."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string

from helpnow.permissions import is_supporter
from spotting.selectors import alarms_for, monthly_counts
from spotting.services import alarm_html

register = template.Library()


@register.inclusion_tag("spotting/_transparency.html")
def spotting_transparency() -> dict:
    return {"spot_months": monthly_counts() if settings.SPOTTING_ENABLED else [], "enabled": settings.SPOTTING_ENABLED}


@register.simple_tag(takes_context=True)
def spotting_page_alarm(context) -> str:
    request = context.get("request")
    peer = getattr(request, "user", None)
    if not settings.SPOTTING_ENABLED or not is_supporter(peer):
        return ""
    return render_to_string("spotting/_page_alarm.html", {
        "banners": [alarm_html(session, note=session.note) for session in alarms_for(supporter=peer)],
    })
