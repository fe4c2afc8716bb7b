"""Year and month parameters, read one way on pages and in the API: a year outside MIN_YEAR..MAX_YEAR (−1, 0, 634,
99999, thirty digits) is bad input (400 on pages, 422 in the API), never a date() that raises deep in a view.
"""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import BadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import Field

MIN_YEAR = 2000  # the platform holds no work older than this
MAX_YEAR = 2100

Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Month = Annotated[int, Field(ge=1, le=12)]


def parse_year(raw: str | None) -> int | None:
    """A year from text, or None when it is not a whole number in range."""
    raw = (raw or "").strip()
    if not raw.isdigit() or len(raw) != 4:
        return None
    year = int(raw)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def year_param(request, name: str = "year", default: int | None = None) -> int:
    """?year= on a page: absent or empty means the default (this year); anything else must be a year in range."""
    raw = request.GET.get(name, "")
    if not raw:
        return default if default is not None else timezone.localdate().year
    year = parse_year(raw)
    if year is None:
        raise BadRequest(_("年份无效：请填写 %(min)d 至 %(max)d 之间的年份。") % {"min": MIN_YEAR, "max": MAX_YEAR})
    return year
