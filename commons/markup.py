"""Markdown to safe HTML, run once at write time; the result is stored as body_html.

markdown-it-py with raw HTML off turns Markdown into HTML and bare addresses into links (linkify); nh3
(ammonia, the maintained Rust sanitiser) then keeps only an explicit allowlist of tags, attributes and link
schemes, and gives every link rel="nofollow ugc noopener noreferrer".
No <img>: an image from another host would leak the reader's address.
"""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)
# `rel` is not allowed from the source: nh3 sets it on every link (link_rel).
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener noreferrer"

_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    .enable(["strikethrough", "table", "linkify"])
    .disable(["image"])
)
_markdown.linkify.set({"fuzzy_email": False})  # an address in a post is held by screening, never made a link
# Headings become h3..h6 so a post never outranks the page's own headings.
_HEADING_SHIFT = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h6", "h5": "h6", "h6": "h6"}

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(ALLOWED_PROTOCOLS),
    link_rel=LINK_REL,
    strip_comments=True,
)


def render_markdown(source: str) -> str:
    """Render Markdown to sanitised HTML. Call at write time only, never on a read path."""
    tokens = _markdown.parse(source)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _HEADING_SHIFT.get(token.tag, token.tag)
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return _cleaner.clean(html).strip()
