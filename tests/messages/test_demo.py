"""The demo county has notices and messages to look at."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from dangjian.messages.models import Notice


@pytest.fixture
def demo(db):
    call_command("generate", profile="county", seed=1, stdout=io.StringIO())
    return get_user_model()


def test_demo_notices_and_a_folded_inbox(demo, login):
    assert Notice.all_objects.filter(official=True).count() == 1 and Notice.all_objects.filter(public=True).exists()
    secretary = login(demo.objects.get(username="secretary1"))
    inbox = secretary.get(reverse("messages:inbox")).content.decode()
    assert "会议到期提醒（4）" in inbox
    official = Notice.all_objects.get(official=True)
    assert "签收" in secretary.get(reverse("messages:notice", args=[official.pk])).content.decode()
    county = login(demo.objects.get(username="county")).get(reverse("messages:notice", args=[official.pk]))
    assert "已签收" in county.content.decode()
    assert (
        official.title not in login(demo.objects.get(username="member1")).get(reverse("messages:todo")).content.decode()
    )
