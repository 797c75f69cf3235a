"""Markdown to safe HTML, run once at write time; the result is stored as body_html.

markdown-it-py with raw HTML off, then bleach with an explicit allowlist.
No <img>: an image from another host would leak the reader's address.
"""

import re
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "ol": ["start"], "th": ["align"], "td": ["align"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener noreferrer"

_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable(["strikethrough", "table"])
    .disable(["image"])
)
# Headings become h3..h6 so a post never outranks the page's own headings.
_HEADING_SHIFT = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h6", "h5": "h6", "h6": "h6"}


_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20]")


def _set_link_rel(attrs, new=False):
    # The linkifier runs after the sanitiser and treats "data:foo.com" as a URL with a scheme,
    # so every link is checked here too: a scheme outside ALLOWED_PROTOCOLS drops the link, keeps the text.
    scheme = _SCHEME.match(_IGNORED_BY_BROWSERS.sub("", attrs.get((None, "href"), "")))
    if scheme and scheme.group(1).lower() not in ALLOWED_PROTOCOLS:
        return None
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags={"pre", "code"}, parse_email=False)],
)


def render_markdown(source: str) -> str:
    """Render Markdown to sanitised HTML. Call at write time only, never on a read path."""
    tokens = _markdown.parse(source)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _HEADING_SHIFT.get(token.tag, token.tag)
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return _cleaner.clean(html).strip()
