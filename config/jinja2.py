"""The Jinja2 environment for the few hot partials that the Django template language renders too slowly
(docs/architecture.md, "Templates"). Autoescaping is on, as Django's Jinja2 backend sets it.

Their words are translated with Django's own catalogues: `{{ _("Plain words") }}` (Jinja2's i18n extension
with Django's gettext). `makemessages` reads these files as Django templates, and Django's template reader
finds `_("...")` in a `{{ }}` or `{% %}` tag, so the words land in locale/*/django.po with the rest
(docs/translating.md, "Jinja2 partials"). A value goes in with `|format`: `{{ _("By %(name)s")|format(name=x) }}`."""

from django.utils.translation import gettext, ngettext
from jinja2 import Environment, StrictUndefined


def environment(**options) -> Environment:
    # A misspelt variable raises instead of printing nothing: these partials take every value ready-made.
    options["undefined"] = StrictUndefined
    # No blank lines where the tags stood: a thread page was a quarter whitespace.
    options.update(trim_blocks=True, lstrip_blocks=True)
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.i18n"]
    env = Environment(**options)
    # Old-style gettext: `_()` returns the plain translated text (escaped when printed, like any value), and
    # `|format` fills its %(name)s placeholders.
    env.install_gettext_callables(gettext, ngettext, newstyle=False)
    return env
