"""The layout's {% asset %} prints what {% static %} would, on every page."""

from django.templatetags.static import static

from commons.assets import asset


def test_asset_is_the_static_url(db):
    assert asset("css/site.css") == static("css/site.css")


def test_the_layout_links_its_files_through_asset(client, db):
    page = client.get("/about/").content.decode()
    for path in ("css/site.css", "css/forum.css", "js/quick-exit.js", "favicon.svg"):
        assert f'"{static(path)}"' in page
