"""The 我的 page: a member's own 党员档案 and the months their dues are paid to."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.core.mypage import Section
from dangjian.membership import selectors
from dangjian.orgs.models import MEMBER_STAGES


def sections(request) -> list[Section]:
    person = getattr(request.user, "person", None)
    membership = getattr(person, "membership", None) if person is not None else None
    if membership is None or membership.stage not in MEMBER_STAGES:
        return []
    return [
        Section(
            _("我的党员档案"),
            "membership/_mine.html",
            {"paid_until": selectors.paid_until(request.user, person), "membership": membership},
            order=35,
        )
    ]
