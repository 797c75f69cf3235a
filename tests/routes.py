"""Every route of the URL conf, for tests that must cover every page: a page added later is walked too.

    for route in all_routes():
        for url in route.urls(values):   # values: {parameter name: [values]}
            client.get(url)

Used by tests/forum/test_visibility_routes.py (held content on every page); meant for any test that
walks the whole site (say, "a GET writes nothing").
"""

import itertools
import re
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

_ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    name: str  # "forum:thread_slug"; "" for an unnamed route
    segments: tuple[tuple[bool, str], ...]  # (is a regular expression?, the pattern as written), outermost first

    @property
    def pattern(self) -> str:
        return "".join(text for _, text in self.segments)

    @property
    def parameters(self) -> tuple[str, ...]:
        found = []
        for is_regex, text in self.segments:
            found += _REGEX_GROUP.findall(text) if is_regex else _ROUTE_PARAMETER.findall(text)
        return tuple(found)

    def url(self, **values) -> str:
        """The path with each parameter filled from `values`."""
        parts = []
        for is_regex, text in self.segments:
            if is_regex:
                text = _REGEX_GROUP.sub(lambda m: quote(str(values[m.group(1)]), safe=""), text.removeprefix("^").removesuffix("$"))
                text = text.replace("\\", "")
            else:
                text = _ROUTE_PARAMETER.sub(lambda m: quote(str(values[m.group(1)]), safe=""), text)
            parts.append(text)
        return "/" + "".join(parts)

    def urls(self, values: dict) -> list[str]:
        """One URL per combination of the values given for each parameter (`values[name]`: a list). A
        parameter named "<route name>.<parameter>" in `values` wins over the plain name, for routes
        whose parameter means something else (`entry_id` of a log entry, or of a listed service)."""
        names = self.parameters
        choices = [values.get(f"{self.name}.{name}", values.get(name)) for name in names]
        if any(choice is None for choice in choices):
            raise KeyError(f"no value for {[n for n, c in zip(names, choices) if c is None]} in {self.pattern!r} ({self.name})")
        return [self.url(**dict(zip(names, combination))) for combination in itertools.product(*choices)]


def all_routes(urlconf=None) -> list[Route]:
    """Every route of the URL conf (`ROOT_URLCONF` by default), includes followed, in resolution order."""

    def walk(patterns, prefix: tuple, namespace: str):
        for entry in patterns:
            segment = (isinstance(entry.pattern, RegexPattern), str(entry.pattern))
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, (*prefix, segment), inner)
            elif isinstance(entry, URLPattern):
                yield Route(name=f"{namespace}{entry.name}" if entry.name else "", segments=(*prefix, segment))

    return list(walk(get_resolver(urlconf).url_patterns, (), ""))
