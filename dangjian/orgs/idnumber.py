"""Chinese resident ID numbers (GB 11643-1999): 18 characters, the last a checksum (0-9 or X)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalize(value: str) -> str:
    return (value or "").strip().upper()


def problem(value: str) -> str | None:
    """None if valid, else a Chinese reason."""
    value = normalize(value)
    if len(value) != 18:
        return _("身份证号应为18位，当前为%(n)d位") % {"n": len(value)}
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return _("身份证号前17位须为数字，末位为数字或X")
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("身份证号中的出生日期无效")
    if check_digit(value[:17]) != value[17]:
        return _("身份证号校验位错误")
    return None


def validate(value: str) -> None:
    reason = problem(value)
    if reason:
        raise ValidationError(reason)


def birth_date(value: str) -> dt.date:
    value = normalize(value)
    return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def gender(value: str) -> str:
    """'M' or 'F' from the 17th digit (odd: male)."""
    return "M" if int(normalize(value)[16]) % 2 else "F"


def mask(value: str) -> str:
    """Shown by default: region and checksum hidden behind stars except the first 3 and last 2 characters."""
    value = normalize(value)
    return f"{value[:3]}{'*' * 13}{value[-2:]}" if len(value) == 18 else "***"


def mask_birth(value: dt.date | None) -> str:
    """The year only: a full birth date next to a masked ID number narrows the number to a few candidates."""
    return _("%(year)s年") % {"year": value.year} if value else ""


def make(region: str, birth: dt.date, sequence: int) -> str:
    """A valid number (for the data generator): 6-digit region, birth date, 3-digit sequence."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)


def mask_phone(value: str) -> str:
    return f"{value[:3]}****{value[-4:]}" if value and len(value) >= 7 else ("***" if value else "")
