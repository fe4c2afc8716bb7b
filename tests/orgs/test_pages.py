import datetime as dt
import re

import pytest
from django.urls import reverse

from dangjian.core.models import AuditEntry
from dangjian.core.scoping import unscoped
from dangjian.orgs.models import Person
from dangjian.orgs.selectors import BranchStats, branch_warnings
from tests.factories import MembershipFactory, OrgFactory, PersonFactory, PositionFactory, SchoolFactory


def add_people(org, school, n, member=True):
    for i in range(n):
        p = PersonFactory(name=f"{org.name}成员{i}", org=org, school=school)
        if member:
            MembershipFactory(person=p)


def test_roster_query_count_does_not_grow_with_rows(world, login, django_assert_max_num_queries):
    client = login(world.secretary)
    url = reverse("orgs:detail", kwargs={"pk": world.branch_a.pk})
    with django_assert_max_num_queries(14) as small:
        assert client.get(url).status_code == 200
    add_people(world.branch_a, world.school_a, 60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url + "?per_page=50")
    assert response.status_code == 200 and "第 1 / 2 页" in response.content.decode()


def test_county_page_query_count_does_not_grow_with_schools(world, login, django_assert_max_num_queries):
    client = login(world.county_admin)
    url = reverse("orgs:county")
    with django_assert_max_num_queries(14) as small:
        client.get(url)
    for i in range(25):
        branch = OrgFactory(name=f"新校{i}党支部", parent=world.county)
        school = SchoolFactory(name=f"新校{i}", org=branch)
        add_people(branch, school, 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert "第 1 / 2 页" in response.content.decode()


def test_county_page_shows_branch_warnings(world, login):
    content = login(world.county_admin).get(reverse("orgs:county")).content.decode()
    assert "甲校" in content and "乙校" in content
    # School B's branch has 4 full members (no warning); an empty branch shows the fewer-than-3 warning.
    empty = OrgFactory(name="丙校党支部", parent=world.county)
    SchoolFactory(name="丙校", org=empty)
    content = login(world.county_admin).get(reverse("orgs:county")).content.decode()
    assert "正式党员不足3人（现有0人）" in content


@pytest.mark.parametrize(
    ("stats", "term_start", "codes"),
    [
        (BranchStats(full=2), None, {"few_full"}),
        (BranchStats(full=45, probationary=6, committee=5), None, {"too_many"}),
        (BranchStats(full=7, committee=1), None, {"no_committee"}),
        (BranchStats(full=7, committee=3), None, set()),
        (BranchStats(full=5), dt.date(2024, 3, 1), {"term_ending"}),  # ends 2027-03-01, within 6 months
        (BranchStats(full=5), dt.date(2023, 6, 1), {"term_over"}),
        (BranchStats(full=5), dt.date(2024, 7, 1), set()),  # ends 2027-07-01, more than 6 months away
    ],
)
def test_branch_warning_rules(db, stats, term_start, codes):
    org = OrgFactory(term_started_on=term_start)
    assert {w.code for w in branch_warnings(org, stats, today=dt.date(2026, 11, 25))} == codes


def test_committee_warning_counts_real_posts(world, login):
    add_people(world.branch_a, world.school_a, 3)  # 5 + 3 = 8 full members, one post (secretary)
    content = login(world.secretary).get(reverse("orgs:detail", kwargs={"pk": world.branch_a.pk})).content.decode()
    assert "应设立支部委员会" in content
    for person, post in zip(world.members_a[1:3], ("organization", "publicity"), strict=True):
        PositionFactory(org=world.branch_a, person=person, post=post)
    content = login(world.secretary).get(reverse("orgs:detail", kwargs={"pk": world.branch_a.pk})).content.decode()
    assert "应设立支部委员会" not in content


def test_person_page_masks_and_reveal_is_audited(world, login):
    person = world.people["teacher"]
    client = login(world.secretary)
    page = client.get(reverse("orgs:person", kwargs={"pk": person.pk})).content.decode()
    assert person.id_number not in page and person.id_number_masked in page
    revealed = client.post(reverse("orgs:person_reveal", kwargs={"pk": person.pk})).content.decode()
    assert person.id_number in revealed
    entry = AuditEntry.objects.get(action="reveal")
    assert (entry.actor, entry.object_id, entry.org_path) == (world.secretary, str(person.pk), world.branch_a.path)


def test_member_sees_roster_but_no_reveal_button(world, login):
    page = login(world.member).get(reverse("orgs:person", kwargs={"pk": world.people["teacher"].pk})).content.decode()
    assert "查看完整信息" not in page


def test_edit_person_records_what_changed(world, login):
    person = world.people["teacher"]
    url = reverse("orgs:person_edit", kwargs={"pk": person.pk})
    client = login(world.secretary)
    form = {
        "name": "新名",
        "gender": "F",
        "birth_date": "1985-06-15",
        "phone": "13900000000",
        "school": world.school_a.pk,
        "org": world.branch_a.pk,
        "job": "校长",
        "title": "高级教师",
        "is_active": "on",
    }
    assert client.post(url, form).status_code == 302
    entry = AuditEntry.objects.get(action="update", model="orgs.Person")
    assert entry.changes["name"] == [SECRET_NAME, "新名"]
    assert entry.changes["phone"] == ["***", "***"]  # personal data: only the fact of the change
    form["org"] = world.branch_b.pk  # moving a person out of one's scope is refused by the form
    response = client.post(url, form)
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()


SECRET_NAME = "甲校专属姓名"


def test_search_by_pinyin_initials(world, login):
    with unscoped("test"):
        Person.objects.filter(pk=world.people["member"].pk).update(initials="jdy")
    url = reverse("orgs:detail", kwargs={"pk": world.branch_a.pk})
    content = login(world.secretary).get(url, {"q": "jd"}, HTTP_HX_REQUEST="true").content.decode()
    assert "甲党员" in content and "甲书记" not in content


def test_teacher_without_org_view_sees_a_friendly_page(world, login):
    response = login(world.teacher).get(reverse("orgs:mine"))
    assert response.status_code == 200 and "尚未关联" in response.content.decode()


def test_county_page_filters(world, login):
    client = login(world.county_admin)
    content = client.get(reverse("orgs:county"), {"q": "乙"}).content.decode()
    assert "乙校" in content and "甲校党支部" not in content


def test_birth_date_is_masked_with_the_id_number_for_those_who_may_not_reveal(world, login, api_client):
    person = world.people["teacher"]
    assert person.birth_date == dt.date(1985, 6, 15)
    member_page = login(world.member).get(reverse("orgs:person", kwargs={"pk": person.pk})).content.decode()
    assert "1985-06-15" not in member_page and "1985年" in member_page
    secretary_page = login(world.secretary).get(reverse("orgs:person", kwargs={"pk": person.pk})).content.decode()
    assert "1985-06-15" in secretary_page
    url = f"/api/v1/orgs/people/{person.pk}"
    as_member = api_client(world.member).get(url).json()
    assert as_member["birth_date"] is None and as_member["birth_year"] == 1985
    assert api_client(world.secretary).get(url).json()["birth_date"] == "1985-06-15"


def test_a_stale_person_form_does_not_revert_a_newer_change(world, login):
    person = world.people["teacher"]
    url = reverse("orgs:person_edit", kwargs={"pk": person.pk})
    form = {
        "name": person.name,
        "gender": person.gender,
        "birth_date": "1985-06-15",
        "phone": person.phone,
        "school": world.school_a.pk,
        "org": world.branch_a.pk,
        "job": person.job,
        "title": person.title,
        "is_active": "on",
    }
    first, second = login(world.secretary), login(world.county_admin)
    opened = re.search(r'name="version" value="([0-9a-f]+)"', second.get(url).content.decode()).group(1)
    page = first.get(url).content.decode()
    version = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    assert first.post(url, {**form, "job": "副校长", "version": version}).status_code == 302
    response = second.post(url, {**form, "title": "正高级教师", "version": opened})
    assert response.status_code == 200 and "已被他人修改" in response.content.decode()
    person.refresh_from_db()
    assert (person.job, person.title) == ("副校长", form["title"])
