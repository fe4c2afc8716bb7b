"""Every file the platform hands out goes through these: one Content-Disposition (RFC 6266 / RFC 5987, so Chinese
names work in every browser), nosniff, and `Cache-Control: no-store` for files with personal data, so that no
shared or browser cache keeps a copy of a roster or a case file."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII `filename=` for old clients and the UTF-8 `filename*=` that browsers prefer."""
    name = "".join(ch for ch in filename.rsplit("/", 1)[-1] if ch.isprintable()) or "download"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    fallback = _ascii(stem) or "download"
    if _ascii(ext):
        fallback += "." + _ascii(ext)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain if ch not in '"\\;').strip()


def attachment_response(
    content: bytes, filename: str, content_type: str = "application/octet-stream", *, personal: bool = False
) -> HttpResponse:
    """A download. `personal`: the file holds personal data (names with ID numbers, phones, minors' records)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    if personal:
        add_never_cache_headers(response)  # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private
    return response


def xlsx_response(content: bytes, filename: str, *, personal: bool = False) -> HttpResponse:
    return attachment_response(content, filename, XLSX, personal=personal)
