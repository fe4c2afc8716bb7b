"""Issue 17 item 4: a teacher's school preselected, schools in the county's order, the receipt code with spaces
or dashes, and one on-time reply rate on every page and the public home."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from dangjian.core import indicators
from dangjian.orgs.models import School
from dangjian.publishing import selectors as publishing_selectors
from dangjian.voice import selectors, services
from tests.factories import SchoolFactory
from tests.voice.conftest import public_post
from tests.voice.test_uploads_stats_api import _scenario

pytestmark = pytest.mark.django_db


def test_a_signed_in_teachers_school_is_preselected(world, login):
    form = login(world.teacher).get(reverse("voice:submit")).context["form"]
    assert form["school"].value() == world.school_a.pk


def test_schools_run_in_the_county_order(world):
    SchoolFactory(name="阿校", township="北镇", stage="senior", org=world.branch_a)
    SchoolFactory(name="波校", township="北镇", stage="primary", org=world.branch_a)
    SchoolFactory(name="次校", township="南镇", stage="junior", org=world.branch_a)
    names = [s.name for s in selectors.schools_for_submission() if s.name in ("阿校", "波校", "次校")]
    # Township first (北 before 南 by the collation), then the stage in its own order (小学 before 高中), then the name.
    assert names == ["波校", "阿校", "次校"]


@pytest.mark.parametrize(
    "spell", [lambda c: f"{c[:4]} {c[4:8]} {c[8:12]} {c[12:]}", lambda c: "-".join(re.findall("....", c)).lower()]
)
def test_the_receipt_code_is_accepted_with_spaces_or_dashes(world, client, spell):
    page = public_post(client, world).content.decode()
    code = re.search(r'class="receipt">([A-Z2-9]{16})<', page).group(1)
    assert services.find_by_receipt(spell(code)) is not None
    response = client.post(reverse("voice:follow"), {"code": spell(code)})
    assert response.status_code == 200 and response.context["concern"] is not None


def test_one_on_time_rate_everywhere(world, login):
    _scenario(world)
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    schools = School.all_objects.all()
    pooled, measured = indicators.summary("voice.reply_on_time_rate", schools=schools, start=start, end=end)
    public = selectors.public_figures(start, end)
    stats_page = login(world.county_admin).get(reverse("voice:stats") + "?year=2026").context["total"]
    assert measured == 2
    assert pooled == public.on_time_rate == stats_page.on_time_rate
    # Pooled over the cases, not the mean of the two schools' rates.
    per_school = selectors.stats_for_schools([world.school_a.pk, world.school_b.pk], start, end)
    assert pooled == (per_school[world.school_a.pk].on_time + 1) / (per_school[world.school_a.pk].due + 1)


def test_the_public_home_shows_the_same_rate(world):
    _scenario(world)
    today = dt.date(2026, 12, 31)
    figures = {f.label: f for f in publishing_selectors.transparency_figures(world.county, today)}
    start = today - dt.timedelta(days=365)
    expected = selectors.public_figures(start, today).on_time_rate
    assert figures["诉求按时答复率"].value == f"{expected * 100:.0f}%"
    assert "合计" in figures["诉求按时答复率"].detail
