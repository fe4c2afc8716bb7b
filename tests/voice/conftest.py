import datetime as dt
import zoneinfo

import pytest
from django.core.cache import cache
from django.urls import reverse

from dangjian.voice import sla
from dangjian.voice.models import Concern

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
BODY = "教学楼三楼饮水机坏了两周，学生没有热水喝。"


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def public_post(client, world, **extra):
    """The open form (no login) as a parent fills it in; `extra` overrides or adds fields."""
    data = {
        "school": world.school_a.pk,
        "submitter_kind": "parent",
        "category": "safety",
        "title": "饮水机坏了",
        "body": BODY,
        **extra,
    }
    return client.post(reverse("voice:public_submit"), data)


def make_concern(world, *, submitted_at=None, submitter=None, school=None, category="teaching", **fields):
    """A concern written as the service would (trusted set-up, like the factories)."""
    school = school or world.school_a
    submitted_at = submitted_at or at(2026, 11, 20, 10)
    ack, answer = sla.due_dates(submitted_at, category)
    return Concern.all_objects.create(
        school=school,
        org=school.org,
        category=category,
        submitter_kind="teacher",
        title=fields.pop("title", "食堂饭菜太咸"),
        body=fields.pop("body", "希望改进。"),
        submitter=submitter,
        anonymous=submitter is None,
        submitted_at=submitted_at,
        acknowledge_due=ack,
        answer_due=answer,
        **fields,
    )


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()
