"""The "我的" page: open work received by the orgs the signed-in user reports for."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.mypage import Section
from dangjian.core.scoping import prefixes

from . import selectors
from .models import Status


def sections(request) -> list[Section]:
    user = request.user
    roots = prefixes(user, "assignments.report")
    if not roots:
        return []
    today = timezone.localdate()
    open_work = list(selectors.received(user, today=today).filter(org__path__in=roots).exclude(status=Status.DONE)[:5])
    return [
        Section(
            _("待办工作任务"),
            "assignments/_mine.html",
            {"targets": open_work, "today": today, "soon": selectors.due_soon_until(today)},
            order=30,
        )
    ]
