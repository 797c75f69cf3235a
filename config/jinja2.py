"""The Jinja2 environment for the few hot partials that the Django template language renders too slowly
(docs/architecture.md, "Templates"). Autoescaping is on, as Django's Jinja2 backend sets it."""

from jinja2 import Environment, StrictUndefined


def environment(**options) -> Environment:
    # A misspelt variable raises instead of printing nothing: these partials take every value ready-made.
    options["undefined"] = StrictUndefined
    # No blank lines where the tags stood: a thread page was a quarter whitespace.
    options.update(trim_blocks=True, lstrip_blocks=True)
    return Environment(**options)
