"""Extras one app shows on another app's page, without either importing the other (docs/architecture.md,
"Layers"): the page names a slot and the objects it shows; an app registers, in its AppConfig.ready, a function
that renders its part for them. Voice adds a thread's poll to forum's thread page (slot "forum.thread") and the
members' ratings to safety's services directory ("safety.services"); forum and safety know only the slot.

A renderer is `render(request, objects) -> {object's pk: html}`; the page prints the html of each object's
renderers, in the order they registered. A slot nobody filled renders nothing.
"""

from collections.abc import Callable, Iterable

from django.utils.safestring import SafeString, mark_safe

_SLOTS: dict[str, list[Callable]] = {}


def register(slot: str, render: Callable) -> None:
    """Add `render(request, objects) -> {pk: html}` to `slot` (once; registering again changes nothing)."""
    renderers = _SLOTS.setdefault(slot, [])
    if render not in renderers:
        renderers.append(render)


def render(slot: str, request, objects: Iterable) -> dict[int, SafeString]:
    """The extras of `slot` for each of `objects`, by pk ("" for an object no renderer added to)."""
    objects = list(objects)
    found: dict[int, list[str]] = {obj.pk: [] for obj in objects}
    for renderer in _SLOTS.get(slot, ()):
        for pk, html in (renderer(request, objects) or {}).items():
            if pk in found and html:
                found[pk].append(html)
    return {pk: mark_safe("".join(parts)) for pk, parts in found.items()}


def render_one(slot: str, request, obj) -> SafeString:
    return render(slot, request, [obj])[obj.pk]
