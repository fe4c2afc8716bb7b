"""The county set-up import, and the roster import run county-wide on what it created."""

import datetime as dt
import importlib
import io

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.scoping import unscoped
from dangjian.orgs import idnumber
from dangjian.orgs import roster as roster_io
from dangjian.orgs.models import Org, Person, School
from dangjian.orgs.setup import import_xlsx, template_xlsx
from tests.factories import SETUP_HEADERS, SETUP_ROOT, MembershipFactory, PersonFactory, county_rows, xlsx_upload


def counts():
    with unscoped("test counts"):
        return Org.objects.count(), School.objects.count()


def test_thirty_schools_import_then_a_rerun_creates_nothing(world):
    before = counts()
    rows = county_rows(30)
    result = import_xlsx(actor=world.county_admin, root=world.county, upload=xlsx_upload(rows, SETUP_HEADERS))
    assert result.ok, result.errors
    assert (result.orgs_created, result.schools_created) == (len(rows), 30)
    assert counts() == (before[0] + len(rows), before[1] + 30)
    with unscoped("test"):
        branch = Org.objects.get(name="第一党支部", parent__name="第3中学党委")
        school = School.objects.get(name="第1小学")
    assert branch.path.startswith(world.county.path) and branch.depth == 2
    assert (school.org.name, school.stage, school.student_count, school.township) == (
        "第1小学党支部",
        "primary",
        401,
        "城关镇",
    )

    again = import_xlsx(actor=world.county_admin, root=world.county, upload=xlsx_upload(rows, SETUP_HEADERS))
    assert again.ok and again.created == 0 and again.unchanged == len(rows)
    assert counts() == (before[0] + len(rows), before[1] + 30)


def test_one_bad_row_imports_nothing_and_each_row_says_why_in_chinese(world):
    rows = county_rows(6)
    rows[1]["类型"] = "党小队"
    rows.append({"组织名称": "孤儿支部", "类型": "党支部", "上级组织": f"{SETUP_ROOT}/不存在的党委"})
    rows.append({"组织名称": "错层小组", "类型": "党小组", "上级组织": SETUP_ROOT})
    rows.append({"组织名称": "某党支部", "类型": "党支部", "上级组织": SETUP_ROOT, "学校名称": "某校", "学段": "大学"})
    rows.append(
        {"组织名称": "乙校党支部", "类型": "党支部", "上级组织": SETUP_ROOT, "学校名称": "甲校", "学段": "小学"}
    )
    rows.append({"组织名称": "第二党支部", "类型": "党支部", "上级组织": f"{SETUP_ROOT}/第0中学党委"})  # same as row 4
    before = counts()
    result = import_xlsx(actor=world.county_admin, root=world.county, upload=xlsx_upload(rows, SETUP_HEADERS))
    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    n = len(rows) + 1  # sheet row of the last data row
    assert found == {
        (3, "类型"),
        (n - 4, "上级组织"),
        (n - 3, "类型"),
        (n - 2, "学段"),
        (n - 1, "学校名称"),
        (n, "组织名称"),
    }
    by_row = {e.row: e.message for e in result.errors}
    assert "类型应为" in by_row[3]
    assert "党小组只能设在党支部下" in by_row[n - 3]
    assert "不存在" in by_row[n - 4] and "已存在" in by_row[n - 1] and "同一组织" in by_row[n]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e.message) for e in result.errors)
    assert counts() == before


def test_rows_may_name_a_parent_further_down_the_sheet_and_leave_out_the_root(world):
    rows = [
        {"组织名称": "一支部", "类型": "党支部", "上级组织": "实验中学党总支"},
        {"组织名称": "实验中学党总支", "类型": "党总支", "上级组织": "", "学校名称": "实验中学", "学段": "初中"},
    ]
    result = import_xlsx(actor=world.county_admin, root=world.county, upload=xlsx_upload(rows, SETUP_HEADERS))
    assert result.ok, result.errors
    with unscoped("test"):
        assert Org.objects.get(name="一支部").parent.name == "实验中学党总支"


def test_an_existing_org_of_another_kind_is_an_error_not_a_duplicate(world):
    rows = [{"组织名称": "甲校党支部", "类型": "党总支", "上级组织": SETUP_ROOT}]
    result = import_xlsx(actor=world.county_admin, root=world.county, upload=xlsx_upload(rows, SETUP_HEADERS))
    assert [e.column for e in result.errors] == ["类型"] and "已有同名组织" in result.errors[0].message


