import pytest

from tests.factories import GrantFactory, PersonFactory, UserFactory


@pytest.fixture
def officers(world):
    """ethics_a: the ethics officer of school A; discipline: the county's discipline officer."""
    ethics_a = UserFactory(username="ethics_a")
    GrantFactory(user=ethics_a, org=world.branch_a, role="ethics_officer")
    PersonFactory(name="甲校师德专员", school=world.school_a, org=world.branch_a, user=ethics_a)
    discipline = UserFactory(username="discipline")
    GrantFactory(user=discipline, org=world.county, role="discipline_officer")
    ethics_b = UserFactory(username="ethics_b")
    GrantFactory(user=ethics_b, org=world.branch_b, role="ethics_officer")
    return {"ethics_a": ethics_a, "discipline": discipline, "ethics_b": ethics_b}
