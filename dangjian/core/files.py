"""Checks every upload before it is stored: size, the real type from the file's bytes, the name's ending.

A file is accepted only when its content is one of the kinds allowed for that upload *and* its name ends as
that kind does: an .exe renamed to .pdf, an HTML page or an SVG with script in it are refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    label: str
    extensions: tuple[str, ...]
    mimes: tuple[str, ...]


KINDS = {
    "pdf": Kind("PDF", (".pdf",), ("application/pdf",)),
    "image": Kind(
        _("图片"), (".jpg", ".jpeg", ".png", ".webp", ".gif"), ("image/jpeg", "image/png", "image/webp", "image/gif")
    ),
    "xlsx": Kind(
        "Excel", (".xlsx",), ("application/zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    ),
    "docx": Kind(
        "Word",
        (".docx",),
        ("application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ),
    "doc": Kind("Word", (".doc",), ("application/x-ole-storage", "application/msword")),
    "video": Kind(_("视频"), (".mp4",), ("video/mp4",)),
    "audio": Kind(_("音频"), (".mp3", ".m4a"), ("audio/mpeg", "audio/mp4", "video/mp4")),
}
DOCUMENTS = ("pdf", "image", "docx", "doc", "xlsx")

# Content that must never be stored as an attachment, whatever its name says.
_FORBIDDEN_PREFIXES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"PK\x03\x04\x14\x00\x06\x00")
_MARKUP_MARKERS = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<iframe", b"javascript:")


def _sniff_ole(head: bytes) -> str | None:
    return "application/x-ole-storage" if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") else None


def validate_upload(upload, allowed: tuple[str, ...] = DOCUMENTS, *, max_bytes: int | None = None) -> str:
    """Raise ValidationError with a Chinese message, or return the kind name that matched."""
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("文件“%(name)s”过大（%(size).1f MB），上限为 %(limit).0f MB。")
            % {"name": upload.name, "size": upload.size / 1048576, "limit": limit / 1048576}
        )
    if upload.size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": upload.name})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    lowered = head.lower()
    if head.startswith(_FORBIDDEN_PREFIXES[:4]) or any(marker in lowered for marker in _MARKUP_MARKERS):
        raise ValidationError(
            _("文件“%(name)s”的内容不是允许的类型（可执行文件或网页代码），已拒绝。") % {"name": upload.name}
        )
    guessed = filetype.guess(head)
    mime = guessed.mime if guessed else _sniff_ole(head)
    name = upload.name.lower()
    for kind_name in allowed:
        kind = KINDS[kind_name]
        if name.endswith(kind.extensions) and mime in kind.mimes:
            return kind_name
    allowed_labels = "、".join(sorted({KINDS[k].label for k in allowed}))
    raise ValidationError(
        _("文件“%(name)s”的类型不被接受：只接受 %(allowed)s，且文件内容须与扩展名一致。")
        % {"name": upload.name, "allowed": allowed_labels}
    )
