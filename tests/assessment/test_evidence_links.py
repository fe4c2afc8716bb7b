"""Evidence links on a school's result and gap pages show only to those who may follow them: a plain member sees
every figure, but no link to a page that would answer 403 or 404 for them."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.assessment.models import Result, ResultLine
from dangjian.assignments.models import Status
from dangjian.core import indicators
from dangjian.core.scoping import unscoped
from dangjian.meetings import compliance
from tests.assessment import builders
from tests.assignments.builders import county_assignment

TODAY = timezone.localdate()


@pytest.fixture
def result_a(world):
    """School A's result from the real formulas (no stand-ins): compliance, hours, concerns, tasks."""
    county_assignment(
        world,
        due_on=TODAY - dt.timedelta(days=10),
        statuses={world.branch_a.pk: (Status.DONE, TODAY - dt.timedelta(days=12))},
    )
    compliance.refresh(years=[TODAY.year])
    round_ = builders.computed_round(world, start=TODAY - dt.timedelta(days=300), end=TODAY + dt.timedelta(days=30))
    with unscoped("test"):
        return Result.objects.get(round=round_, school=world.school_a)


def evidence_links(page: str, lines) -> set[str]:
    urls = {line.evidence_url.replace("&", "&amp;") for line in lines if line.evidence_url}
    return {href for href in re.findall(r'href="([^"]+)"', page) if href in urls}


def lines_of(result):
    with unscoped("test"):
        return list(ResultLine.objects.filter(result=result).select_related("indicator"))


def test_the_round_has_evidence_a_member_may_not_open(result_a):
    """The set-up is what the QA walk found: hours progress and concern statistics are behind capabilities a
    plain member lacks."""
    formulas = {line.indicator.formula for line in lines_of(result_a) if line.evidence_url}
    assert {"learning.training_hours_rate", "voice.reply_on_time_rate", "meetings.compliance_rate"} <= formulas


@pytest.mark.parametrize("persona", ["member", "secretary", "county_admin", "assessor"])
@pytest.mark.parametrize("page_name", ["assessment:result", "assessment:gap"])
def test_every_evidence_link_shown_opens(world, login, result_a, persona, page_name):
    client = login(world.users[persona])
    response = client.get(reverse(page_name, args=[result_a.pk]))
    assert response.status_code == 200
    for href in evidence_links(response.content.decode(), lines_of(result_a)):
        followed = client.get(href.replace("&amp;", "&"), follow=True)
        assert followed.status_code == 200, (persona, href, followed.status_code)


def test_member_sees_the_figures_without_the_links_they_may_not_follow(world, login, result_a):
    lines = {line.indicator.formula: line for line in lines_of(result_a)}
    member_page = login(world.member).get(reverse("assessment:result", args=[result_a.pk])).content.decode()
    secretary_page = login(world.secretary).get(reverse("assessment:result", args=[result_a.pk])).content.decode()
    for formula in ("learning.training_hours_rate", "voice.reply_on_time_rate"):
        line = lines[formula]
        assert line.detail in member_page  # the figure and how it was computed
        assert f'href="{line.evidence_url}"' not in member_page
        assert f'href="{line.evidence_url}"' in secretary_page
    meetings = lines["meetings.compliance_rate"]
    assert f'href="{meetings.evidence_url.replace("&", "&amp;")}"' in member_page  # a member may open those


def test_a_formula_no_longer_registered_gets_no_link(world, fake_formulas):
    fake_formulas("x.open", {})
    assert indicators.may_follow(world.member, "x.open", world.branch_a.path)  # declares no capability
    assert not indicators.may_follow(world.county_admin, "x.gone", world.branch_a.path)
