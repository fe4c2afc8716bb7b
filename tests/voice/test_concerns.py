"""Concerns end to end: open submission with a receipt code, routing, answer, rating, reopening once."""

import io
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from dangjian.core.models import AuditEntry
from dangjian.core.scoping import unscoped
from dangjian.voice import services
from dangjian.voice.jobs import escalate_overdue_job
from dangjian.voice.models import Concern, Level, Status
from tests.conftest import SECRET_NAME_A
from tests.voice.conftest import BODY, at, make_concern, public_post


def _only(**filters) -> Concern:
    with unscoped("test"):
        return Concern.objects.get(**filters)


def test_anonymous_concern_is_routed_answered_and_rated(world, client, login):
    response = public_post(client, world)
    assert response.status_code == 200
    code = re.search(r'class="receipt">([A-Z2-9]{16})<', response.content.decode()).group(1)
    concern = _only(title="饮水机坏了")
    assert concern.org_id == world.branch_a.pk and concern.anonymous and concern.submitter is None
    assert concern.receipt_digest and code not in concern.receipt_digest  # only a hash is kept

    secretary = login(world.secretary)
    listing = secretary.get(reverse("voice:list")).content.decode()
    assert "饮水机坏了" in listing
    assert secretary.post(reverse("voice:acknowledge", args=[concern.pk])).status_code == 302
    secretary.post(reverse("voice:reply", args=[concern.pk]), {"text": "已更换饮水机，感谢反映。"})
    concern.refresh_from_db()
    assert concern.status == Status.ANSWERED and concern.answered_on_time

    follow = client.post(reverse("voice:follow"), {"code": code}).content.decode()
    assert "已更换饮水机" in follow and "已答复" in follow
    assert BODY not in follow  # the follow-up shows status and the reply, nothing else

    client.post(reverse("voice:follow"), {"code": code, "action": "rate", "rating": "satisfied"})
    concern.refresh_from_db()
    assert concern.status == Status.CLOSED and concern.rating == "satisfied"
    assert AuditEntry.objects.filter(model="voice.Concern", object_id=str(concern.pk), action="rate").exists()


def test_wrong_receipt_code_opens_nothing(world, client):
    make_concern(world)
    response = client.post(reverse("voice:follow"), {"code": "ABCDEFGHJKLMNPQR"})
    assert response.status_code == 400
    assert "查询码不正确" in response.content.decode()


def test_submitted_before_national_day_gets_deadlines_after_it(world):
    with mock.patch("dangjian.voice.services.timezone.now", return_value=at(2026, 9, 30, 10)):
        done = services.submit_concern(
            actor=None, school=world.school_a, category="teaching", submitter_kind="teacher", title="t", body="b"
        )
    assert done.concern.acknowledge_due == at(2026, 10, 8, 23, 59, 59)
    assert done.concern.answer_due == at(2026, 10, 13, 23, 59, 59)
    assert len(done.receipt_code) >= 12


def test_reopen_only_once(world, login):
    concern = make_concern(
        world, submitter=world.member, status=Status.ANSWERED, reply="答", first_answered_at=at(2026, 11, 20, 11)
    )
    member = login(world.member)
    member.post(reverse("voice:reopen", args=[concern.pk]), {"reason": "还是没解决"})
    concern.refresh_from_db()
    assert concern.status == Status.ACKNOWLEDGED and concern.reopen_count == 1 and concern.reopen_answer_due
    services.reply(actor=world.secretary, concern=concern, text="第二次答复")
    response = member.post(reverse("voice:reopen", args=[concern.pk]), {"reason": "再来"}, follow=True)
    assert "已重新打开过一次" in response.content.decode()
    concern.refresh_from_db()
    assert concern.reopen_count == 1 and concern.status == Status.ANSWERED
    # The first answer's timeliness is what the on-time rate counts.
    assert concern.first_answered_at == at(2026, 11, 20, 11)


def test_only_the_submitter_rates(world, login):
    concern = make_concern(world, submitter=world.member, status=Status.ANSWERED, reply="答")
    assert (
        login(world.secretary).post(reverse("voice:rate", args=[concern.pk]), {"rating": "unsatisfied"}).status_code
        == 403
    )


def test_overdue_concerns_escalate_with_nobody_acting(world):
    late = make_concern(world, submitted_at=at(2026, 9, 30, 10))  # acknowledge by 8 Oct, answer by 13 Oct
    answered = make_concern(
        world, submitted_at=at(2026, 9, 30, 10), status=Status.ANSWERED, first_answered_at=at(2026, 10, 9)
    )
    assert services.escalate_overdue(now=at(2026, 10, 8, 23)) == 0
    assert services.escalate_overdue(now=at(2026, 10, 9, 0, 0, 1)) == 1
    late.refresh_from_db()
    answered.refresh_from_db()
    assert late.level == Level.COUNTY and "受理" in late.escalation_reason
    assert answered.level == Level.SCHOOL
    entry = AuditEntry.objects.get(action="escalate", object_id=str(late.pk))
    assert entry.actor is None  # nobody acted
    assert services.escalate_overdue(now=at(2026, 10, 20)) == 0  # already escalated: once only


