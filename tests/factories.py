"""factory-boy factories. They write through `all_objects`: test set-up is trusted code, like a service."""

import datetime as dt
import itertools

import factory
from django.contrib.auth import get_user_model

from dangjian.orgs import idnumber
from dangjian.orgs.models import Grant, Membership, Org, OrgKind, Person, Position, School, Stage

_ids = itertools.count(1)


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
