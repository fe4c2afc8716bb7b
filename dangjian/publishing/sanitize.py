"""Rich text for posts: a small set of tags, links to http(s) and mail only, no script, no event handlers, no
style, no images from elsewhere (an outside image would tell a third party who read the post): an image is one
of the post's own checked uploads (its attachment URL), nothing else."""

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
        "img",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "img": {"src", "alt"},
}
# The post's own images: publishing:attachment URLs (views.post_image answers the editor with one).
IMAGE_SRC = re.compile(r"^/publishing/attachments/(\d+)/$")
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def image_ids(raw: str) -> set[int]:
    """The attachment ids the body's images name."""
    return {int(m) for m in re.findall(r'<img[^>]*\ssrc="/publishing/attachments/(\d+)/"', raw or "")}


def clean_html(raw: str, images: frozenset[int] | set[int] = frozenset()) -> str:
    """The body as stored and shown: whatever is not on the allow-lists is dropped (script and style with
    their content). An image stays only if it is one of `images` (the post's own attachments)."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            found = IMAGE_SRC.match(value)
            return value if found and int(found.group(1)) in images else None
        return value

    cleaned = nh3.clean(
        raw or "",
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=keep,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return _IMG_WITHOUT_SRC.sub("", cleaned).strip()


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


# 公众号 export: the editor of a WeChat official account keeps inline styles and drops classes, ids and scripts;
# each tag gets its look written on it.
WECHAT_STYLES = {
    "p": "margin:0 0 1em;line-height:1.8;font-size:16px;color:#222;text-align:justify;",
    "h2": "margin:1.2em 0 .6em;font-size:19px;font-weight:bold;color:#b22222;",
    "h3": "margin:1em 0 .5em;font-size:17px;font-weight:bold;color:#b22222;",
    "h4": "margin:1em 0 .5em;font-size:16px;font-weight:bold;color:#222;",
    "ul": "margin:0 0 1em;padding-left:1.5em;",
    "ol": "margin:0 0 1em;padding-left:1.5em;",
    "li": "margin:0 0 .3em;line-height:1.8;font-size:16px;color:#222;",
    "blockquote": "margin:0 0 1em;padding:.5em 1em;border-left:4px solid #b22222;background:#faf7f4;color:#444;",
    "a": "color:#b22222;text-decoration:underline;",
    "img": "display:block;max-width:100%;height:auto;margin:.6em auto;",
    "table": "border-collapse:collapse;width:100%;margin:0 0 1em;font-size:15px;",
    "th": "border:1px solid #ccc;padding:4px 6px;background:#faf7f4;",
    "td": "border:1px solid #ccc;padding:4px 6px;",
    "hr": "border:0;border-top:1px solid #ddd;margin:1.2em 0;",
}
_RELATIVE = re.compile(r'(\s(?:src|href))="/')


def wechat_html(body: str, base_url: str) -> str:
    """A stored (already clean) body as the 公众号 editor takes it: inline styles, absolute URLs, no class, id or
    script; links and images only as the body already allowed them."""
    allowed = {tag: set(attrs) | {"style"} for tag, attrs in ALLOWED_ATTRIBUTES.items()}
    for tag in WECHAT_STYLES:
        allowed.setdefault(tag, {"style"})
    styled = nh3.clean(
        body or "",
        tags=set(ALLOWED_TAGS),
        attributes=allowed,
        set_tag_attribute_values={tag: {"style": style} for tag, style in WECHAT_STYLES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    return _RELATIVE.sub(lambda m: f'{m.group(1)}="{base_url.rstrip("/")}/', styled)
