"""Sections of the 我的 page: my hours against targets and what remains, my study items, my contests."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.mypage import Section
from dangjian.learning import selectors


def sections(request) -> list[Section]:
    user = request.user
    today = timezone.localdate()
    statuses = selectors.my_hours(user, today)
    if not statuses:
        return []
    plan_list = list(
        selectors.meant_for(user, selectors.plans(user, counted=False), as_organizer=False).filter(year=today.year)[:5]
    )
    contests = selectors.meant_for(user, selectors.contests(user), as_organizer=False)
    contest_list = list(selectors.open_now(contests, timezone.now())[:5])
    return [
        Section(_("我的学时"), "learning/_mine_hours.html", {"statuses": statuses}, order=30),
        Section(
            _("我的学习与竞赛"),
            "learning/_mine_study.html",
            {"plans": plan_list, "contests": contest_list},
            order=31,
        ),
    ]
