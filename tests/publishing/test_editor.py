"""The editor's server side: pictures through the checked upload, only the post's own images kept in the body,
the 公众号 export (inline styles, no script, class or id, full addresses). Review by someone else: test_workflow."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from dangjian.publishing import services
from dangjian.publishing.sanitize import clean_html, wechat_html


def png(name: str = "活动.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def draft(world):
    return services.create_post(
        actor=world.secretary, org=world.branch_a, school=world.school_a, title="主题党日", body="<p>正文</p>"
    )


def test_a_picture_goes_through_the_checked_upload_and_only_own_pictures_stay(world, login, draft):
    client = login(world.secretary)
    url = reverse("publishing:post_image", args=[draft.pk])
    answer = client.post(url, {"file": png()})
    assert answer.status_code == 200, answer.content
    src = answer.json()["url"]
    refused = client.post(url, {"file": SimpleUploadedFile("a.png", b"<script>alert(1)</script>")})
    assert refused.status_code == 422 and "拒绝" in refused.json()["detail"][0]
    other = services.create_post(
        actor=world.outsider, org=world.branch_b, school=world.school_b, title="乙", body="<p>乙</p>"
    )
    foreign = services.add_attachment(actor=world.outsider, post=other, upload=png(), kinds=("image",))
    body = (
        f'<p>文字</p><img src="{src}" alt="合影"><img src="/publishing/attachments/{foreign.pk}/" alt="别校">'
        '<img src="https://tracker.example/x.png" alt="外链"><img src="x" onerror="alert(1)">'
    )
    services.update_post(actor=world.secretary, post=draft, body=body)
    draft.refresh_from_db()
    assert f'<img src="{src}" alt="合影">' in draft.body
    assert "别校" not in draft.body and "tracker" not in draft.body and "onerror" not in draft.body


def test_clean_html_keeps_what_the_editor_writes():
    html = "<h3>标题</h3><p><strong>加粗</strong><em>斜</em></p><ul><li><p>一</p></li></ul><blockquote><p>引</p></blockquote>"
    assert clean_html(html) == html


def test_the_wechat_export_has_inline_styles_and_nothing_else(world, login, draft):
    services.update_post(
        actor=world.secretary, post=draft, body='<h3>小标题</h3><p>段落<a href="https://a.cn/">链</a></p>'
    )
    html = wechat_html(
        clean_html('<p class="x" id="y">段</p><img src="/publishing/attachments/3/" alt="图">', {3}),
        "https://dj.example/",
    )
    assert 'style="' in html and "class=" not in html and "id=" not in html
    assert 'src="https://dj.example/publishing/attachments/3/"' in html
    page = login(world.secretary).get(reverse("publishing:post_wechat", args=[draft.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "<script" not in content and "class=" not in content and " id=" not in content
    assert '<h3 style="' in content and "小标题" in content
