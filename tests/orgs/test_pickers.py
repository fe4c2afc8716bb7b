"""Issue 17 item 7: pickers of schools and organizations run in the county's order with full names, 党小组 name
their branch, and no page of these apps offers a bare "---------" choice."""

import pytest
from django.urls import reverse

from dangjian.orgs.fields import OrgChoiceField, SchoolChoiceField
from dangjian.orgs.models import Org, School
from tests.factories import SchoolFactory
from tests.routes import collect

pytestmark = pytest.mark.django_db
APPS = ("core", "orgs", "voice", "care", "learning", "insights")


def test_a_group_names_its_branch(world):
    field = OrgChoiceField(queryset=Org.all_objects.all())
    labels = [label for _value, label in field.choices]
    assert labels[0] == "请选择"
    assert "甲校党支部 · 第一党小组" in labels


def test_schools_in_county_order_with_township(world):
    SchoolFactory(name="城北高级中学", township="北镇", stage="senior", org=world.branch_a)
    SchoolFactory(name="城北小学", township="北镇", stage="primary", org=world.branch_a)
    field = SchoolChoiceField(queryset=School.all_objects.filter(township="北镇"))
    assert [label for _value, label in field.choices] == ["请选择", "北镇 · 城北小学", "北镇 · 城北高级中学"]


@pytest.mark.parametrize("who", ["county_admin", "secretary"])
def test_no_bare_dashes_on_any_page(world, login, who):
    client = login(world.users[who])
    pages = [
        route
        for route in collect(world)
        if not route.api and route.method == "GET" and route.name.split(":")[0] in APPS and not route.content_type
    ]
    assert len(pages) > 20
    for route in pages:
        response = client.get(reverse(route.name, kwargs=route.kwargs))
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            assert "---------" not in response.content.decode(), route.name