def test_template_downloads_and_imports_as_it_is(world, login):
    client = login(world.county_admin)
    response = client.get(reverse("orgs:setup_template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == SETUP_HEADERS
    result = import_xlsx(
        actor=world.county_admin, root=world.county, upload=SimpleUploadedFile("t.xlsx", template_xlsx(SETUP_ROOT))
    )
    assert result.ok, result.errors
    assert (result.orgs_created, result.schools_created) == (3, 2)


def test_import_page_reports_success_then_that_nothing_was_new(world, login):
    client = login(world.county_admin)
    url = reverse("orgs:setup_import")
    assert reverse("orgs:setup_template") in client.get(url).content.decode()
    rows = county_rows(3)
    first = client.post(url, {"file": xlsx_upload(rows, SETUP_HEADERS)}, follow=True)
    assert "导入成功" in first.content.decode()
    second = client.post(url, {"file": xlsx_upload(rows, SETUP_HEADERS)}, follow=True)
    assert "均已存在，没有新建任何内容" in second.content.decode()
    bad = client.post(
        url, {"file": xlsx_upload([{"组织名称": "", "类型": "党支部", "上级组织": SETUP_ROOT}], SETUP_HEADERS)}
    )
    assert bad.status_code == 400 and "组织名称不能为空" in bad.content.decode()
    not_excel = client.post(url, {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert not_excel.status_code == 400


def test_only_the_county_administrator_reaches_the_set_up_import(world, login):
    for user in (world.secretary, world.assessor):
        assert login(user).get(reverse("orgs:setup_import")).status_code == 403


# --- the roster import after the set-up import --------------------------------------------------


def person(i: int, **values) -> dict:
    number = idnumber.make("410105", dt.date(1980, 1, 1) + dt.timedelta(days=i), i)
    return {"姓名": f"教师{i}", "身份证号": number, **values}


def test_a_county_wide_roster_fills_each_school(world):
    import_xlsx(actor=world.county_admin, root=world.county, upload=xlsx_upload(county_rows(4), SETUP_HEADERS))
    rows = [
        person(1, 学校="第0中学", 所属党组织="第一党支部", 政治面貌="正式党员", 转正日期="2010-07-01"),
        person(2, 学校="第3中学", 所属党组织="第一党支部", 政治面貌="正式党员", 转正日期="2011-07-01"),
        person(3, 学校="第1小学"),  # a non-member without 所属党组织
        person(4, 学校="第0中学"),
    ]
    result = roster_io.import_xlsx(actor=world.county_admin, org=world.county, upload=xlsx_upload(rows))
    assert result.ok, result.errors
    with unscoped("test"):
        placed = {p.name: (p.org.name, p.org.parent.name) for p in Person.objects.filter(name__startswith="教师")}
    # "第一党支部" exists in two schools: each row lands in its own school's branch
    assert placed["教师1"] == ("第一党支部", "第0中学党委")
    assert placed["教师2"] == ("第一党支部", "第3中学党委")
    # non-members belong to their school's organization, never the county committee
    assert placed["教师3"] == ("第1小学党支部", SETUP_ROOT)
    assert placed["教师4"] == ("第0中学党委", SETUP_ROOT)


def test_a_non_member_imported_county_wide_appears_on_the_school_roster(world, login):
    rows = [person(7, 学校="甲校")]
    assert roster_io.import_xlsx(actor=world.county_admin, org=world.county, upload=xlsx_upload(rows)).ok
    page = login(world.secretary).get(reverse("orgs:detail", args=[world.branch_a.pk])).content.decode()
    assert "教师7" in page


def test_the_migration_moves_non_members_from_above_their_school_to_it(world):
    migration = importlib.import_module("dangjian.orgs.migrations.0003_non_members_belong_to_their_school")
    above = PersonFactory(name="县级群众", org=world.county, school=world.school_a)
    elsewhere = PersonFactory(name="别校群众", org=world.branch_b, school=world.school_a)  # not above: left alone
    member = PersonFactory(name="县级党员", org=world.county, school=world.school_a)
    MembershipFactory(person=member, stage="full")  # a member's place is their branch: not guessed here
    migration.move_to_school(apps, None)
    with unscoped("test"):
        assert Person.objects.get(pk=above.pk).org_id == world.branch_a.pk
        assert Person.objects.get(pk=elsewhere.pk).org_id == world.branch_b.pk
        assert Person.objects.get(pk=member.pk).org_id == world.county.pk
