"""Test helpers: meetings written through the services, as a secretary would."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from dangjian.meetings import services
from dangjian.orgs.models import Org
from tests.factories import PositionFactory


def at(day: dt.date, hour: int = 15) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


def committed():
    """Run the on-commit callbacks as a real commit would; tests run inside a transaction. (The compliance cells do
    not wait for them: they are derived inside the write, see test_services.)"""
    return TestCase.captureOnCommitCallbacks(execute=True)


def plan(world, *, kind="theme_day", org: Org | None = None, day: dt.date | None = None, actor=None, **kw):
    day = day or timezone.localdate() + dt.timedelta(days=3)
    with committed():
        return services.plan_meeting(
            actor=actor or world.users["secretary"],
            org=org or world.branch_a,
            kind=kind,
            topic=kw.pop("topic", "测试会议"),
            starts_at=at(day),
            **kw,
        )


def held(world, *, kind="theme_day", org: Org | None = None, day: dt.date | None = None, statuses=None, **kw):
    day = day or timezone.localdate() - dt.timedelta(days=1)
    starts_at = at(day)
    if day == timezone.localdate():  # held today: not later than now, whatever the hour the suite runs at
        starts_at = max(at(day, 0), min(starts_at, timezone.now() - dt.timedelta(minutes=1)))
    with committed():
        return services.record_new_meeting(
            actor=kw.pop("actor", world.users["secretary"]),
            org=org or world.branch_a,
            kind=kind,
            topic=kw.pop("topic", "测试会议"),
            starts_at=starts_at,
            roster=kw.pop("roster", None),
            statuses=statuses or {},
            minutes=kw.pop("minutes", "会议记录正文"),
            **kw,
        )


def committee(world, size: int = 3) -> list:
    """Give branch A a committee of `size` (the secretary plus others)."""
    people = world.members_a[1:size]
    posts = ["organization", "publicity", "discipline", "deputy_secretary", "committee_member"]
    for person, post in zip(people, posts, strict=False):
        PositionFactory(org=world.branch_a, person=person, post=post)
    return [world.people["secretary"], *people]
