"""`{% load phones %}`: phone numbers in text become `tel:` links, so a phone dials them with one tap.

    {{ entry.contact|tel_links }}     "Call 0800 123 456 or drop in"  ->  "Call <a href="tel:0800123456">0800 123 456</a> or drop in"
    {% tel EMERGENCY_NUMBER %}        <a href="tel:911">911</a>

Text is escaped first; only runs of digits (with spaces, dots, dashes, brackets, a leading +) that hold
3 to 15 digits become links. A year or an opening time ("9-17") has too few digits to be taken for one.
"""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# A run that starts with + or a digit (or an opening bracket), goes on with digits and separators, ends on a digit.
_NUMBER = re.compile(r"(?<![\w+])(\+?\(?\d[\d\s().-]*\d)(?![\w])")
_SHORT_NUMBERS = re.compile(r"^\d{3}$")  # 911, 999, 112: emergency numbers


def _dial(text: str) -> str | None:
    digits = re.sub(r"\D", "", text.replace("(0)", "") if text.strip().startswith("+") else text)
    if not 3 <= len(digits) <= 15:
        return None
    if len(digits) < 6 and not _SHORT_NUMBERS.match(text.strip()):
        return None  # "9-17", "2-3 minutes": not a phone number
    if re.fullmatch(r"(19|20)\d\d", text.strip()):
        return None
    return ("+" if text.strip().startswith("+") else "") + digits


@register.filter(needs_autoescape=True)
def tel_links(text, autoescape=True):
    escaped = str(conditional_escape(text if text is not None else ""))

    def link(match):
        number = match.group(1)
        dial = _dial(number)
        return f'<a href="tel:{dial}">{number}</a>' if dial else number

    return mark_safe(_NUMBER.sub(link, escaped))


@register.simple_tag
def tel(number):
    """A link that dials `number` (an emergency number from settings)."""
    dial = _dial(str(number)) or re.sub(r"[^\d+]", "", str(number))
    return format_html('<a href="tel:{}">{}</a>', dial, number)
