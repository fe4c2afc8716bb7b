"""待办 of the learning app: essay calls the user judges and which are not final yet (core.todo)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.todo import Item

from . import selectors
from .models import CallStatus


def items(user, today: dt.date) -> list[Item]:
    calls = selectors.calls(user).filter(judges=user, status=CallStatus.OPEN)[:20]
    return [
        Item(_("评审征文"), c.title, reverse("learning:judge", args=[c.pk]), timezone.localtime(c.deadline).date())
        for c in calls
    ]
