"""Share cards: Open Graph metadata, a QR code of the public address, a share-sized image; no tracking."""

import io
import re

from django.urls import reverse
from PIL import Image

from dangjian.publishing import cards
from tests.publishing.factories import public_post


def _meta(html: str, prop: str) -> str:
    match = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', html)
    assert match, prop
    return match.group(1)


def test_post_page_has_open_graph_metadata_with_absolute_urls(world, client):
    post = public_post(org=world.branch_a, school=world.school_a, title="分享测试", summary="一段摘要")
    html = client.get(reverse("publishing:post", args=[post.pk])).content.decode()
    assert _meta(html, "og:title") == "分享测试"
    assert _meta(html, "og:description") == "一段摘要"
    assert _meta(html, "og:type") == "article"
    assert _meta(html, "og:url") == f"http://testserver/publishing/posts/{post.pk}/"
    assert _meta(html, "og:image") == f"http://testserver/publishing/posts/{post.pk}/card.png"


def test_qr_code_and_share_image(world, client):
    post = public_post(org=world.branch_a, school=world.school_a, title="一篇标题相当长的工作动态" * 3)
    qr = client.get(reverse("publishing:post_qr", args=[post.pk]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(qr.content))
    assert image.width == image.height >= 100
    card = client.get(reverse("publishing:post_card", args=[post.pk]))
    assert card.status_code == 200 and card["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(card.content)).size == cards.CARD_SIZE


def test_qr_encodes_the_public_address():
    # The same URL always gives the same picture, and a different URL a different one.
    a = cards.qr_png("http://testserver/publishing/posts/1/")
    assert a == cards.qr_png("http://testserver/publishing/posts/1/")
    assert a != cards.qr_png("http://testserver/publishing/posts/2/")


def test_a_cjk_font_is_found_on_this_machine():
    assert cards.font_path() is not None


def test_reading_a_post_sets_no_cookie_and_loads_nothing_from_elsewhere(world, client):
    post = public_post(org=world.branch_a, school=world.school_a, title="不追踪读者")
    response = client.get(reverse("publishing:post", args=[post.pk]))
    assert response.status_code == 200
    assert not response.cookies, "no session, no tracking cookie for readers"
    html = response.content.decode()
    outside = [
        u for u in re.findall(r'(?:src|href)="(https?://[^"]+)"', html) if not u.startswith("http://testserver/")
    ]
    assert outside == []
