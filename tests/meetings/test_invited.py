"""A person may always open a meeting they are on the roster of (invited, attended, on leave or absent), whatever
grants their account carries: a Party member whose account holds only another role (the demo's ethics1, an
ethics officer) or an activist invited to a 党课 with a teacher's account. Nothing else opens that way."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from dangjian.core.scoping import unscoped
from dangjian.meetings.models import Attachment
from tests.factories import GrantFactory, UserFactory
from tests.meetings.helpers import committee, held, plan


@pytest.fixture
def officer(world):
    """A full member of branch A whose account carries only the ethics_officer grant (no meetings.view)."""
    user = UserFactory(username="ethics_only")
    person = world.members_a[2]
    person.user = user
    with unscoped("test set-up"):
        person.save(update_fields=["user"])
    GrantFactory(user=user, org=world.branch_a, role="ethics_officer")
    return user


def attach(meeting) -> Attachment:
    with unscoped("test set-up"):
        attachment = Attachment(meeting=meeting, name="议程.pdf", kind="pdf", size=15)
        attachment.file.save("agenda.pdf", ContentFile(b"%PDF-1.4 agenda"), save=False)
        attachment.save()
    return attachment


@pytest.fixture
def meetings(world, officer):
    invited = plan(world, topic="邀请的主题党日")  # every member of branch A, the officer among them
    attended = held(world, topic="出席过的党课", kind="party_lecture")
    committee(world, size=2)  # the secretary and the member: not the officer
    not_invited = held(world, topic="未邀请的内部议题", kind="committee_meeting")
    other_school = held(world, topic="乙校的议题", org=world.branch_b, actor=world.outsider)
    return {
        "invited": invited,
        "attended": attended,
        "not_invited": not_invited,
        "other_school": other_school,
        "files": {name: attach(m) for name, m in [("attended", attended), ("not_invited", not_invited)]},
    }


def test_my_page_lists_the_meetings_and_each_opens(world, login, officer, meetings):
    client = login(officer)
    mine = client.get(reverse("core:me")).content.decode()
    for name in ("invited", "attended"):
        meeting = meetings[name]
        url = reverse("meetings:detail", args=[meeting.pk])
        assert url in mine
        page = client.get(url)
        assert page.status_code == 200 and meeting.topic in page.content.decode()
        assert client.get(reverse("meetings:invitation", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("meetings:attachment", args=[meetings["files"]["attended"].pk])).status_code == 200


def test_invitee_may_ask_for_leave_but_not_change_the_record(world, login, officer, meetings):
    client = login(officer)
    invited = meetings["invited"]
    response = client.post(reverse("meetings:leave", args=[invited.pk]), {"reason": "外出培训"})
    assert response.status_code == 302
    assert "请假待批准" in client.get(reverse("meetings:detail", args=[invited.pk])).content.decode()
    for name in ("meetings:edit", "meetings:record"):
        assert client.get(reverse(name, args=[invited.pk])).status_code in (403, 404)


def test_no_other_meeting_opens(world, login, officer, meetings):
    client = login(officer)
    for name in ("not_invited", "other_school"):
        pk = meetings[name].pk
        assert client.get(reverse("meetings:detail", args=[pk])).status_code == 404
        assert client.get(reverse("meetings:invitation", args=[pk])).status_code == 404
        assert client.post(reverse("meetings:leave", args=[pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("meetings:attachment", args=[meetings["files"]["not_invited"].pk])).status_code == 404
    # The list shows no meeting: being invited opens the meeting itself, it grants no view of the branch.
    index = client.get(reverse("meetings:index")).content.decode()
    assert "未邀请的内部议题" not in index and "乙校的议题" not in index
    # Another school's meeting stays closed to school A's own member and secretary too.
    for persona in ("member", "secretary"):
        detail = login(world.users[persona]).get(reverse("meetings:detail", args=[meetings["other_school"].pk]))
        assert detail.status_code == 404


def test_api_opens_the_same_meetings(world, api_client, officer, meetings):
    client = api_client(officer)
    assert client.get(f"/api/v1/meetings/meetings/{meetings['invited'].pk}").status_code == 200
    assert client.get(f"/api/v1/meetings/meetings/{meetings['not_invited'].pk}").status_code == 404
    assert client.get(f"/api/v1/meetings/meetings/{meetings['other_school'].pk}").status_code == 404


def test_a_person_removed_from_the_roster_no_longer_opens_it(world, login, officer, meetings):
    invited = meetings["invited"]
    with unscoped("test"):
        invited.attendances.filter(person__user=officer).delete()
    assert login(officer).get(reverse("meetings:detail", args=[invited.pk])).status_code == 404