def test_acknowledged_but_unanswered_escalates_after_answer_limit(world):
    c = make_concern(
        world, submitted_at=at(2026, 9, 30, 10), status=Status.ACKNOWLEDGED, acknowledged_at=at(2026, 9, 30, 11)
    )
    assert services.escalate_overdue(now=at(2026, 10, 13, 23)) == 0
    assert services.escalate_overdue(now=at(2026, 10, 14, 8)) == 1
    c.refresh_from_db()
    assert c.level == Level.COUNTY and "答复" in c.escalation_reason


def test_periodic_duty_by_hand_and_job_escalate(world):
    old = make_concern(world, submitted_at=at(2026, 9, 30, 10))
    fresh = services.submit_concern(
        actor=None, school=world.school_a, category="teaching", submitter_kind="teacher", title="新", body="b"
    ).concern
    out = io.StringIO()
    call_command("periodic", "--only", "voice.escalate_overdue", "--force", stdout=out)
    assert out.getvalue().strip() == "voice.escalate_overdue: escalated 1"
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.level == Level.COUNTY and fresh.level == Level.SCHOOL

    another = make_concern(world, submitted_at=at(2026, 9, 30, 10), title="另一件")
    # The job as a worker runs it (the immediate backend, whatever settings the suite runs under).
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
        result = escalate_overdue_job.enqueue()
    assert result.status == "SUCCESSFUL", [e.traceback for e in result.errors]
    assert result.return_value == 1
    another.refresh_from_db()
    assert another.level == Level.COUNTY


def test_escalated_concern_reaches_the_county_list(world, login):
    c = make_concern(world, submitted_at=at(2026, 9, 30, 10))
    services.escalate_overdue(now=at(2026, 10, 9, 8))
    page = login(world.county_admin).get(reverse("voice:list") + "?level=county").content.decode()
    assert c.title in page


def test_transfer_within_the_handlers_reach(world, login):
    c = make_concern(world)
    # The school's secretary cannot hand it to another school's branch.
    response = login(world.secretary).post(
        reverse("voice:transfer", args=[c.pk]), {"org": world.branch_b.pk}, follow=True
    )
    c.refresh_from_db()
    assert c.org_id == world.branch_a.pk and "请选择" in response.content.decode()
    # The county can.
    services.transfer(actor=world.county_admin, concern=c, org=world.branch_b)
    c.refresh_from_db()
    assert c.org_id == world.branch_b.pk
    assert login(world.outsider).get(reverse("voice:detail", args=[c.pk])).status_code == 200


def test_lists_are_scoped(world, login):
    make_concern(world, title=SECRET_NAME_A)
    make_concern(world, school=world.school_b, title="乙校的诉求")
    assert SECRET_NAME_A not in login(world.outsider).get(reverse("voice:list")).content.decode()
    member_page = login(world.member).get(reverse("voice:list")).content.decode()
    assert SECRET_NAME_A not in member_page and "乙校的诉求" not in member_page  # not a handler, not theirs
    assert SECRET_NAME_A in login(world.secretary).get(reverse("voice:list")).content.decode()


def test_anonymous_handler_never_sees_who(world, login):
    c = make_concern(world, submitter=None)
    page = login(world.secretary).get(reverse("voice:detail", args=[c.pk])).content.decode()
    assert "匿名" in page


def test_my_page_lists_my_concerns(world, login):
    make_concern(world, submitter=world.teacher, title="教师本人的诉求")
    make_concern(world, submitter=world.member, title="别人的诉求")
    page = login(world.teacher).get(reverse("core:me")).content.decode()
    assert "教师本人的诉求" in page and "别人的诉求" not in page


def test_anonymous_submissions_are_throttled(world, client):
    for _ in range(5):
        assert public_post(client, world).status_code == 200
    response = public_post(client, world)
    assert response.status_code == 400 and "提交过于频繁" in response.content.decode()
    with unscoped("test"):
        assert Concern.objects.count() == 5


@pytest.mark.parametrize("per_page", [5])
def test_list_query_count_does_not_grow(world, login, django_assert_max_num_queries, per_page):
    for i in range(30):
        make_concern(world, title=f"诉求{i}")
    client = login(world.secretary)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("voice:list") + "?per_page=25")
    assert response.content.decode().count('href="/voice/') >= 25
