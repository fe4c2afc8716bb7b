import pytest

from dangjian.core.scoping import unscoped
from dangjian.orgs.models import Person


@pytest.fixture
def people_count():
    """people_count() -> how many people the database holds, in every org (an import's before and after)."""

    def count() -> int:
        with unscoped("test count"):
            return Person.objects.count()

    return count
