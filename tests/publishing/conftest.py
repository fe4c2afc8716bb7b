import types

import pytest
from django.core.cache import cache

from dangjian.core import extensions
from dangjian.core.linkable import Linkable
from dangjian.core.scoping import scoped
from dangjian.orgs.models import School
from tests.factories import GrantFactory, PersonFactory, UserFactory

PRIVATE_TOWNSHIP = "不可公开的乡镇"  # a field of the linked record that is not public: never shown


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The public home is cached; every test starts from an empty cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def publicity(world):
    """School A's publicity officer (宣传员): drafts and submits, cannot approve."""
    user = UserFactory(username="publicity")
    GrantFactory(user=user, org=world.branch_a, role="publicity")
    PersonFactory(name="甲宣传员", school=world.school_a, org=world.branch_a, user=user)
    return user


@pytest.fixture
def school_linkable(monkeypatch, world):
    """A test-only Linkable over orgs.School: name and stage are public; the township is private and must never
    reach a post. Registered the way an app's linkable.py is found (core.extensions.modules)."""
    world.school_a.township = PRIVATE_TOWNSHIP
    School.all_objects.filter(pk=world.school_a.pk).update(township=PRIVATE_TOWNSHIP)
    item = Linkable(
        "orgs.School",
        "学校",
        public_fields=lambda s: {"学校名称": s.name, "学段": s.get_stage_display()},
        candidates=lambda user: scoped(user, School, "publishing.draft").order_by("name"),
    )
    fake = types.SimpleNamespace(LINKABLES=[item])
    real = extensions.modules
    monkeypatch.setattr(extensions, "modules", lambda name: [fake] if name == "linkable" else real(name))
    return item
