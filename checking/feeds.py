"""The results feed (docs/supply.md): /feeds/results.atom and /feeds/results.json, no account, no cookie, answered
conditionally (commons.feeds)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import translation

from checking import selectors
from commons.feeds import AtomWithRelated, conditional_feed, json_feed_response, licence_line

DESCRIPTION = "Drug-checking results: what samples sold as one thing actually contained."


def _title() -> str:
    return f"{settings.SITE_NAME}: drug-checking results"


def _entry_title(result) -> str:
    return f"Sold as {result.sold_as_label} ({result.region}, {result.checked_on:%-d %b %Y})"


def _found(result) -> str:
    return ", ".join(found.label + (" (trace)" if found.trace else f" ({found.amount})" if found.amount else "") for found in result.found.all())


def _summary(result) -> str:
    note = f" Note: {result.note}" if result.note else ""
    return f"Found: {_found(result)}. Method: {result.get_method_display()}. Checked by {result.service}.{note}"


class ResultsAtom(Feed):
    feed_type = AtomWithRelated
    description = DESCRIPTION
    link = "/results/"
    feed_url = "/feeds/results.atom"

    def title(self):
        return _title()

    def feed_copyright(self):
        return licence_line()

    def items(self):
        return selectors.results_for_feed()

    def item_title(self, result):
        return _entry_title(result)

    def item_description(self, result):
        return _summary(result)

    def item_link(self, result):
        return result.get_absolute_url()

    def item_pubdate(self, result):
        return result.created

    def item_updateddate(self, result):  # Atom asks every entry for one; a result is not edited
        return result.created

    def item_categories(self, result):
        return [result.region, result.sold_as, *[found.substance for found in result.found.all()]]


_atom = ResultsAtom()


def _json(request):
    absolute = request.build_absolute_uri
    items = [{
        "id": absolute(result.get_absolute_url()), "url": absolute(result.get_absolute_url()),
        "title": _entry_title(result), "content_text": _summary(result), "date_published": result.created.isoformat(),
        "tags": [result.region, result.sold_as],
        "_result": {"checked_on": result.checked_on.isoformat(), "region": result.region, "sold_as": result.sold_as,
                    "method": result.method, "service": result.service, "note": result.note,
                    "found": [{"substance": f.substance, "amount": f.amount, "trace": f.trace} for f in result.found.all()]},
    } for result in selectors.results_for_feed()]
    return json_feed_response(title=_title(), home_page_url=absolute("/results/"), feed_url=absolute(request.path),
                              description=DESCRIPTION, items=items)


def results_feed(request, fmt: str):
    latest, newest_id = selectors.results_feed_version()
    make = (lambda: _atom(request)) if fmt == "atom" else (lambda: _json(request))

    def build():
        # One feed for everyone, in the site's default language: its ETag and public cache do not vary by reader.
        with translation.override(settings.LANGUAGE_CODE):
            return make()
    return conditional_feed(request, version=(fmt, latest, newest_id), last_modified=latest, build=build)
