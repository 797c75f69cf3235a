"""Feeds that track nobody (issue 19): Atom through Django's syndication framework, JSON Feed 1.1 by hand, both
answered conditionally (ETag and Last-Modified; 304 when nothing changed), licensed as the deployment says
(`OPEN_DATA_LICENCE`). A feed view reads no session and sets no cookie: a feed reader is nobody in particular.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date

FEED_CACHE_SECONDS = 60 * 60  # a built feed is kept under its ETag (a new version is a new key)
FEED_MAX_AGE = 60  # seconds a reader or a proxy may keep a feed before asking again (conditionally)
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def licence() -> dict:
    return {"name": settings.OPEN_DATA_LICENCE, "url": settings.OPEN_DATA_LICENCE_URL}


def licence_line() -> str:
    return f"Open data under {settings.OPEN_DATA_LICENCE} ({settings.OPEN_DATA_LICENCE_URL})"


class AtomWithRelated(Atom1Feed):
    """Atom with a `<link rel="related">` per URL an item names in `related` (an alert's evidence)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for url in item.get("related", ()):
            handler.addQuickElement("link", "", {"href": url, "rel": "related"})


def conditional_feed(request: HttpRequest, *, version: tuple, last_modified: datetime | None, build: Callable[[], HttpResponse]) -> HttpResponse:
    """Answer 304 when the reader has this version (If-None-Match, If-Modified-Since); else `build()` the feed.

    `version`: whatever changes when the feed's content does (the latest change and a count, the filter, the
    licence), hashed into the ETag; `last_modified`: the latest change, for readers that send If-Modified-Since."""
    etag = '"' + hashlib.sha256(repr((*version, settings.OPEN_DATA_LICENCE)).encode()).hexdigest()[:32] + '"'
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = _built(request, etag, build)
    response.headers["ETag"] = etag
    if timestamp is not None:
        response.headers["Last-Modified"] = http_date(timestamp)
    response.headers["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    return response


def _built(request: HttpRequest, etag: str, build: Callable[[], HttpResponse]) -> HttpResponse:
    """The feed for this version, built once and kept under its ETag (and the address it was asked at, which its links
    carry): a reader without the version pays a cache read, not 50 entries written out again. Building took 11-21 ms
    of /feeds/alerts.atom and /feeds/results.atom at 100,000 results (5.8x the trivial view on SQLite, 10-11x on
    PostgreSQL; docs/performance.md, "Results and feeds"). One entry per feed and version: nothing grows with readers."""
    key = f"feed:{etag.strip(chr(34))}:{request.scheme}:{request.get_host()}:{request.path}"
    kept = cache.get(key)
    if kept is not None:
        content, content_type = kept
        return HttpResponse(content, content_type=content_type)
    response = build()
    if response.status_code == 200:
        cache.set(key, (response.content, response.headers["Content-Type"]), FEED_CACHE_SECONDS)
    return response


def json_feed_response(*, title: str, home_page_url: str, feed_url: str, description: str, items: list[dict]) -> HttpResponse:
    """A JSON Feed 1.1 document; the licence travels as the `_licence` extension (underscore: JSON Feed's rule)."""
    document = {"version": JSON_FEED_VERSION, "title": title, "home_page_url": home_page_url, "feed_url": feed_url,
                "description": f"{description} {licence_line()}.", "_licence": licence(), "items": items}
    return HttpResponse(json.dumps(document, ensure_ascii=False, indent=1), content_type="application/feed+json; charset=utf-8")
