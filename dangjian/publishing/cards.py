"""Share cards: a QR code of a post's public address and a share-sized image (1200×630, the Open Graph size)
with the title in a CJK font. Pictures of the public address only: nothing in them identifies a reader."""

from __future__ import annotations

import functools
import io
import textwrap
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

CARD_SIZE = (1200, 630)
RED = (178, 34, 34)
_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
_SC_INDEX = 2  # Simplified Chinese face inside the Noto CJK collections


@functools.cache
def font_path() -> str | None:
    """The first CJK font found on this machine, looked up at run time; None means Pillow's default."""
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    found = sorted(Path("/usr/share/fonts").glob("**/*CJK*.tt[cf]")) if Path("/usr/share/fonts").exists() else []
    return str(found[0]) if found else None


def _font(size: int):
    path = font_path()
    if path is None:
        return ImageFont.load_default(size=size)
    index = _SC_INDEX if path.endswith(".ttc") and "Noto" in path else 0
    return ImageFont.truetype(path, size=size, index=index)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def qr_image(url: str, box_size: int = 8) -> Image.Image:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=2)
    qr.add_data(url)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")


def qr_png(url: str) -> bytes:
    return _png(qr_image(url))


def _wrap(text: str, width: int, lines: int) -> list[str]:
    wrapped = textwrap.wrap(text, width=width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1] + "…"
    return wrapped


def share_png(*, title: str, publisher: str, day: str, category: str, url: str) -> bytes:
    image = Image.new("RGB", CARD_SIZE, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, CARD_SIZE[0], 90], fill=RED)
    draw.text((48, 22), category, font=_font(40), fill="white")
    y = 140
    for line in _wrap(title, 17, 3):
        draw.text((48, y), line, font=_font(54), fill=(34, 34, 34))
        y += 74
    draw.text((48, 480), publisher, font=_font(34), fill=(102, 102, 102))
    draw.text((48, 530), day, font=_font(30), fill=(102, 102, 102))
    qr = qr_image(url, box_size=6).resize((230, 230), Image.NEAREST)
    image.paste(qr, (CARD_SIZE[0] - 230 - 48, CARD_SIZE[1] - 230 - 40))
    return _png(image)
