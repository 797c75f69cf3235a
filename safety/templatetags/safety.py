from django import template
from django.conf import settings

from safety.overdose import CAPITAL_OD_PATTERN, PHRASES_PATTERN
from safety.overdose import mentions_overdose as _mentions_overdose

register = template.Library()


@register.filter
def mentions_overdose(text: str) -> bool:
    """`{% if post.body|mentions_overdose %}`: True when the text carries an overdose signal."""
    return _mentions_overdose(text or "")


@register.inclusion_tag("safety/_overdose_card_if.html")
def overdose_card(text: str):
    """`{% overdose_card post.body %}`: the overdose card, only when `text` carries an overdose signal."""
    return {"show": _mentions_overdose(text or ""), "EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER}


@register.inclusion_tag("safety/_overdose_card_template.html")
def overdose_card_template():
    """`{% overdose_card_template %}` once on a page whose script adds content live (a room): the card as a
    <template> plus the signal patterns, for static/js/overdose.js."""
    return {"phrases": PHRASES_PATTERN, "capital_od": CAPITAL_OD_PATTERN, "EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER}
