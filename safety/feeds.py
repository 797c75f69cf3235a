"""Drug-alert feeds (docs/supply.md): /feeds/alerts.atom and .json, and per region /feeds/alerts/<region>.atom and
.json. No account, no cookie; ETag and Last-Modified so that polling is cheap (commons.feeds)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import translation
from django.http import HttpResponseNotFound
from django.utils.text import slugify

from checking.vocabulary import region_for_slug, regions
from commons.feeds import AtomWithRelated, conditional_feed, json_feed_response, licence_line
from safety import selectors

MSG_UNKNOWN_REGION = "There is no region “{slug}” here, so there is no feed for it. The regions' feeds are:\n{feeds}\n"


def _title(region: str | None) -> str:
    return f"{settings.SITE_NAME}: drug alerts" + (f" in {region}" if region else "")


def _summary(alert) -> str:
    return f"{alert.summary} Source: {alert.get_source_display()}. Until {alert.expires_at:%-d %b %Y, %H:%M} UTC."


class AlertsAtom(Feed):
    feed_type = AtomWithRelated
    description = "Drug alerts published by the community's moderators, with the drug-checking results they rest on."

    def get_object(self, request, region=None):
        self._request = request
        return region

    def title(self, region):
        return _title(region)

    def link(self, region):
        return "/alerts/"

    def feed_url(self, region):
        return f"/feeds/alerts/{slugify(region)}.atom" if region else "/feeds/alerts.atom"

    def feed_copyright(self, region):
        return licence_line()

    def items(self, region):
        return selectors.alerts_for_feed(region)

    def item_title(self, alert):
        return f"{alert.get_severity_display().capitalize()}: {alert.substance} ({alert.region})"

    def item_description(self, alert):
        return _summary(alert)

    def item_link(self, alert):
        return alert.get_absolute_url()

    def item_guid(self, alert):
        return self._request.build_absolute_uri(f"/alerts/#alert-{alert.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, alert):
        return alert.created

    def item_updateddate(self, alert):
        return max(alert.created, alert.moderated_at or alert.created)

    def item_categories(self, alert):
        return [alert.region, alert.severity, alert.source]

    def item_extra_kwargs(self, alert):
        return {"related": [self._request.build_absolute_uri(result.get_absolute_url()) for result in alert.results.all()]}


_atom = AlertsAtom()


def _json(request, region):
    absolute = request.build_absolute_uri
    items = [{
        "id": absolute(f"/alerts/#alert-{alert.pk}"), "url": absolute(alert.get_absolute_url()),
        "title": _atom.item_title(alert), "content_text": _summary(alert),
        "date_published": alert.created.isoformat(), "date_modified": _atom.item_updateddate(alert).isoformat(),
        "tags": [alert.region, alert.severity, alert.source],
        "_alert": {"substance": alert.substance, "region": alert.region, "severity": alert.severity, "source": alert.source,
                   "expires": alert.expires_at.isoformat(),
                   "evidence": [absolute(result.get_absolute_url()) for result in alert.results.all()]},
    } for alert in selectors.alerts_for_feed(region)]
    return json_feed_response(title=_title(region), home_page_url=absolute("/alerts/"), feed_url=absolute(request.path),
                              description=AlertsAtom.description, items=items)


def _region_or_404(slug: str):
    region = region_for_slug(slug)
    if region is None:
        feeds = "\n".join(f"/feeds/alerts/{slugify(name)}.atom" for name in regions())
        return None, HttpResponseNotFound(MSG_UNKNOWN_REGION.format(slug=slug, feeds=feeds), content_type="text/plain; charset=utf-8")
    return region, None


def _answer(request, region, fmt: str):
    latest, count = selectors.alerts_feed_version(region)
    make = (lambda: _atom(request, region=region)) if fmt == "atom" else (lambda: _json(request, region))

    def build():
        # One feed for everyone, in the site's default language: its ETag and public cache do not vary by reader.
        with translation.override(settings.LANGUAGE_CODE):
            return make()
    return conditional_feed(request, version=(fmt, region, latest, count), last_modified=latest, build=build)


def alerts_feed(request, fmt: str):
    return _answer(request, None, fmt)


def region_alerts_feed(request, region: str, fmt: str):
    name, missing = _region_or_404(region)
    return missing or _answer(request, name, fmt)
