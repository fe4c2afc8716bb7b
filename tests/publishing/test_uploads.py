import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from dangjian.publishing import services
from dangjian.publishing.models import Attachment


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(out, format="PNG")
    return out.getvalue()


def _post(world, **kwargs):
    return services.create_post(
        actor=world.secretary,
        org=world.branch_a,
        school=world.school_a,
        title="带附件的稿件",
        body="<p>正文</p>",
        **kwargs,
    )


def test_cover_must_really_be_an_image(world):
    with pytest.raises(ValidationError, match="不是允许的类型"):
        _post(world, cover=SimpleUploadedFile("cover.png", b"<html><script>alert(1)</script></html>"))
    with pytest.raises(ValidationError, match="不被接受"):
        _post(world, cover=SimpleUploadedFile("cover.png", b"%PDF-1.4 not an image" + b"\0" * 100))


def test_cover_and_attachment_are_public_only_once_the_post_is(world, client, login):
    post = _post(world, cover=SimpleUploadedFile("cover.png", png_bytes()))
    pdf = SimpleUploadedFile("活动方案.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
    response = login(world.secretary).post(reverse("publishing:post_attach", args=[post.pk]), {"file": pdf})
    assert response.status_code == 302
    attachment = Attachment.all_objects.get(post=post)
    assert client.get(reverse("publishing:post_cover", args=[post.pk])).status_code == 404
    assert client.get(reverse("publishing:attachment", args=[attachment.pk])).status_code == 404
    # the secretary sees them in the management pages; the outsider does not
    own = login(world.secretary).get(reverse("publishing:post_cover", args=[post.pk]))
    assert own.status_code == 200 and b"".join(own.streaming_content) == png_bytes()  # consuming closes the file
    assert login(world.outsider).get(reverse("publishing:attachment", args=[attachment.pk])).status_code == 404
    services.submit_post(actor=world.secretary, post=post)
    services.approve_post(actor=world.county_admin, post=post)
    cover = client.get(reverse("publishing:post_cover", args=[post.pk]))
    assert cover.status_code == 200 and b"".join(cover.streaming_content) == png_bytes()
    download = client.get(reverse("publishing:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert download.content.startswith(b"%PDF")
    page = client.get(reverse("publishing:post", args=[post.pk])).content.decode()
    assert "活动方案.pdf" in page


def test_an_executable_attachment_is_refused(world, login):
    post = _post(world)
    exe = SimpleUploadedFile("说明.pdf", b"MZ\x90\x00" + b"\0" * 200)
    response = login(world.secretary).post(
        reverse("publishing:post_attach", args=[post.pk]), {"file": exe}, follow=True
    )
    assert "可执行文件" in response.content.decode()
    assert not Attachment.all_objects.filter(post=post).exists()
