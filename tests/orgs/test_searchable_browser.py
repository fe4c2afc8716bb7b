"""A long list of schools gets a search box: typing part of a name narrows it, one match is chosen (issue 17, item 7)."""

import pytest

from dangjian.orgs.fields import OrgChoiceField, SchoolChoiceField
from dangjian.orgs.models import Org, School
from tests.browser_support import fits, screenshot
from tests.conftest import build_world
from tests.factories import OrgFactory, SchoolFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_finds_a_school_among_many_by_typing_on_a_phone(live_server, phone):
    world = build_world()
    for n in range(14):
        SchoolFactory(name=f"第{n + 1}实验小学", township="河西镇", org=OrgFactory(parent=world.county))
    phone.goto(f"{live_server.url}/voice/public/")
    search = phone.locator("#id_school_search")
    assert search.get_attribute("aria-label") == "搜索学校"
    visible = "Array.from(document.querySelectorAll('#id_school option')).filter(o => o.value && !o.hidden).length"
    assert phone.evaluate(visible) == 16
    search.fill("河西 第1")  # words in any order: 第1, 第10 … 第14
    assert phone.evaluate(visible) == 6
    search.fill(world.school_a.name)
    assert phone.evaluate(visible) == 1
    assert phone.input_value("#id_school") == str(world.school_a.pk)
    assert fits(phone)
    screenshot(phone, "orgs-searchable-school-375")


def test_the_pickers_ask_for_the_search_box():
    assert "data-searchable" in SchoolChoiceField(queryset=School.all_objects.none()).widget.render("school", None)
    assert "data-searchable" in OrgChoiceField(queryset=Org.all_objects.none()).widget.render("org", None)
