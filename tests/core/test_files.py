import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.core.files import validate_upload
from tests.factories import xlsx_bytes

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def upload(name, content):
    return SimpleUploadedFile(name, content)


def test_accepts_real_files_matching_their_names():
    assert validate_upload(upload("会议记录.pdf", PDF)) == "pdf"
    assert validate_upload(upload("照片.png", PNG)) == "image"
    assert validate_upload(upload("名册.xlsx", xlsx_bytes()), ("xlsx",)) == "xlsx"


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("说明.pdf", b"MZ\x90\x00" + b"\x00" * 100, "可执行文件"),
        ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "网页代码"),
        ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "网页代码"),
        ("图片.png", PDF, "类型不被接受"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_refuses_disguised_and_active_content(name, content, fragment):
    with pytest.raises(ValidationError) as info:
        validate_upload(upload(name, content))
    assert fragment in info.value.messages[0]


def test_refuses_oversized_files(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as info:
        validate_upload(upload("大文件.pdf", PDF + b"0" * 2048))
    assert "过大" in info.value.messages[0]
