"""The inbox, the header count, the API contracts and 待办."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from dangjian.assignments import services as assignments
from dangjian.core.models import Notification
from dangjian.messages import selectors
from tests.messages.builders import message


def test_every_page_header_shows_the_unread_count(world, login):
    member = world.users["member"]
    for i in range(3):
        message(member, f"消息{i}", key=f"test:{i}")
    page = login(member).get(reverse("core:home")).content.decode()
    assert 'class="unread-count"><span aria-hidden="true">3</span><span class="visually-hidden">3条未读<' in page
    assert 'class="unread-count"' not in login(world.users["teacher"]).get(reverse("core:home")).content.decode()


def test_opening_a_message_reads_it_for_the_reader_only_and_goes_to_its_record(world, login):
    member, secretary = world.users["member"], world.users["secretary"]
    mine = message(member, "会议提醒", url=reverse("messages:todo"))
    theirs = message(secretary, "会议提醒", url=reverse("messages:todo"))
    client = login(member)
    assert client.get(reverse("core:home")).status_code == 200  # the count is cached for the header...
    response = client.get(reverse("messages:open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("messages:todo")
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    assert 'class="unread-count"' not in client.get(reverse("core:home")).content.decode()  # ...and updated at once
    assert client.get(reverse("messages:open", args=[theirs.pk])).status_code == 404


def test_an_outside_link_in_a_message_is_not_followed(world, login):
    bad = message(world.users["member"], url="https://evil.example/")
    response = login(world.users["member"]).get(reverse("messages:open", args=[bad.pk]))
    assert response["Location"] == reverse("messages:inbox")


def test_repeats_of_a_kind_on_a_day_are_one_line_in_the_inbox(world, login):
    secretary = world.users["secretary"]
    Notification.objects.bulk_create(
        Notification(user=secretary, title=f"第{i}项到期", dedupe_key=f"meetings:due:{i}:k:p") for i in range(10)
    )
    message(secretary, "新任务：报送总结", key="assignment:1:2")
    page = login(secretary).get(reverse("messages:inbox")).content.decode()
    assert "会议到期提醒（10）" in page and page.count("第9项到期") == 1 and "新任务：报送总结" in page
    expanded = login(secretary).get(reverse("messages:inbox") + "?kind=meetings:due").content.decode()
    assert all(f"第{i}项到期" in expanded for i in range(10)) and "新任务" not in expanded
    login(secretary).post(reverse("messages:read_all"), {"kind": "meetings:due"})
    assert selectors.unread_count(secretary, fresh=True) == 1


def test_mine_page_has_the_inbox_section(world, login):
    message(world.users["member"], "请假已批准")
    page = login(world.users["member"]).get(reverse("core:me")).content.decode()
    assert "消息与待办" in page and "请假已批准" in page


def test_api_lists_newest_first_with_unread_counts(world, api_client):
    member = world.users["member"]
    old = message(member, "旧消息", key="assignment:1:1", created_at=timezone.now() - dt.timedelta(days=2))
    message(member, "新消息", key="meetings:due:1:x:y")
    message(world.users["secretary"], "别人的消息")
    client = api_client(member)
    data = client.get("/api/v1/me/notifications").json()
    assert [i["title"] for i in data["items"]] == ["新消息", "旧消息"]
    assert data["unread"] == 2 and data["unread_by_kind"] == {"assignment": 1, "meetings:due": 1}
    assert data["items"][0]["kind_label"] == "会议到期提醒"
    read = client.post(f"/api/v1/me/notifications/{old.pk}/read")
    assert read.status_code == 200 and read.json()["read"] is True
    assert client.get("/api/v1/me/notifications").json()["unread"] == 1


def test_api_read_of_another_persons_message_is_404(world, api_client):
    theirs = message(world.users["secretary"], "别人的消息")
    assert api_client(world.users["member"]).post(f"/api/v1/me/notifications/{theirs.pk}/read").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_todo_lists_own_open_items_with_due_dates(world, api_client, login):
    due = timezone.localdate() + dt.timedelta(days=5)
    assignments.create_assignment(
        actor=world.users["county_admin"],
        org=world.county,
        title="报送学习总结",
        body="总结",
        expected="一份",
        due_on=due,
        receivers=[world.branch_a, world.branch_b],
    )
    items = api_client(world.users["secretary"]).get("/api/v1/me/todo").json()
    assert {"kind": "报告任务", "title": "报送学习总结", "due": due.isoformat()}.items() <= items[0].items()
    assert api_client(world.users["member"]).get("/api/v1/me/todo").json() == []  # a member reports nothing
    page = login(world.users["secretary"]).get(reverse("messages:todo")).content.decode()
    assert "报送学习总结" in page and due.isoformat() in page


def test_todo_gathers_every_app(world):
    from dangjian.core import extensions

    names = {m.__name__ for m in extensions.modules("todo")}
    assert {
        "dangjian.meetings.todo",
        "dangjian.voice.todo",
        "dangjian.assignments.todo",
        "dangjian.learning.todo",
        "dangjian.messages.todo",
    } <= names
