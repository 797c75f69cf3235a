"""`{% asset "css/site.css" %}`: the `{% static %}` URL, worked out once per process.

The layout prints ten static URLs on every page; with the manifest storage each `{% static %}` looks
the file up and joins URLs again, a quarter of the layout's rendering time (docs/performance.md). A
file's URL cannot change while a process runs: the manifest is read once, at start.
"""

import functools

from django import template
from django.templatetags.static import static

register = template.Library()


@register.simple_tag(name="asset")
@functools.cache
def asset(path: str) -> str:
    return static(path)
