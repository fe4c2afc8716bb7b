"""Rich text for posts: a small set of tags, links to http(s) and mail only, no script, no event handlers, no
style, no images from elsewhere (an outside image would tell a third party who read the post)."""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "blockquote",
        "a",
        "hr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def clean_html(raw: str) -> str:
    """The body as stored and shown: whatever is not on the allow-lists is dropped (script and style with
    their content)."""
    return nh3.clean(
        raw or "",
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


_BLANK_LINES = re.compile(r"\n\s*\n")
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!]")


def paragraphs(raw: str) -> str:
    """Plain text typed on a phone becomes paragraphs; text that already has markup is left to clean_html."""
    raw = (raw or "").strip()
    if _TAG.search(raw):
        return raw
    return "".join(
        "<p>" + html.escape(block.strip()).replace("\n", "<br>") + "</p>"
        for block in _BLANK_LINES.split(raw)
        if block.strip()
    )


_SPACES = re.compile(r"\s+")


def plain_text(raw: str) -> str:
    """The text of a body, for search, summaries and feeds."""
    return _SPACES.sub(" ", html.unescape(nh3.clean(raw or "", tags=set()))).strip()


def summary_of(text: str, length: int = 120) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
