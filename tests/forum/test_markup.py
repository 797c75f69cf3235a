"""The renderer never lets script through, whatever people type."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commons.markup import render_markdown

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click]( javascript:alert(1) )",
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    "<iframe src=javascript:alert(1)></iframe>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<style>@import 'javascript:alert(1)';</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<details open ontoggle=alert(1)>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "[x](vbscript:msgbox(1))",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "www.example.com/<script>",
    "http://example.com/?q=\"><script>alert(1)</script>",
    "[a](<javascript:alert(1)>)",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<object data=data:text/html,x></object>",
    "<base href=javascript:/>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "DATA:0.AL",  # found by hypothesis: the linkifier took "data:" for a scheme
    "data:text.com/html",
    "see javascript:alert.com/x",
    "JAVASCRIPT:x.org",
]

_SCRIPT = re.compile(r"<\s*script", re.IGNORECASE)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "background", "poster", "srcset"}
_BAD_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.IGNORECASE)


class _Inspector(HTMLParser):
    """Collects what a browser would see as markup: tags, attribute names, URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "style", "base", "meta", "form", "img", "svg", "math"):
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"attribute {name}")
            if name == "style":
                self.problems.append("style attribute")
            if name in _URL_ATTRIBUTES and value is not None:
                compact = re.sub(r"[\x00-\x20]", "", value)
                if _BAD_SCHEME.match(compact):
                    self.problems.append(f"{name}={value!r}")


def assert_safe(html: str) -> None:
    assert not _SCRIPT.search(html), html
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    assert not inspector.problems, (inspector.problems, html)


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_known_xss_vectors_come_out_harmless(vector):
    assert_safe(render_markdown(vector))


_fragments = st.sampled_from(XSS_VECTORS + ["<", ">", '"', "'", "[", "](", ")", "`", "\n", "&#", "javascript:", "data:", " on", "=", "*", "#"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(max_size=40), _fragments), max_size=12).map("".join))
def test_arbitrary_text_never_renders_script(source):
    assert_safe(render_markdown(source))


def test_links_get_nofollow_ugc_noopener():
    html = render_markdown("[naloxone](https://example.org/naloxone) and https://example.org/strips")
    assert html.count('rel="') == 2
    for rel in re.findall(r'rel="([^"]*)"', html):
        assert {"nofollow", "ugc", "noopener"} <= set(rel.split())


def test_raw_html_is_shown_as_text_not_markup():
    html = render_markdown("<b>bold?</b>")
    assert "<b>" not in html
    assert "&lt;b&gt;" in html


def test_mentions_link_to_profiles_outside_code_links_and_quotes():
    from commons.markup import render_markdown

    html = render_markdown("thanks @willow and @bo. `@code` [@river](https://example.org) mail a@b.org\n\n> **@river** wrote:")
    assert '<a href="/u/willow/" rel="nofollow ugc noopener noreferrer">@willow</a>' in html
    assert 'href="/u/bo/"' not in html and "<code>@code</code>" in html  # too short a name; code stays code
    assert 'href="/u/river/"' not in html and 'href="/u/b.org/"' not in html


def test_chat_keeps_line_breaks_and_prose_does_not():
    from commons.markup import render_markdown

    assert render_markdown("one\ntwo", line_breaks=True) == "<p>one<br>\ntwo</p>"
    assert render_markdown("one\ntwo") == "<p>one\ntwo</p>"
