"""Posts for tests, written through all_objects (trusted set-up, like a service)."""

import datetime as dt

import factory
from django.utils import timezone

from dangjian.publishing.models import Post, Status
from dangjian.publishing.sanitize import plain_text
from tests.factories import OrgFactory, ScopedFactory


class PostFactory(ScopedFactory):
    class Meta:
        model = Post

    org = factory.SubFactory(OrgFactory)
    school = None
    category = "news"
    title = factory.Sequence(lambda n: f"测试动态{n}")
    body = "<p>开展主题党日活动，全体党员参加。</p>"
    body_text = factory.LazyAttribute(lambda o: plain_text(o.body))
    summary = factory.LazyAttribute(lambda o: o.body_text[:100])
    status = Status.DRAFT
    publish_at = None


def public_post(**kwargs) -> Post:
    kwargs.setdefault("status", Status.APPROVED)
    kwargs.setdefault("publish_at", timezone.now() - dt.timedelta(hours=1))
    return PostFactory(**kwargs)
