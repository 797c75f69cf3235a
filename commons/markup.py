"""Markdown to safe HTML, run once at write time; the result is stored as body_html.

markdown-it-py with raw HTML off turns Markdown into HTML and bare addresses into links (linkify); nh3
(ammonia, the maintained Rust sanitiser) then keeps only an explicit allowlist of tags, attributes and link
schemes, and gives every link rel="nofollow ugc noopener noreferrer".
No <img>: an image from another host would leak the reader's address.
"""

import re
from urllib.parse import quote

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

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

# "@name" links to that member's profile (/u/<name>/), as forum.services.MENTION_PATTERN finds mentions.
MENTION = re.compile(r"(?<![\w@/.])@([A-Za-z0-9_.-]{3,30})")


def _link_mentions(state) -> None:
    """Core rule: split text tokens (outside links, code and quotes) at each @mention into a link to the
    profile. A quote keeps its names as text: it is someone else's words, and its header names the person
    quoted, who may since have deleted their account."""
    quoted = 0
    for block in state.tokens:
        quoted += 1 if block.type == "blockquote_open" else -1 if block.type == "blockquote_close" else 0
        if quoted or block.type != "inline" or not block.children or "@" not in block.content:
            continue
        children, inside_link = [], 0
        for token in block.children:
            inside_link += 1 if token.type == "link_open" else -1 if token.type == "link_close" else 0
            if token.type != "text" or inside_link or "@" not in token.content:
                children.append(token)
                continue
            position = 0
            for match in MENTION.finditer(token.content):
                name = match.group(1).rstrip(".")
                if len(name) < 3:
                    continue
                end = match.start() + 1 + len(name)
                if match.start() > position:
                    children.append(_text(token.content[position:match.start()]))
                opening = Token("link_open", "a", 1)
                opening.attrs = {"href": f"/u/{quote(name, safe='')}/"}
                children += [opening, _text("@" + name), Token("link_close", "a", -1)]
                position = end
            if position < len(token.content):
                children.append(_text(token.content[position:]))
        block.children = children


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _parser(*, breaks: bool) -> MarkdownIt:
    parser = (
        MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False, "breaks": breaks})
        .enable(["strikethrough", "table", "linkify"])
        .disable(["image"])
    )
    parser.linkify.set({"fuzzy_email": False})  # an address in a post is held by screening, never made a link
    parser.core.ruler.push("mentions", _link_mentions)
    return parser


_markdown = _parser(breaks=False)
# Chat keeps each line break as typed (Shift+Enter): a chat line is not a paragraph of prose.
_markdown_chat = _parser(breaks=True)
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


def render_markdown(source: str, *, line_breaks: bool = False) -> str:
    """Render Markdown to sanitised HTML. Call at write time only, never on a read path. `line_breaks`: every
    newline becomes a <br> (chat), not only two spaces or a backslash before it."""
    parser = _markdown_chat if line_breaks else _markdown
    tokens = parser.parse(source)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _HEADING_SHIFT.get(token.tag, token.tag)
    html = parser.renderer.render(tokens, parser.options, {})
    return _cleaner.clean(html).strip()
