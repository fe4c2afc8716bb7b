from html.parser import HTMLParser

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.publishing import services
from dangjian.publishing.sanitize import clean_html, paragraphs, plain_text


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def elements(markup: str) -> list[tuple[str, list]]:
    collector = _Collector()
    collector.feed(markup)
    return collector.found


ATTACKS = [
    ("script tag", "<p>正文</p><script>alert('xss')</script>", ["<script", "alert("]),
    ("script in caps", "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>", ["<script", "evil.example"]),
    ("img onerror", '<img src="x" onerror="alert(1)">', ["onerror", "alert("]),
    ("onclick", '<p onclick="steal()">点我</p>', ["onclick", "steal("]),
    ("onmouseover on a link", '<a href="https://example.cn" onmouseover="alert(1)">链接</a>', ["onmouseover"]),
    ("svg onload", '<svg onload="alert(1)"><circle/></svg>', ["onload", "<svg"]),
    ("javascript: url", '<a href="javascript:alert(1)">链接</a>', ["javascript:", "alert("]),
    ("javascript: mixed case", '<a href="JaVaScRiPt:alert(1)">链接</a>', ["javascript:", "alert("]),
    ("javascript: entity-encoded", '<a href="&#106;avascript:alert(1)">链接</a>', ["avascript:", "alert("]),
    ("javascript: with tab", '<a href="java\tscript:alert(1)">链接</a>', ["script:", "alert("]),
    ("data: url", '<a href="data:text/html;base64,PHNjcmlwdD4=">链接</a>', ["data:"]),
    ("style attribute", '<p style="position:fixed;top:0">覆盖</p>', ["style", "position:fixed"]),
    ("style tag", "<style>body{display:none}</style><p>正文</p>", ["<style", "display:none"]),
    ("iframe", '<iframe src="https://evil.example"></iframe>', ["<iframe", "evil.example"]),
    ("form", '<form action="https://evil.example"><input name=p></form>', ["<form", "<input"]),
    ("outside image (tracking pixel)", '<img src="https://tracker.example/p.gif">', ["<img", "tracker.example"]),
]


@pytest.mark.parametrize(("name", "raw", "forbidden"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_sanitizer_removes(name, raw, forbidden):
    cleaned = clean_html(raw).lower()
    for fragment in forbidden:
        assert fragment.lower() not in cleaned, (name, cleaned)


def test_sanitizer_keeps_the_allowed_formatting():
    raw = '<h3>小标题</h3><p><strong>加粗</strong>和<em>强调</em></p><ul><li>一</li></ul><a href="https://www.12371.cn/">共产党员网</a>'
    cleaned = clean_html(raw)
    for kept in (
        "<h3>小标题</h3>",
        "<strong>加粗</strong>",
        "<em>强调</em>",
        "<li>一</li>",
        'href="https://www.12371.cn/"',
    ):
        assert kept in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned


def test_plain_text_typed_on_a_phone_becomes_paragraphs():
    assert (
        clean_html(paragraphs("第一段\n第二行\n\n第二段 <不是标签"))
        == "<p>第一段<br>第二行</p><p>第二段 &lt;不是标签</p>"
    )


def test_plain_text_has_no_markup_and_no_script_text():
    assert plain_text("<p>甲&amp;乙</p><script>alert(1)</script><p> 丙 </p>") == "甲&乙 丙"


@settings(max_examples=60, deadline=None, database=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<script>",
                "</script>",
                "alert(1)",
                "<a href='javascript:x()'>",
                "<p onclick='x()'>",
                "<img src=x onerror=y>",
                "style='color:red'",
                "<p>",
                "</p>",
                "党建",
                "<",
                ">",
                '"',
                "&",
            ]
        ),
        max_size=20,
    )
)
def test_no_combination_survives(parts):
    """Whatever the mix, the result has no script or style element, no event handler or style attribute and
    no link other than http(s) or mail (text that merely reads like code is harmless text)."""
    for tag, attrs in elements(clean_html("".join(parts))):
        assert tag not in {"script", "style", "img", "iframe", "svg"}
        for name, value in attrs:
            assert not name.startswith("on") and name != "style", (tag, name)
            if name == "href":
                assert (value or "").lower().startswith(("http:", "https:", "mailto:")), value


def test_a_hostile_body_is_clean_when_stored_and_on_the_public_page(world, client):
    body = "".join(raw for _n, raw, _f in ATTACKS) + "<p>正文保留</p>"
    post = services.create_post(
        actor=world.secretary, org=world.branch_a, school=world.school_a, title="含恶意代码的稿件", body=body
    )
    services.submit_post(actor=world.secretary, post=post)
    services.approve_post(actor=world.county_admin, post=post)
    post.refresh_from_db()
    stored = post.body.lower()
    for fragment in ("<script", "onerror", "onclick", "onload", "javascript:", "style=", "<iframe", "evil.example"):
        assert fragment not in stored
    page = client.get(reverse("publishing:post", args=[post.pk])).content.decode().lower()
    body_html = page.split('<div class="pub-body">', 1)[1].split("</div>", 1)[0]
    assert "正文保留" in body_html
    for fragment in ("<script", "onerror", "onclick", "onload", "javascript:", "style=", "alert(", "evil.example"):
        assert fragment not in body_html
