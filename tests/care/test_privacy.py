"""Who reaches a student in difficulty, and what they see: pages, API, search, exports, reveals."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.models import AuditEntry
from dangjian.core.scoping import forget_grants
from tests.care.conftest import make_student, pair
from tests.factories import GrantFactory, PersonFactory, UserFactory


def test_unpaired_member_cannot_see_the_student_through_pages(world, care, login):
    member = login(world.member)
    assert member.get(reverse("care:student", args=[care["unpaired"].pk])).status_code == 404
    listing = member.get(reverse("care:students")).content.decode()
    assert care["paired"].name_masked in listing  # their own pairing
    assert care["unpaired"].name_masked not in listing and "赵" not in listing
    assert "特别困难" not in listing and "special" not in listing  # the tier is the care officer's
    assert "特别困难" in login(care["officer_a"]).get(reverse("care:students")).content.decode()


def test_unpaired_member_cannot_find_the_student_by_search(world, care, login):
    page = login(world.member).get(reverse("care:students") + "?q=赵子轩").content.decode()
    assert "赵*" not in page and "没有可查看的学生" in page
    # The same search by the school's care officer finds her: the search itself works.
    found = login(care["officer_a"]).get(reverse("care:students") + "?q=赵子轩").content.decode()
    assert "赵*" in found and "李*" not in found


def test_unpaired_member_cannot_see_the_student_through_the_api(world, care, api_client):
    client = api_client(world.member)
    assert client.get(f"/api/v1/care/students/{care['unpaired'].pk}").status_code == 404
    ids = [s["id"] for s in client.get("/api/v1/care/students").json()["items"]]
    assert ids == [care["paired"].pk]
    assert client.get("/api/v1/care/students?q=赵").json()["items"] == []
    assert client.post(f"/api/v1/care/students/{care['unpaired'].pk}/reveal").status_code == 404


def test_unpaired_member_cannot_export(world, care, login):
    assert login(world.member).get(reverse("care:export")).status_code == 403


def test_export_is_masked_scoped_and_audited(world, care, login):
    response = login(care["officer_a"]).get(reverse("care:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "李*" in cells and "李雨萱" not in cells and "110101201205150034" not in cells
    assert "钱" not in cells  # school B
    entry = AuditEntry.objects.get(action="export", model="care.Student")
    assert entry.actor == care["officer_a"] and entry.changes["count"] == 2 and entry.changes["revealed"] is False


def test_paired_member_sees_a_masked_student_not_the_file(world, care, login):
    page = login(world.member).get(reverse("care:student", args=[care["paired"].pk])).content.decode()
    assert "李*" in page and "李雨萱" not in page
    for secret in ("110101201205150034", "柳河乡", "3456.78", "听力", "最低生活保障"):
        assert secret not in page


def test_secretary_sees_only_pairings_of_own_branch_members(world, care, login, api_client):
    secretary = login(world.secretary)
    assert secretary.get(reverse("care:student", args=[care["paired"].pk])).status_code == 200
    assert secretary.get(reverse("care:student", args=[care["unpaired"].pk])).status_code == 404
    assert "李*" in secretary.get(reverse("care:pairings")).content.decode()
    outsider = login(world.outsider)
    assert outsider.get(reverse("care:student", args=[care["paired"].pk])).status_code == 404
    assert "李*" not in outsider.get(reverse("care:pairings")).content.decode()
    # Once the pairing ends, the secretary no longer reaches the student.
    care["pairing"].ended_on = care["pairing"].started_on
    care["pairing"].save()
    assert secretary.get(reverse("care:student", args=[care["paired"].pk])).status_code == 404


@pytest.mark.parametrize("persona", ["county_admin", "assessor", "teacher", "outsider", "secretary"])
def test_other_roles_see_nothing_of_unpaired_students(world, care, login, persona):
    client = login(world.users[persona])
    assert client.get(reverse("care:student", args=[care["unpaired"].pk])).status_code == 404
    assert "赵" not in client.get(reverse("care:students")).content.decode()


def test_care_officers_see_their_subtree(world, care, login):
    a = login(care["officer_a"]).get(reverse("care:students")).content.decode()
    assert "李*" in a and "赵*" in a and "钱*" not in a
    county = login(care["officer_county"]).get(reverse("care:students")).content.decode()
    assert "钱*" in county and "李*" in county
    assert "李雨萱" not in a and "李雨萱" not in county  # masked by default
    detail = login(care["officer_a"]).get(reverse("care:student", args=[care["unpaired"].pk])).content.decode()
    assert "110*************27" in detail and "110101201306200027" not in detail


def test_every_reveal_is_audited_and_the_county_care_officer_sees_it(world, care, login, api_client):
    officer = login(care["officer_a"])
    response = officer.post(reverse("care:reveal", args=[care["unpaired"].pk]))
    assert "赵子轩" in response.content.decode() and "110101201306200027" in response.content.decode()
    revealed = api_client(care["officer_a"]).post(f"/api/v1/care/students/{care['paired'].pk}/reveal").json()
    assert revealed["name"] == "李雨萱"
    entries = AuditEntry.objects.filter(action="reveal", model="care.Student")
    assert {e.object_id for e in entries} == {str(care["unpaired"].pk), str(care["paired"].pk)}
    assert all("赵子轩" not in e.object_repr and "李雨萱" not in e.object_repr for e in entries)  # masked in the log

    audit_page = login(care["officer_county"]).get(reverse("care:audit")).content.decode()
    assert audit_page.count("查看完整信息") == 2 and "care_a" in audit_page
    # The county admin without the care role cannot read it here, nor reveal.
    assert login(world.county_admin).get(reverse("care:audit")).status_code == 403


def test_secretary_and_paired_member_cannot_reveal(world, care, login):
    assert login(world.secretary).post(reverse("care:reveal", args=[care["paired"].pk])).status_code == 403
    assert login(world.member).post(reverse("care:reveal", args=[care["paired"].pk])).status_code == 403
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_paired_member_sees_the_pairing_on_my_page(world, care, login):
    page = login(world.member).get(reverse("core:me")).content.decode()
    assert "我的结对帮扶" in page and "李*" in page
    assert "我的结对帮扶" not in login(world.teacher).get(reverse("core:me")).content.decode()


def test_pairing_a_member_through_the_page(world, care, login):
    other = world.members_a[2]
    login(care["officer_a"]).post(reverse("care:pair", args=[care["unpaired"].pk]), {"member": other.pk})
    user = UserFactory(username="other_member")
    other.user = user
    other.save()
    GrantFactory(user=user, org=world.branch_a, role="member")
    forget_grants(user)
    assert login(user).get(reverse("care:student", args=[care["unpaired"].pk])).status_code == 200
    # A non-member teacher cannot be paired.
    teacher = PersonFactory(org=world.branch_a, school=world.school_a)
    response = login(care["officer_a"]).post(
        reverse("care:pair", args=[care["paired"].pk]), {"member": teacher.pk}, follow=True
    )
    assert "请选择本校党员" in response.content.decode()


def test_list_query_count_does_not_grow(world, care, login, django_assert_max_num_queries, api_client):
    for i in range(40):
        s = make_student(world, name=f"学生{i}")
        if i % 2:
            pair(s, world.people["member"])
    client = login(care["officer_a"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("care:students") + "?per_page=30")
    assert response.content.decode().count('href="/care/') >= 30
    api = api_client(care["officer_a"])
    with django_assert_max_num_queries(8):
        data = api.get("/api/v1/care/students?limit=40").json()
    assert data["count"] == 42
    with django_assert_max_num_queries(8):
        pairs = api_client(world.secretary).get("/api/v1/care/pairings?limit=40").json()
    assert pairs["count"] == 21 and all("*" in p["student_name"] for p in pairs["items"])
    assert json.dumps(pairs).count("学生1") == 0
