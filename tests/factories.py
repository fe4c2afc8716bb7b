"""factory-boy factories. They write through `all_objects`: test set-up is trusted code, like a service."""

import datetime as dt
import io
import itertools

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from dangjian.orgs import idnumber
from dangjian.orgs.models import Grant, Membership, Org, OrgKind, Person, Position, School, Stage
from dangjian.orgs.roster import COLUMNS as ROSTER_COLUMNS
from dangjian.orgs.setup import COLUMNS as SETUP_COLUMNS

_ids = itertools.count(1)

ROSTER_HEADERS = [label for _key, label in ROSTER_COLUMNS]
SETUP_HEADERS = [label for _key, label in SETUP_COLUMNS]
SETUP_ROOT = "测试县教育党工委"  # the world's county org, as the set-up file names it


class ScopedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _get_manager(cls, model_class):
        return getattr(model_class, "all_objects", model_class._default_manager)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("dangjian-test-pw")


class OrgFactory(ScopedFactory):
    class Meta:
        model = Org

    kind = OrgKind.BRANCH
    name = factory.Sequence(lambda n: f"测试党组织{n}")
    parent = None
    term_started_on = dt.date(2025, 9, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        org = super()._create(model_class, *args, **kwargs)
        org.path = f"{org.parent.path}{org.pk}." if org.parent_id else f"{org.pk}."
        org.depth = org.path.count(".") - 1
        org.save(update_fields=["path", "depth"])
        return org


class SchoolFactory(ScopedFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"测试学校{n}")
    stage = "primary"
    township = "城关镇"
    staff_count = 40
    student_count = 500
    org = factory.SubFactory(OrgFactory)


def new_id_number(birth: dt.date = dt.date(1985, 6, 15)) -> str:
    n = next(_ids)
    return idnumber.make(f"{410100 + n // 900:06d}", birth, n % 900 + 1)


class PersonFactory(ScopedFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试人员{n}")
    gender = "F"
    birth_date = dt.date(1985, 6, 15)
    id_number = factory.LazyFunction(new_id_number)
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    school = None
    org = factory.SubFactory(OrgFactory)
    job = "语文教师"
    title = "一级教师"


class MembershipFactory(ScopedFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    stage = Stage.FULL
    probationary_on = dt.date(2010, 7, 1)
    full_on = dt.date(2011, 7, 1)


class PositionFactory(ScopedFactory):
    class Meta:
        model = Position

    org = factory.SubFactory(OrgFactory)
    person = factory.SubFactory(PersonFactory)
    post = "secretary"
    started_on = dt.date(2025, 9, 1)


class GrantFactory(ScopedFactory):
    class Meta:
        model = Grant

    user = factory.SubFactory(UserFactory)
    org = factory.SubFactory(OrgFactory)
    role = "member"


# --- spreadsheets, as users upload them ------------------------------------------------------------


def xlsx_bytes(*rows: list) -> bytes:
    """A workbook whose one sheet holds the given rows."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_upload(rows: list[dict], headers: list[str] = ROSTER_HEADERS, name: str = "名册.xlsx") -> SimpleUploadedFile:
    """An upload with the given header row and one row per dict (keyed by header; missing cells empty)."""
    return SimpleUploadedFile(name, xlsx_bytes(headers, *([row.get(h, "") for h in headers] for row in rows)))


def roster_row(i: int, **overrides) -> dict:
    """Roster row number i of the world's school 甲校: every third a full member of 甲校党支部."""
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=i * 7)
    number = idnumber.make("410105", birth, i % 1000)
    values = {"姓名": f"导入{i}", "身份证号": number, "学校": "甲校", "岗位": "数学教师", "手机号": f"138{i:08d}"}
    if i % 3 == 0:
        values.update(
            {
                "政治面貌": "正式党员",
                "所属党组织": "甲校党支部",
                "接收预备党员日期": "2015-07-01",
                "转正日期": "2016-07-01",
            }
        )
    values.update(overrides)
    return values


def county_rows(n: int) -> list[dict]:
    """Set-up rows for n schools: every third has its own 党委 with two branches, the others one branch each."""
    rows: list[dict] = []
    for i in range(n):
        if i % 3 == 0:
            committee = f"第{i}中学党委"
            rows.append(
                {
                    "组织名称": committee,
                    "类型": "党委",
                    "上级组织": SETUP_ROOT,
                    "学校名称": f"第{i}中学",
                    "学段": "初中",
                }
            )
            for b in ("第一党支部", "第二党支部"):
                rows.append({"组织名称": b, "类型": "党支部", "上级组织": f"{SETUP_ROOT}/{committee}"})
        else:
            rows.append(
                {
                    "组织名称": f"第{i}小学党支部",
                    "类型": "党支部",
                    "上级组织": SETUP_ROOT,
                    "学校名称": f"第{i}小学",
                    "学段": "小学",
                    "乡镇": "城关镇",
                    "学生数": 400 + i,
                    "教职工数": 30,
                }
            )
    return rows
